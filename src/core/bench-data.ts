/**
 * The benchmark's input values and their expected results, element by element, so every rank
 * can check its own output against a CPU reference without holding the other ranks' inputs.
 * Values are chosen so the reference is exact in float32: small integers for sum (and avg,
 * up to one rounding of the final division), ±1, 2, ½ for prod, eighths for min/max.
 */
import { segmentRange, type Collective, type ReduceOp } from './schedule/types';

/** Input value of element i on rank r. */
export function benchInput(op: ReduceOp, rank: number, i: number): number {
  switch (op) {
    case 'prod':
      return [1, -1, 2, 0.5][(rank * 3 + i) % 4]!;
    case 'min':
    case 'max':
      return ((rank * 131 + i * 17) % 1000) / 8;
    default:
      return ((rank * 31 + i * 7) % 13) - 6;
  }
}

function combine(op: ReduceOp, a: number, b: number): number {
  switch (op) {
    case 'prod':
      return Math.fround(a * b);
    case 'min':
      return Math.min(a, b);
    case 'max':
      return Math.max(a, b);
    default:
      return Math.fround(a + b);
  }
}

/** Expected value of element i after a collective, or undefined where the result is unspecified. */
export function benchExpected(collective: Collective, op: ReduceOp, ranks: number, count: number, rank: number, root: number, i: number): number | undefined {
  switch (collective) {
    case 'broadcast':
      return benchInput(op, root, i);
    case 'all_gather': {
      // Element i lives in the segment of the rank that owns it.
      let owner = 0;
      while (owner < ranks - 1 && i >= segmentRange(count, ranks, owner + 1).start) owner++;
      return benchInput(op, owner, i);
    }
    case 'reduce_scatter':
    case 'all_reduce': {
      if (collective === 'reduce_scatter') {
        const seg = segmentRange(count, ranks, rank);
        if (i < seg.start || i >= seg.start + seg.count) return undefined;
      }
      let acc = benchInput(op, 0, i);
      for (let r = 1; r < ranks; r++) acc = combine(op, acc, benchInput(op, r, i));
      return op === 'avg' ? acc / ranks : acc;
    }
  }
}

/** All-gather input: only a rank's own segment is defined; the rest is filled with NaN sentinels. */
export function benchInitial(collective: Collective, op: ReduceOp, ranks: number, count: number, rank: number, i: number): number {
  if (collective === 'all_gather') {
    const seg = segmentRange(count, ranks, rank);
    return i >= seg.start && i < seg.start + seg.count ? benchInput(op, rank, i) : Number.NaN;
  }
  return benchInput(op, rank, i);
}

/** Whether a result matches: exact for everything but avg, whose final division may round once. */
export function benchMatches(op: ReduceOp, got: number, want: number): boolean {
  if (op === 'avg') return Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want));
  return got === want;
}

/** Counts wrong elements of one rank's output (nccl-tests' #wrong). */
export function countWrong(out: Float32Array, collective: Collective, op: ReduceOp, ranks: number, rank: number, root: number): number {
  let wrong = 0;
  for (let i = 0; i < out.length; i++) {
    const want = benchExpected(collective, op, ranks, out.length, rank, root, i);
    if (want !== undefined && !benchMatches(op, out[i]!, want)) wrong++;
  }
  return wrong;
}
