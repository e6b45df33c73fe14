/**
 * Folding a non-power-of-two group onto a power of two (Thakur, Rabenseifner, Gropp 2005 §4):
 * with m = P + r (P the largest power of two ≤ m), positions 2i and 2i+1 for i < r pair up;
 * the even one ("extra") hands its data to the odd one and sits out, and the P survivors run
 * the power-of-two algorithm as virtual ranks 0..P−1. Afterwards the odd one copies the
 * result back.
 *
 * The numbering keeps virtual blocks contiguous and in rank order: virtual v < r stands for
 * positions {2v, 2v+1}, virtual v ≥ r for position v + r. So "segments owned by virtual ranks
 * [a, b)" is one contiguous element range, which is what lets reduce_scatter and all_gather
 * deliver segment i to position i.
 */
import { floorPow2 } from './builder';

export interface FoldPlan {
  /** Power-of-two size of the virtual group. */
  pow2: number;
  /** Number of extra positions folded away (m − pow2). */
  extra: number;
  /** Group position that plays virtual rank v. */
  positionOf(v: number): number;
  /** First group position a virtual rank stands for: 2v for v < extra, v + extra otherwise (pow2 → m). */
  firstPositionOf(v: number): number;
  /** Pairs [extra position, surviving partner position], one per folded rank. */
  pairs: Array<[number, number]>;
}

/** Plans the fold of a group of m ≥ 1 positions. */
export function planFold(m: number): FoldPlan {
  const pow2 = floorPow2(m);
  const extra = m - pow2;
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < extra; i++) pairs.push([2 * i, 2 * i + 1]);
  return {
    pow2,
    extra,
    positionOf: (v) => (v < extra ? 2 * v + 1 : v + extra),
    firstPositionOf: (v) => (v < extra ? 2 * v : v + extra),
    pairs,
  };
}
