import { describe, expect, it } from 'vitest';
import { buildTrainingStepGraph, projectStep, type StepGraph } from '../../src/core/projection';
import type { Bucket } from '../../src/core/buckets';
import { segmentRange, type Schedule, type TransferOp } from '../../src/core/schedule/types';

/** A hand-made ring all-reduce (reduce-scatter then all-gather), p−1 steps each. */
function ringSchedule(p: number, count: number): Schedule {
  const mod = (x: number) => ((x % p) + p) % p;
  const steps: Schedule['steps'] = [];
  for (const phase of ['reduce-scatter', 'all-gather'] as const) {
    for (let s = 0; s < p - 1; s++) {
      const ops: TransferOp[][] = [];
      for (let r = 0; r < p; r++) {
        const sendSeg = phase === 'reduce-scatter' ? mod(r - s) : mod(r + 1 - s);
        const recvSeg = phase === 'reduce-scatter' ? mod(r - s - 1) : mod(r - s);
        ops.push([
          { kind: 'send', peer: mod(r + 1), range: segmentRange(count, p, sendSeg) },
          { kind: 'recv', peer: mod(r - 1), range: segmentRange(count, p, recvSeg), mode: phase === 'reduce-scatter' ? 'reduce' : 'copy' },
        ]);
      }
      steps.push({ label: `${phase} ${s + 1}/${p - 1}`, ops });
    }
  }
  return { algorithm: 'ring', collective: 'all_reduce', ranks: p, count, options: {}, steps };
}

const bucket = (index: number, start: number, count: number, layer: number): Bucket => ({
  index,
  start,
  count,
  bytes: count * 4,
  tensors: [],
  layers: [layer],
  readyAfterLayer: layer,
});

// α = 1 ms, β = 1 ns/B (1 GB/s). A bucket of 1e6 float32 = 4e6 B on a ring of 4 moves
// 4e6/4 = 1e6 B per step: 1 ms + 1e6·1e-9 s = 2 ms per step, 2(p−1) = 6 steps = 12 ms,
// the ring formula 2(p−1)α + 2((p−1)/p)nβ = 6 ms + 6 ms.
const link = { alphaS: 1e-3, betaSPerByte: 1e-9 };
const RING_S = 0.012;

