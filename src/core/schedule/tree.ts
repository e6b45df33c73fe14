/**
 * Binomial trees: reduce to a root in ⌈lg m⌉ rounds, broadcast from a root in ⌈lg m⌉ rounds,
 * and the `tree` all-reduce made of the two. Positions are relative to the root
 * (rel = (i − root) mod m), so any root and any m (not only powers of two) work.
 */
import { ceilLog2, fullRange, newStep, transfer } from './builder';
import type { ScheduleStep } from './types';

/** Real rank of relative position `rel` in a group rooted at `rootIndex`. */
function realOf(members: readonly number[], rootIndex: number, rel: number): number {
  return members[(rel + rootIndex) % members.length]!;
}

/**
 * Binomial reduce: in round k (mask = 2^k) every rel with rel mod 2^(k+1) = 2^k sends its
 * partial result to rel − 2^k, which reduces it in. The root ends with the full reduction;
 * every element is reduced in one fixed order, so the result is deterministic.
 */
export function binomialReduceSteps(members: readonly number[], ranks: number, count: number, rootIndex: number, labelPrefix = 'reduce'): ScheduleStep[] {
  const m = members.length;
  const rounds = ceilLog2(m);
  const steps: ScheduleStep[] = [];
  for (let k = 0, mask = 1; k < rounds; k++, mask *= 2) {
    const step = newStep(ranks, `${labelPrefix} ${k + 1}/${rounds}`);
    for (let rel = 0; rel + mask < m; rel += 2 * mask) {
      transfer(step, realOf(members, rootIndex, rel + mask), realOf(members, rootIndex, rel), fullRange(count), 'reduce');
    }
    steps.push(step);
  }
  return steps;
}

/** Binomial broadcast: the reduce's rounds in reverse, copying instead of reducing. */
export function binomialBroadcastSteps(members: readonly number[], ranks: number, count: number, rootIndex: number, labelPrefix = 'broadcast'): ScheduleStep[] {
  const m = members.length;
  const rounds = ceilLog2(m);
  const steps: ScheduleStep[] = [];
  for (let k = 0; k < rounds; k++) {
    const mask = 2 ** (rounds - 1 - k);
    const step = newStep(ranks, `${labelPrefix} ${k + 1}/${rounds}`);
    for (let rel = 0; rel + mask < m; rel += 2 * mask) {
      transfer(step, realOf(members, rootIndex, rel), realOf(members, rootIndex, rel + mask), fullRange(count), 'copy');
    }
    steps.push(step);
  }
  return steps;
}

/** `tree` all-reduce: binomial reduce to the root, then binomial broadcast of the result. */
export function treeAllReduceSteps(members: readonly number[], ranks: number, count: number, rootIndex: number): ScheduleStep[] {
  return [...binomialReduceSteps(members, ranks, count, rootIndex), ...binomialBroadcastSteps(members, ranks, count, rootIndex)];
}
