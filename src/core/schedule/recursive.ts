/**
 * Recursive doubling and halving on the virtual power-of-two group of a fold (see fold.ts).
 * Both work on *virtual blocks*: block v is [blockStart(v), blockStart(v+1)), a contiguous
 * range, and blockStart(pow2) = count. The caller picks the blocks: equal shares of the
 * buffer for all-reduce, or the union of the segments a virtual rank stands for when the
 * result must land in segment i of position i.
 */
import { newStep, transfer } from './builder';
import type { FoldPlan } from './fold';
import type { ElementRange, ScheduleStep } from './types';

export type BlockStart = (v: number) => number;

/** The range covering virtual blocks [v, v + n). */
export function blocksRange(blockStart: BlockStart, v: number, n: number): ElementRange {
  const start = blockStart(v);
  return { start, count: blockStart(v + n) - start };
}

/**
 * Recursive halving reduce-scatter: at distance d = P/2, P/4, …, 1 virtual v and v ^ d split
 * their common block range in two; each sends the half the other keeps and reduces the half
 * it keeps. Every element is reduced on one rank only, so after lg P steps virtual v holds the
 * (deterministic) reduction of block v.
 */
export function recursiveHalvingSteps(members: readonly number[], ranks: number, plan: FoldPlan, blockStart: BlockStart): ScheduleStep[] {
  const steps: ScheduleStep[] = [];
  const rounds = Math.log2(plan.pow2);
  for (let d = plan.pow2 / 2, k = 1; d >= 1; d /= 2, k++) {
    const step = newStep(ranks, `reduce-scatter (halving) ${k}/${rounds}`);
    for (let v = 0; v < plan.pow2; v++) {
      const partner = v ^ d;
      // The partner keeps the d blocks of its half: those starting at partner with its low bits cleared.
      const kept = blocksRange(blockStart, partner & ~(d - 1), d);
      transfer(step, members[plan.positionOf(v)]!, members[plan.positionOf(partner)]!, kept, 'reduce');
    }
    steps.push(step);
  }
  return steps;
}

/**
 * Recursive doubling all-gather: at distance d = 1, 2, …, P/2 virtual v sends the d blocks it
 * holds (aligned at v with its low bits cleared) to v ^ d, which copies them in.
 */
export function recursiveDoublingGatherSteps(members: readonly number[], ranks: number, plan: FoldPlan, blockStart: BlockStart): ScheduleStep[] {
  const steps: ScheduleStep[] = [];
  const rounds = Math.log2(plan.pow2);
  for (let d = 1, k = 1; d < plan.pow2; d *= 2, k++) {
    const step = newStep(ranks, `all-gather (doubling) ${k}/${rounds}`);
    for (let v = 0; v < plan.pow2; v++) {
      const held = blocksRange(blockStart, v & ~(d - 1), d);
      transfer(step, members[plan.positionOf(v)]!, members[plan.positionOf(v ^ d)]!, held, 'copy');
    }
    steps.push(step);
  }
  return steps;
}

/**
 * Recursive doubling all-reduce: at distance d = 1, 2, …, P/2 virtual v and v ^ d swap whole
 * buffers and both reduce. Both sides compute op(a, b) and op(b, a) from identical a, b, which
 * are bitwise equal because a single IEEE add/mul/min/max is commutative; by induction all
 * survivors hold identical bits after every step.
 */
export function recursiveDoublingReduceSteps(members: readonly number[], ranks: number, plan: FoldPlan, count: number): ScheduleStep[] {
  const steps: ScheduleStep[] = [];
  const rounds = Math.log2(plan.pow2);
  for (let d = 1, k = 1; d < plan.pow2; d *= 2, k++) {
    const step = newStep(ranks, `exchange ${k}/${rounds}`);
    for (let v = 0; v < plan.pow2; v++) {
      transfer(step, members[plan.positionOf(v)]!, members[plan.positionOf(v ^ d)]!, { start: 0, count }, 'reduce');
    }
    steps.push(step);
  }
  return steps;
}

/** Fold step: every extra position sends `rangeOf(extra)` to its partner (reduce or copy). */
export function foldInStep(members: readonly number[], ranks: number, plan: FoldPlan, rangeOf: (position: number) => ElementRange, mode: 'reduce' | 'copy'): ScheduleStep {
  const step = newStep(ranks, 'fold in');
  for (const [extra, partner] of plan.pairs) transfer(step, members[extra]!, members[partner]!, rangeOf(extra), mode);
  return step;
}

/** Unfold step: every partner copies `rangeOf(extra)` back to its extra position. */
export function foldOutStep(members: readonly number[], ranks: number, plan: FoldPlan, rangeOf: (position: number) => ElementRange): ScheduleStep {
  const step = newStep(ranks, 'fold out');
  for (const [extra, partner] of plan.pairs) transfer(step, members[partner]!, members[extra]!, rangeOf(extra), 'copy');
  return step;
}