describe('projected clock', () => {
  it('ring of 4, one bucket, no overlap: fwd + bwd + all-reduce + optimizer, exactly', () => {
    const g = buildTrainingStepGraph({
      ranks: 4,
      layerComputeS: { fwd: [0.01, 0.01], bwd: [0.02, 0.02] },
      optimizerS: 0.005,
      buckets: [bucket(0, 0, 1e6, 0)],
      scheduleFor: (b) => ringSchedule(4, b.count),
      link,
      overlap: false,
    });
    const p = projectStep(g);
    // 0.02 fwd + 0.04 bwd + 0.012 all-reduce + 0.005 optimizer = 0.077 s.
    expect(p.stepS).toBeCloseTo(0.077, 12);
    expect(p.commS).toBeCloseTo(RING_S, 12);
    expect(p.computeS).toBeCloseTo(0.065, 12);
    expect(p.exposedCommS).toBeCloseTo(RING_S, 12);
    expect(p.overlapPct).toBeCloseTo(0, 9);
    for (const r of p.ranks) expect(r.idleS).toBeCloseTo(0, 12);
    expect(p.timings['b0.s0.r0.o0']).toEqual({ startS: expect.closeTo(0.06, 12), endS: expect.closeTo(0.062, 12) });
  });

  const twoBuckets = (bwd0S: number, overlap: boolean) =>
    projectStep(
      buildTrainingStepGraph({
        ranks: 4,
        layerComputeS: { fwd: [0.01, 0.01], bwd: [bwd0S, 0.02] },
        optimizerS: 0.005,
        // bucket 0 = layer 1's gradients (ready after bwd1), bucket 1 = layer 0's.
        buckets: [bucket(0, 0, 1e6, 1), bucket(1, 1e6, 1e6, 0)],
        scheduleFor: (b) => ringSchedule(4, b.count),
        link,
        overlap,
      }),
    );

  it('overlap hides a bucket all-reduce shorter than the remaining backward completely', () => {
    // bwd1 ends at 0.04; bucket 0 runs 0.040–0.052 under bwd0 (0.040–0.060): hidden.
    // Bucket 1 runs 0.060–0.072, optimizer 0.072–0.077.
    const on = twoBuckets(0.02, true);
    expect(on.stepS).toBeCloseTo(0.077, 12);
    expect(on.exposedCommS).toBeCloseTo(RING_S, 12); // only bucket 1 is exposed
    expect(on.overlapPct).toBeCloseTo(50, 9);
    // Without overlap both buckets follow the backward: 0.06 + 0.024 + 0.005.
    const off = twoBuckets(0.02, false);
    expect(off.stepS).toBeCloseTo(0.089, 12);
    expect(off.overlapPct).toBeCloseTo(0, 9);
  });

  it('a bucket all-reduce longer than the remaining backward is exposed by the difference', () => {
    // bwd0 takes 5 ms: bucket 0 (0.040–0.052) hides 5 ms of its 12; bucket 1 waits for the
    // comm stream until 0.052, ends 0.064; optimizer ends 0.069.
    const on = twoBuckets(0.005, true);
    expect(on.stepS).toBeCloseTo(0.069, 12);
    expect(on.exposedCommS).toBeCloseTo(2 * RING_S - 0.005, 12);
    expect(on.timings['b1.s0.r0.o0'].startS).toBeCloseTo(0.052, 12);
  });

  it('serialises a rank’s sends (star gather into rank 0) and each directed link', () => {
    const g: StepGraph = {
      ranks: 4,
      link: () => link,
      nodes: [1, 2, 3].map((r) => ({ id: `t${r}`, rank: r, kind: 'transfer' as const, deps: [], transfer: { from: r, to: 0, bytes: 1e6 } })),
    };
    // Rank 0 receives one message at a time: 3 × (1 ms + 1 ms).
    expect(projectStep(g).stepS).toBeCloseTo(0.006, 12);
    const par: StepGraph = {
      ...g,
      nodes: [1, 2, 3].map((r) => ({ id: `t${r}`, rank: r, kind: 'transfer' as const, deps: [], transfer: { from: r, to: (r + 1) % 4, bytes: 1e6 } })),
    };
    expect(projectStep(par).stepS).toBeCloseTo(0.002, 12);
    // γ adds bytes·γ to reducing transfers only.
    const red: StepGraph = { ...par, gammaSPerByte: 1e-9, nodes: par.nodes.map((n, i) => (i === 0 && 'transfer' in n ? { ...n, transfer: { ...n.transfer, reduce: true } } : n)) };
    expect(projectStep(red).stepS).toBeCloseTo(0.003, 12);
  });

  it('one rank: no transfers, step = compute, nothing exposed', () => {
    const p = projectStep(
      buildTrainingStepGraph({
        ranks: 1,
        layerComputeS: { fwd: [0.001, 0.002], bwd: [0.003, 0.004] },
        optimizerS: 0.0005,
        buckets: [bucket(0, 0, 10, 0)],
        scheduleFor: (b) => ({ algorithm: 'ring', collective: 'all_reduce', ranks: 1, count: b.count, options: {}, steps: [] }),
        link,
        overlap: true,
      }),
    );
    expect(p.stepS).toBeCloseTo(0.0105, 12);
    expect(p.commS).toBe(0);
    expect(p.overlapPct).toBe(100);
    expect(() =>
      buildTrainingStepGraph({
        ranks: 2,
        layerComputeS: { fwd: [1], bwd: [1] },
        optimizerS: 0,
        buckets: [bucket(0, 0, 10, 0)],
        scheduleFor: () => ringSchedule(2, 9),
        link,
        overlap: false,
      }),
    ).toThrow(/expected 2 × 10/);
  });

  it('rejects unknown deps and cycles', () => {
    const mk = (deps: string[][]): StepGraph => ({
      ranks: 1,
      link: () => link,
      nodes: deps.map((d, i) => ({ id: `n${i}`, rank: 0, kind: 'compute' as const, deps: d, durationS: 1 })),
    });
    expect(() => projectStep(mk([['zz']]))).toThrow(/unknown zz/);
    expect(() => projectStep(mk([['n1'], ['n0']]))).toThrow(/cycle/);
    expect(projectStep(mk([[], ['n0']])).stepS).toBe(2);
  });
});
