/**
 * Per-rank timelines of one training step on either clock (DESIGN.md §4), for the UI's
 * timeline view and the Chrome trace export. Pure: built from trace events (measured clock)
 * or from a step graph and its projection (projected clock). Each lane has fixed rows
 * (`ROW_OF`: compute, all-reduce buckets, schedule steps, sends, receives); time when the rank
 * neither computes nor communicates is filled with 'idle' spans in the compute row.
 */
import { isTransfer, type StepGraph, type StepProjection } from './projection';

export type SpanCat = 'forward' | 'backward' | 'allreduce' | 'step' | 'send' | 'recv' | 'optimizer' | 'idle';

export interface TimelineSpan {
  cat: SpanCat;
  name: string;
  /** Relative to the timeline's t0Ms. */
  startMs: number;
  endMs: number;
  /** Row within the lane (ROW_OF[cat]); spans of one row overlap only where a rank sends to several peers at once (star). */
  depth: number;
}

export interface TimelineLane {
  rank: number;
  spans: TimelineSpan[];
}

export interface Timeline {
  clock: 'measured' | 'projected';
  /** Absolute origin: common-clock ms for 'measured', 0 for 'projected'. */
  t0Ms: number;
  /** Length of the step, ms (the lanes span [0, durationMs]). */
  durationMs: number;
  lanes: TimelineLane[];
}

/** What a rank's TraceRecorder records (src/rank/trace.ts), structurally. */
export interface TimelineEvent {
  rank: number;
  cat: string;
  name: string;
  startMs: number;
  endMs: number;
}

const CATS: readonly SpanCat[] = ['forward', 'backward', 'allreduce', 'step', 'send', 'recv', 'optimizer', 'idle'];
const isCat = (c: string): c is SpanCat => (CATS as readonly string[]).includes(c);
/** Gaps shorter than this are not idle, ms. */
const EPS_MS = 1e-6;

/**
 * Row of each category. Communication runs concurrently with compute (overlap) and a ring step
 * sends and receives at once, so spans are laid out in fixed rows rather than nested by
 * containment.
 */
export const ROW_OF: Readonly<Record<SpanCat, number>> = { forward: 0, backward: 0, optimizer: 0, idle: 0, allreduce: 1, step: 2, send: 3, recv: 4 };

/** Rows and idle: the gaps over [0, durationMs] where the rank neither computes nor communicates. */
function finishLane(rank: number, raw: Omit<TimelineSpan, 'depth'>[], durationMs: number): TimelineLane {
  const spans: TimelineSpan[] = raw.map((s) => ({ ...s, depth: ROW_OF[s.cat] }));
  const idle: TimelineSpan[] = [];
  let cursor = 0;
  for (const s of [...spans].sort((a, b) => a.startMs - b.startMs)) {
    if (s.startMs > cursor + EPS_MS) idle.push({ cat: 'idle', name: 'idle', startMs: cursor, endMs: s.startMs, depth: 0 });
    cursor = Math.max(cursor, s.endMs);
  }
  if (durationMs > cursor + EPS_MS) idle.push({ cat: 'idle', name: 'idle', startMs: cursor, endMs: durationMs, depth: 0 });
  return { rank, spans: [...spans, ...idle].sort((a, b) => a.startMs - b.startMs || a.depth - b.depth) };
}

/**
 * The measured timeline of one step from every rank's trace events (common clock, ms). Events
 * of other categories are dropped. `t0Ms`/`t1Ms` default to the earliest start / latest end.
 */
export function measuredTimeline(events: TimelineEvent[], ranks: number, t0Ms?: number, t1Ms?: number): Timeline {
  const kept = events.filter((e) => isCat(e.cat));
  const t0 = t0Ms ?? Math.min(...kept.map((e) => e.startMs));
  const t1 = t1Ms ?? Math.max(...kept.map((e) => e.endMs));
  const durationMs = kept.length ? Math.max(0, t1 - t0) : 0;
  const lanes = Array.from({ length: ranks }, (_, r) =>
    finishLane(
      r,
      kept.filter((e) => e.rank === r).map((e) => ({ cat: e.cat as SpanCat, name: e.name, startMs: e.startMs - t0, endMs: e.endMs - t0 })),
      durationMs,
    ),
  );
  return { clock: 'measured', t0Ms: kept.length ? t0 : 0, durationMs, lanes };
}

/**
 * The projected timeline of a step graph as `projectStep` timed it. Compute nodes become
 * forward/backward/optimizer spans; each bucket's transfers touching a rank become an
 * 'allreduce' span (bucket envelope), 'step' spans (schedule step envelope) and the rank's
 * 'send'/'recv' spans. Transfer node ids must look like `b{bucket}.s{step}...` (as
 * buildTrainingStepGraph makes them).
 */
export function projectedTimeline(graph: StepGraph, projection: StepProjection): Timeline {
  const raw: Omit<TimelineSpan, 'depth'>[][] = Array.from({ length: graph.ranks }, () => []);
  const envelopes = new Map<string, { rank: number; cat: SpanCat; name: string; startMs: number; endMs: number }>();
  const widen = (key: string, rank: number, cat: SpanCat, name: string, startMs: number, endMs: number): void => {
    const e = envelopes.get(key);
    if (!e) envelopes.set(key, { rank, cat, name, startMs, endMs });
    else [e.startMs, e.endMs] = [Math.min(e.startMs, startMs), Math.max(e.endMs, endMs)];
  };
  for (const n of graph.nodes) {
    const t = projection.timings[n.id];
    if (!t) continue;
    const [startMs, endMs] = [t.startS * 1e3, t.endS * 1e3];
    if (!isTransfer(n)) {
      const cat: SpanCat = n.kind === 'forward' || n.kind === 'backward' || n.kind === 'optimizer' ? n.kind : 'forward';
      const layer = /(?:fwd|bwd)(\d+)$/.exec(n.id);
      raw[n.rank]!.push({
        cat,
        name: n.kind === 'optimizer' ? 'sgd' : cat === 'forward' ? `forward ${layer?.[1] ?? ''}`.trim() : `layer ${layer?.[1] ?? ''}`.trim(),
        startMs,
        endMs,
      });
      continue;
    }
    const m = /^b(\d+)\.s(\d+)\./.exec(n.id);
    const bucket = m?.[1] ?? '?';
    const step = m?.[2] ?? '?';
    const stepName = n.label?.replace(/^bucket \d+ /, '') ?? `step ${step}`;
    const { from, to } = n.transfer;
    for (const r of from === to ? [from] : [from, to]) {
      widen(`${r}.b${bucket}`, r, 'allreduce', `bucket ${bucket}`, startMs, endMs);
      widen(`${r}.b${bucket}.s${step}`, r, 'step', stepName, startMs, endMs);
    }
    raw[from]!.push({ cat: 'send', name: `→${to}`, startMs, endMs });
    raw[to]!.push({ cat: 'recv', name: `←${from}`, startMs, endMs });
  }
  for (const e of envelopes.values()) raw[e.rank]!.push({ cat: e.cat, name: e.name, startMs: e.startMs, endMs: e.endMs });
  const durationMs = projection.stepS * 1e3;
  return { clock: 'projected', t0Ms: 0, durationMs, lanes: raw.map((spans, r) => finishLane(r, spans, durationMs)) };
}
