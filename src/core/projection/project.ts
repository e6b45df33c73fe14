/**
 * The projected clock: list-schedules a step graph on a simulated cluster.
 *
 * Resources, each serial (one node at a time, no pre-emption):
 *  - `compute r`: rank r's compute stream (forward, backward, optimizer nodes);
 *  - `send r` / `recv r`: rank r's communication stream, one per direction, as a full-duplex
 *    NIC has; it is independent of compute, which is what lets communication overlap the
 *    backward pass; a rank sending to p−1 peers in one step (star) sends them one by one;
 *  - `link a→b`: each directed link.
 * A node starts when its deps have ended and its resources are free. Among the nodes that
 * could start, the one with the earliest possible start goes first (ties: graph order).
 * Collective order on one rank (bucket k before bucket k+1) is expressed by deps, as the
 * builder does; NCCL likewise runs one communicator's collectives in issue order.
 */
import { isTransfer, nodeDurationS, type StepGraph, type StepNode } from './graph';

export interface NodeTiming {
  startS: number;
  endS: number;
}

export interface RankProjection {
  rank: number;
  /** Time its compute stream is busy. */
  computeS: number;
  /** Time at least one of its transfers (sent or received) is in flight. */
  commS: number;
  /** Step time during which it neither computes nor communicates. */
  idleS: number;
  /**
   * Communicating while not computing (busy − compute), so that compute + exposed + idle =
   * step for every rank (core/step-breakdown.ts).
   */
  exposedCommS: number;
}

export interface StepProjection {
  timings: Record<string, NodeTiming>;
  /** Last end time (the graph starts at 0). */
  stepS: number;
  ranks: RankProjection[];
  /** The slowest rank's compute and communication time. */
  computeS: number;
  commS: number;
  /** stepS − computeS. */
  exposedCommS: number;
  /**
   * OSU overlap: max(0, 100·(1 − (T_step − T_compute) / T_comm)); 100 when there is no
   * communication (nothing is exposed).
   */
  overlapPct: number;
}

function resourcesOf(n: StepNode): string[] {
  if (!isTransfer(n)) return [`compute ${n.rank}`];
  const { from, to } = n.transfer;
  return [`send ${from}`, `recv ${to}`, `link ${from}>${to}`];
}

/** Length of the union of intervals. */
function unionLengthS(intervals: NodeTiming[]): number {
  const sorted = [...intervals].sort((a, b) => a.startS - b.startS);
  let total = 0;
  let [curStart, curEnd] = [-Infinity, -Infinity];
  for (const { startS, endS } of sorted) {
    if (startS > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      [curStart, curEnd] = [startS, endS];
    } else curEnd = Math.max(curEnd, endS);
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

/** Times every node of the graph; throws on unknown deps, duplicate ids or a cycle. */
export function projectStep(graph: StepGraph): StepProjection {
  const byId = new Map<string, number>();
  graph.nodes.forEach((n, i) => {
    if (byId.has(n.id)) throw new Error(`projectStep: duplicate node id ${n.id}`);
    byId.set(n.id, i);
  });
  const depIdx = graph.nodes.map((n) =>
    n.deps.map((d) => {
      const i = byId.get(d);
      if (i === undefined) throw new Error(`projectStep: node ${n.id} depends on unknown ${d}`);
      return i;
    }),
  );
  const durations = graph.nodes.map((n) => nodeDurationS(graph, n));
  const resources = graph.nodes.map(resourcesOf);
  const end: number[] = new Array(graph.nodes.length).fill(NaN);
  const start: number[] = new Array(graph.nodes.length).fill(NaN);
  const free = new Map<string, number>();
  const pending = new Set(graph.nodes.map((_, i) => i));
  while (pending.size > 0) {
    let best = -1;
    let bestStart = Infinity;
    for (const i of pending) {
      let t = 0;
      let ready = true;
      for (const d of depIdx[i]) {
        if (Number.isNaN(end[d])) {
          ready = false;
          break;
        }
        t = Math.max(t, end[d]);
      }
      if (!ready) continue;
      for (const r of resources[i]) t = Math.max(t, free.get(r) ?? 0);
      if (t < bestStart) [best, bestStart] = [i, t];
    }
    if (best < 0) throw new Error(`projectStep: dependency cycle among ${[...pending].map((i) => graph.nodes[i].id).join(', ')}`);
    pending.delete(best);
    start[best] = bestStart;
    end[best] = bestStart + durations[best];
    for (const r of resources[best]) free.set(r, end[best]);
  }
  const timings: Record<string, NodeTiming> = {};
  graph.nodes.forEach((n, i) => (timings[n.id] = { startS: start[i], endS: end[i] }));
  const stepS = graph.nodes.length ? Math.max(...end) : 0;
  const ranks: RankProjection[] = [];
  for (let r = 0; r < graph.ranks; r++) {
    const compute: NodeTiming[] = [];
    const comm: NodeTiming[] = [];
    graph.nodes.forEach((n) => {
      const t = timings[n.id];
      if (!isTransfer(n)) {
        if (n.rank === r) compute.push(t);
      } else if (n.transfer.from === r || n.transfer.to === r) comm.push(t);
    });
    const computeS = compute.reduce((s, t) => s + t.endS - t.startS, 0);
    const busyS = unionLengthS([...compute, ...comm]);
    ranks.push({ rank: r, computeS, commS: unionLengthS(comm), idleS: stepS - busyS, exposedCommS: busyS - computeS });
  }
  const computeS = Math.max(0, ...ranks.map((r) => r.computeS));
  const commS = Math.max(0, ...ranks.map((r) => r.commS));
  const exposedCommS = stepS - computeS;
  const overlapPct = commS > 0 ? Math.max(0, 100 * (1 - exposedCommS / commS)) : 100;
  return { timings, stepS, ranks, computeS, commS, exposedCommS, overlapPct };
}
