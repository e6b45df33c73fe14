/**
 * A collective algorithm as data (DESIGN.md §1). A schedule lists, step by step and rank by
 * rank, which element range is sent to whom and which is received from whom, and whether a
 * received range is reduced into the local buffer or copied over it. It knows nothing of GPUs,
 * workers or time: the same object is executed, costed, animated and tested.
 *
 * Buffer model: every rank holds one buffer of `count` elements and every collective works in
 * place on it.
 *  - all_reduce: every rank starts with its own `count` values and ends with the reduction.
 *  - reduce_scatter: every rank starts with `count` values; rank r ends with the reduction of
 *    segment r (see `segmentRange`); the rest of its buffer is unspecified.
 *  - all_gather: rank r starts with valid data in segment r only; every rank ends with all
 *    segments.
 *  - broadcast: the root's buffer ends up on every rank.
 *
 * Step semantics: within one step every send reads the buffer as it was at the start of the
 * step; every receive is applied after all of that step's sends have been read. A rank may
 * have several sends and receives in one step (star's rank 0 has p−1 of each).
 */

/** All-reduce algorithms; the reduce_scatter / all_gather / broadcast collectives reuse the names where they apply. */
export const ALGORITHMS = ['ring', 'tree', 'recursive-doubling', 'rabenseifner', 'star', 'hierarchical'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export const COLLECTIVES = ['all_reduce', 'reduce_scatter', 'all_gather', 'broadcast'] as const;
export type Collective = (typeof COLLECTIVES)[number];

/** Half-open element range [start, start + count). */
export interface ElementRange {
  start: number;
  count: number;
}

export interface SendOp {
  kind: 'send';
  peer: number;
  range: ElementRange;
}

export interface RecvOp {
  kind: 'recv';
  peer: number;
  range: ElementRange;
  /** 'reduce': local[range] = op(local[range], received); 'copy': local[range] = received. */
  mode: 'reduce' | 'copy';
}

export type TransferOp = SendOp | RecvOp;

export interface ScheduleStep {
  /** Short human label for the UI and traces, e.g. "reduce-scatter 2/3". */
  label: string;
  /** ops[r] = what rank r does in this step (possibly nothing). */
  ops: TransferOp[][];
}

export interface ScheduleOptions {
  /** Root rank for broadcast (and tree/star roots). Default 0. */
  root?: number;
  /** Ranks per node for `hierarchical`. Must divide `ranks`. */
  ranksPerNode?: number;
}

export interface Schedule {
  algorithm: Algorithm;
  collective: Collective;
  ranks: number;
  count: number;
  options: ScheduleOptions;
  steps: ScheduleStep[];
}

/**
 * Segment i of p over `count` elements: [floor(i·count/p), floor((i+1)·count/p)). Segments
 * differ by at most one element and may be empty when count < p.
 */
export function segmentRange(count: number, parts: number, i: number): ElementRange {
  const start = Math.floor((i * count) / parts);
  const end = Math.floor(((i + 1) * count) / parts);
  return { start, count: end - start };
}

/**
 * Element-wise reduction operators. `avg` is a sum followed, at the very end, by a division by
 * the rank count on the elements the collective defines (see `resultRange`); collectives that
 * do not reduce (all_gather, broadcast) ignore the operator.
 */
export const REDUCE_OPS = ['sum', 'prod', 'min', 'max', 'avg'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];
