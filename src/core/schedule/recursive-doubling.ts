/**
 * Recursive doubling: all-reduce by lg P whole-buffer exchanges (latency-optimal, sends n
 * bytes every step), and the all-gather that doubles the gathered blocks every step. Non-powers
 * of two fold the extra ranks in first and copy the result back at the end (fold.ts).
 */
import { fullRange } from './builder';
import { planFold } from './fold';
import { foldInStep, foldOutStep, recursiveDoublingGatherSteps, recursiveDoublingReduceSteps } from './recursive';
import { segmentRange, type ScheduleStep } from './types';

/** Recursive doubling all-reduce over the group `members`. */
export function recursiveDoublingAllReduceSteps(members: readonly number[], ranks: number, count: number): ScheduleStep[] {
  const plan = planFold(members.length);
  return [
    foldInStep(members, ranks, plan, () => fullRange(count), 'reduce'),
    ...recursiveDoublingReduceSteps(members, ranks, plan, count),
    foldOutStep(members, ranks, plan, () => fullRange(count)),
  ];
}

/**
 * Recursive doubling all-gather: position i starts with segment i of m. Virtual block v is the
 * union of the segments of the positions it stands for, so it is contiguous (fold.ts).
 */
export function recursiveDoublingAllGatherSteps(members: readonly number[], ranks: number, count: number): ScheduleStep[] {
  const m = members.length;
  const plan = planFold(m);
  const blockStart = (v: number): number => segmentRange(count, m, plan.firstPositionOf(v)).start;
  return [
    foldInStep(members, ranks, plan, (extra) => segmentRange(count, m, extra), 'copy'),
    ...recursiveDoublingGatherSteps(members, ranks, plan, blockStart),
    foldOutStep(members, ranks, plan, () => fullRange(count)),
  ];
}
