/**
 * "What if" projection of one data-parallel training step to N = 1..1024 GPUs (DESIGN.md §6,
 * §7): measured compute per sample, an all-reduce of the gradients bucket by bucket on a
 * two-class topology, and the step time with or without overlap. Pure.
 *
 * Communication: for N ≤ SCHEDULE_COST_MAX_RANKS the all-reduce is costed with `scheduleCost`
 * on the real schedule and the per-pair `linkOf` (exact for the model). Above that, building
 * the schedule grows as N² ops, so the closed forms of DESIGN.md §6 are used on the bottleneck
 * link (inter-node as soon as N spans nodes): exact for ring (every ring step crosses a node
 * boundary), an upper bound for the others, whose early steps stay inside a node; hierarchical
 * uses its own three-phase closed form (see `hierarchicalClosedForm`).
 */
import { closedFormCost, scheduleCost } from './cost';
import { toAlphaBetaGamma, alphaBetaGammaOf, type AlphaBetaGamma, type LinkSpec, type LinkTopology } from './link';
import { buildSchedule } from './schedule';
import type { Algorithm } from './schedule/types';

/** Above this, communication comes from closed forms rather than built schedules. */
export const SCHEDULE_COST_MAX_RANKS = 64;
/** The backward pass costs about twice the forward (two matmuls per layer against one). */
export const DEFAULT_BACKWARD_FRACTION = 2 / 3;

export interface ProjectionInput {
  /** Forward + backward time of one sample on one GPU, measured, s. */
  computePerSampleS: number;
  /** Share of the compute that is the backward pass (default 2/3). */
  backwardFraction?: number;
  /** Per-step time after the backward and the all-reduce (optimizer), s; default 0. */
  tailS?: number;
  /** 'strong': fixed global batch, split over N; 'weak': fixed per-rank batch. */
  scaling: 'strong' | 'weak';
  /** Samples per step over all ranks (strong scaling). */
  globalBatch?: number;
  /** Samples per step per rank (weak scaling). */
  perRankBatch?: number;
  /** Gradient bytes all-reduced per step. */
  paramBytes: number;
  algorithm: Algorithm;
  topology: LinkTopology;
  /** Overlap the all-reduce with the backward pass (DDP buckets). */
  overlap: boolean;
  /** Gradient bucket size; each bucket is one all-reduce (pays its own latency terms). */
  bucketBytes: number;
}

export interface ProjectionPoint {
  n: number;
  /** Samples per rank this step (⌈G / N⌉ for strong scaling: the busiest rank sets the pace). */
  perRankBatch: number;
  computeS: number;
  commS: number;
  stepS: number;
  /** Strong: T₁/(N·T_N) (samples/s per GPU against one GPU); weak: T₁/T_N. */
  efficiency: number;
  /** Exposed communication over step time: (T_step − T_compute − tail) / T_step. */
  commFraction: number;
  /** 'schedule' (scheduleCost on the built schedule) or 'closed-form' (bottleneck link). */
  commSource: 'schedule' | 'closed-form';
}

/** N = 1, 2, 4, ..., 1024. */
export const DEFAULT_RANK_COUNTS: readonly number[] = Array.from({ length: 11 }, (_, i) => 2 ** i);

/** Per-rank batch of `input` on n ranks. */
function perRankBatchAt(input: ProjectionInput, n: number): number {
  if (input.scaling === 'strong') {
    if (!(input.globalBatch! >= 1)) throw new Error('strong scaling needs globalBatch ≥ 1');
    return Math.ceil(input.globalBatch! / n);
  }
  if (!(input.perRankBatch! >= 1)) throw new Error('weak scaling needs perRankBatch ≥ 1');
  return input.perRankBatch!;
}

/** The link a closed form runs on: inter-node as soon as n ranks span more than one node. */
export function bottleneckLink(topo: LinkTopology, n: number): LinkSpec {
  return n > topo.ranksPerNode ? topo.inter : topo.intra;
}

/**
 * Hierarchical all-reduce on m nodes of k ranks, bulk synchronous: binomial reduce inside the
 * node (lg k steps of a whole message on intra), ring across the m leaders (inter), binomial
 * broadcast inside (lg k steps). Exact for powers of two k and m.
 */
export function hierarchicalClosedForm(n: number, k: number, bytes: number, intra: AlphaBetaGamma, inter: AlphaBetaGamma): number {
  const nodes = n / k;
  const lgk = Math.log2(k);
  const reduce = lgk * (intra.alphaS + bytes * (intra.betaSPerByte + intra.gammaSPerByte));
  const broadcast = lgk * (intra.alphaS + bytes * intra.betaSPerByte);
  return reduce + (nodes > 1 ? closedFormCost('ring', nodes, bytes, inter) : 0) + broadcast;
}

