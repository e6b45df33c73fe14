/**
 * Rabenseifner: recursive-halving reduce-scatter followed by recursive-doubling all-gather:
 * 2 lg P latencies like a tree, but only 2(P−1)/P·n bytes like a ring. Its first half alone is
 * the `rabenseifner` reduce_scatter. Non-powers of two fold the extra ranks in first (fold.ts).
 */
import { fullRange } from './builder';
import { planFold } from './fold';
import { foldInStep, foldOutStep, recursiveDoublingGatherSteps, recursiveHalvingSteps } from './recursive';
import { segmentRange, type ScheduleStep } from './types';

/**
 * Rabenseifner all-reduce. The halving splits the buffer into P equal blocks (not into the m
 * segments), so the folded survivors carry balanced shares.
 */
export function rabenseifnerAllReduceSteps(members: readonly number[], ranks: number, count: number): ScheduleStep[] {
  const plan = planFold(members.length);
  const blockStart = (v: number): number => segmentRange(count, plan.pow2, v).start;
  return [
    foldInStep(members, ranks, plan, () => fullRange(count), 'reduce'),
    ...recursiveHalvingSteps(members, ranks, plan, blockStart),
    ...recursiveDoublingGatherSteps(members, ranks, plan, blockStart),
    foldOutStep(members, ranks, plan, () => fullRange(count)),
  ];
}

/**
 * Recursive-halving reduce-scatter: position i ends with the reduction of segment i of m. A
 * folded-away position gets its segment from its partner, which reduced it on its behalf.
 */
export function rabenseifnerReduceScatterSteps(members: readonly number[], ranks: number, count: number): ScheduleStep[] {
  const m = members.length;
  const plan = planFold(m);
  const blockStart = (v: number): number => segmentRange(count, m, plan.firstPositionOf(v)).start;
  return [
    foldInStep(members, ranks, plan, () => fullRange(count), 'reduce'),
    ...recursiveHalvingSteps(members, ranks, plan, blockStart),
    foldOutStep(members, ranks, plan, (extra) => segmentRange(count, m, extra)),
  ];
}
