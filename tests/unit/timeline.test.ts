import { describe, expect, it } from 'vitest';
import { measuredTimeline, projectedTimeline, ROW_OF, type Timeline } from '../../src/core/timeline';
import { toChromeTrace, chromeTid } from '../../src/core/chrome-trace';
import { buildTrainingStepGraph, projectStep } from '../../src/core/projection';
import { buildSchedule } from '../../src/core/schedule';
import { makeBuckets } from '../../src/core/buckets';
import { paramLayout } from '../../src/core/model';

const ev = (rank: number, cat: string, name: string, startMs: number, endMs: number) => ({ rank, cat, name, startMs, endMs });

describe('measuredTimeline', () => {
  const events = [
    ev(0, 'forward', 'forward', 1000, 1010),
    ev(0, 'backward', 'layer 1', 1010, 1020),
    ev(0, 'allreduce', 'bucket 0', 1021, 1040),
    ev(0, 'step', 'reduce-scatter 1/1', 1021, 1030),
    ev(0, 'send', '→1', 1021, 1025),
    ev(0, 'recv', '←1', 1022, 1030),
    ev(0, 'backward', 'layer 0', 1020, 1030),
    ev(0, 'optimizer', 'sgd', 1045, 1050),
    ev(0, 'collective', 'ignored', 1000, 1050),
    ev(1, 'forward', 'forward', 1002, 1012),
  ];
  const t = measuredTimeline(events, 2, 1000, 1052);

  it('is relative to t0, one lane per rank, rows by category, unknown categories dropped', () => {
    expect(t.clock).toBe('measured');
    expect(t.t0Ms).toBe(1000);
    expect(t.durationMs).toBe(52);
    expect(t.lanes.map((l) => l.rank)).toEqual([0, 1]);
    const lane0 = t.lanes[0]!.spans;
    expect(lane0.find((s) => s.name === 'forward')).toEqual({ cat: 'forward', name: 'forward', startMs: 0, endMs: 10, depth: 0 });
    for (const s of lane0) expect(s.depth).toBe(ROW_OF[s.cat]);
    expect(lane0.some((s) => s.name === 'ignored')).toBe(false);
  });

  it('fills idle where a rank neither computes nor communicates, over the whole step', () => {
    const idle = t.lanes[0]!.spans.filter((s) => s.cat === 'idle').map((s) => [s.startMs, s.endMs]);
    expect(idle).toEqual([
      [40, 45],
      [50, 52],
    ]);
    const idle1 = t.lanes[1]!.spans.filter((s) => s.cat === 'idle').map((s) => [s.startMs, s.endMs]);
    expect(idle1).toEqual([
      [0, 2],
      [12, 52],
    ]);
  });

  it('spans of one row do not overlap in a ring step', () => {
    for (const lane of t.lanes) {
      for (const row of new Set(lane.spans.map((s) => s.depth))) {
        const spans = lane.spans.filter((s) => s.depth === row).sort((a, b) => a.startMs - b.startMs);
        spans.slice(1).forEach((s, i) => expect(s.startMs).toBeGreaterThanOrEqual(spans[i]!.endMs - 1e-9));
      }
    }
  });
});

function projected(overlap: boolean): Timeline {
  const layout = paramLayout({ layers: [4, 8, 3] });
  const buckets = makeBuckets(layout, { bucketCapBytes: 64, firstBucketBytes: 16 });
  const graph = buildTrainingStepGraph({
    ranks: 3,
    layerComputeS: { fwd: [0.001, 0.002], bwd: [0.002, 0.004] },
    optimizerS: 0.0005,
    buckets,
    scheduleFor: (b) => buildSchedule('all_reduce', 'ring', 3, b.count),
    link: { alphaS: 1e-4, betaSPerByte: 1e-6 },
    overlap,
  });
  return projectedTimeline(graph, projectStep(graph));
}

describe('projectedTimeline', () => {
  it('has every rank, compute, bucket envelopes, steps, sends and receives, and covers the step', () => {
    const t = projected(true);
    expect(t.clock).toBe('projected');
    expect(t.lanes.length).toBe(3);
    for (const lane of t.lanes) {
      const cats = new Set(lane.spans.map((s) => s.cat));
      for (const c of ['forward', 'backward', 'allreduce', 'step', 'send', 'recv', 'optimizer'] as const) expect(cats).toContain(c);
      const end = Math.max(...lane.spans.map((s) => s.endMs));
      expect(end).toBeCloseTo(t.durationMs, 9);
      // every send/recv lies inside an all-reduce envelope of its rank
      const envs = lane.spans.filter((s) => s.cat === 'allreduce');
      for (const s of lane.spans.filter((x) => x.cat === 'send' || x.cat === 'recv')) {
        expect(envs.some((e) => e.startMs <= s.startMs + 1e-9 && s.endMs <= e.endMs + 1e-9)).toBe(true);
      }
    }
  });

  it('overlap starts the first bucket during the backward pass; off waits for it', () => {
    const firstComm = (t: Timeline) => Math.min(...t.lanes[0]!.spans.filter((s) => s.cat === 'allreduce').map((s) => s.startMs));
    const lastBwd = (t: Timeline) => Math.max(...t.lanes[0]!.spans.filter((s) => s.cat === 'backward').map((s) => s.endMs));
    const on = projected(true);
    const off = projected(false);
    expect(firstComm(on)).toBeLessThan(lastBwd(on));
    expect(firstComm(off)).toBeGreaterThanOrEqual(lastBwd(off) - 1e-9);
  });
});

describe('toChromeTrace', () => {
  it('emits complete events in µs with pid per clock, tid per rank and row, and thread names', () => {
    const m = measuredTimeline([ev(0, 'forward', 'forward', 5, 7), ev(1, 'send', '→0', 6, 6.5)], 2, 5, 8);
    const trace = toChromeTrace(m, projected(true));
    const x = trace.traceEvents.filter((e) => e.ph === 'X');
    const fwd = x.find((e) => e.pid === 1 && e.name === 'forward')!;
    expect(fwd).toMatchObject({ ts: 0, dur: 2000, tid: chromeTid(0, 0), cat: 'forward' });
    const send = x.find((e) => e.pid === 1 && e.cat === 'send')!;
    expect(send).toMatchObject({ ts: 1000, dur: 500, tid: chromeTid(1, ROW_OF.send) });
    const names = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name');
    expect(names.some((e) => e.pid === 1 && e.tid === chromeTid(1, ROW_OF.send) && e.args?.name === 'rank 1 send')).toBe(true);
    expect(trace.traceEvents.filter((e) => e.name === 'process_name').map((e) => e.args?.name)).toEqual(['measured clock', 'projected clock']);
    expect(x.some((e) => e.pid === 2)).toBe(true);
    // JSON round trip: what Perfetto loads
    expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  });
});