/** One all-reduce of `bytes` on n ranks, s, and how it was obtained. */
export function allReduceTimeS(algorithm: Algorithm, n: number, bytes: number, topo: LinkTopology): { timeS: number; source: ProjectionPoint['commSource'] } {
  if (n === 1 || bytes === 0) return { timeS: 0, source: 'schedule' };
  const k = Math.min(topo.ranksPerNode, n);
  if (n <= SCHEDULE_COST_MAX_RANKS) {
    const count = Math.max(1, Math.ceil(bytes / 4));
    const s = buildSchedule('all_reduce', algorithm, n, count, algorithm === 'hierarchical' ? { ranksPerNode: k } : {});
    const topoN: LinkTopology = { ...topo, ranksPerNode: k };
    return { timeS: scheduleCost(s, toAlphaBetaGamma(topo.inter), 4, alphaBetaGammaOf(topoN)).timeS, source: 'schedule' };
  }
  if (algorithm === 'hierarchical') {
    return { timeS: hierarchicalClosedForm(n, k, bytes, toAlphaBetaGamma(topo.intra), toAlphaBetaGamma(topo.inter)), source: 'closed-form' };
  }
  return { timeS: closedFormCost(algorithm, n, bytes, toAlphaBetaGamma(bottleneckLink(topo, n))), source: 'closed-form' };
}

/** All-reduce time of every bucket: ⌊P / b⌋ full buckets and one remainder. */
function gradientCommS(input: ProjectionInput, n: number): { timeS: number; source: ProjectionPoint['commSource'] } {
  const bucket = Math.min(input.bucketBytes, input.paramBytes);
  if (!(bucket > 0)) return { timeS: 0, source: 'schedule' };
  const full = Math.floor(input.paramBytes / bucket);
  const rest = input.paramBytes - full * bucket;
  const one = allReduceTimeS(input.algorithm, n, bucket, input.topology);
  const last = rest > 0 ? allReduceTimeS(input.algorithm, n, rest, input.topology).timeS : 0;
  return { timeS: full * one.timeS + last, source: one.source };
}

/**
 * Step time on n ranks. Without overlap: compute + comm + tail. With overlap (kept simple, and
 * optimistic): forward + max(backward, comm) + tail, i.e. every bucket hides behind the
 * backward pass as if it could start at once; real DDP cannot start the last bucket before
 * the backward ends, so this is a lower bound on its step time.
 */
export function stepTimeS(input: ProjectionInput, computeS: number, commS: number): number {
  const bf = input.backwardFraction ?? DEFAULT_BACKWARD_FRACTION;
  const tail = input.tailS ?? 0;
  if (!input.overlap) return computeS + commS + tail;
  return (1 - bf) * computeS + Math.max(bf * computeS, commS) + tail;
}

/** The projection at every n of `rankCounts` (default 1, 2, 4, ..., 1024); T₁ is always n = 1. */
export function projectCluster(input: ProjectionInput, rankCounts: readonly number[] = DEFAULT_RANK_COUNTS): ProjectionPoint[] {
  if (!(input.computePerSampleS > 0)) throw new Error(`computePerSampleS must be positive, got ${input.computePerSampleS}`);
  const at = (n: number): Omit<ProjectionPoint, 'efficiency'> => {
    if (!Number.isInteger(n) || n < 1) throw new Error(`rank count must be a positive integer, got ${n}`);
    const perRankBatch = perRankBatchAt(input, n);
    const computeS = perRankBatch * input.computePerSampleS;
    const comm = gradientCommS(input, n);
    const stepS = stepTimeS(input, computeS, comm.timeS);
    const exposed = stepS - computeS - (input.tailS ?? 0);
    return { n, perRankBatch, computeS, commS: comm.timeS, stepS, commFraction: exposed / stepS, commSource: comm.source };
  };
  const t1 = at(1).stepS;
  return rankCounts.map((n) => {
    const p = at(n);
    const efficiency = input.scaling === 'strong' ? t1 / (n * p.stepS) : t1 / p.stepS;
    return { ...p, efficiency };
  });
}

export interface OverlapCondition {
  n: number;
  /** Ring all-reduce of the gradients, bandwidth term only: 2(N−1)/N · P / B, s. */
  commS: number;
  backwardS: number;
  /** commS ≤ backwardS: the gradients' all-reduce can hide behind the backward pass. */
  holds: boolean;
}

/**
 * Ultra-Scale Playbook, appendix A3, data parallelism: communication hides behind the backward
 * pass when t_comm ≤ t_backward, with t_comm = 2(N−1)/N · P / B for a ring (latency ignored,
 * as the playbook does). B is the bottleneck link's bandwidth at this N.
 */
export function overlapCondition(input: ProjectionInput, n: number): OverlapCondition {
  const bandwidth = bottleneckLink(input.topology, n).bandwidthBytesPerS;
  const commS = n === 1 ? 0 : ((2 * (n - 1)) / n) * (input.paramBytes / bandwidth);
  const backwardS = (input.backwardFraction ?? DEFAULT_BACKWARD_FRACTION) * perRankBatchAt(input, n) * input.computePerSampleS;
  return { n, commS, backwardS, holds: commS <= backwardS };
}

/**
 * The largest N in 1..maxN for which the overlap condition holds, scanning every integer (the
 * condition need not be monotone: the bottleneck link changes at the node boundary). N = 1
 * always holds (nothing to communicate).
 */
export function largestOverlapN(input: ProjectionInput, maxN = 1024): number {
  let best = 1;
  for (let n = 2; n <= maxN; n++) if (overlapCondition(input, n).holds) best = n;
  return best;
}
