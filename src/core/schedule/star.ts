/**
 * Star: the naive parameter server. Everyone sends to the root in one step, the root reduces
 * the p−1 messages in rank order, then sends the result to everyone in one step. The root's
 * link is the bottleneck: its p−1 messages serialise (DESIGN.md §6).
 */
import { fullRange, newStep, transfer } from './builder';
import type { ScheduleStep } from './types';

/** Star all-reduce rooted at `root` (two steps; none for one rank). */
export function starAllReduceSteps(ranks: number, count: number, root: number): ScheduleStep[] {
  if (ranks === 1) return [];
  const gather = newStep(ranks, 'to root');
  for (let r = 0; r < ranks; r++) if (r !== root) transfer(gather, r, root, fullRange(count), 'reduce');
  return [gather, ...starBroadcastSteps(ranks, count, root)];
}

/** Star broadcast: the root sends the whole buffer to every other rank in one step. */
export function starBroadcastSteps(ranks: number, count: number, root: number): ScheduleStep[] {
  if (ranks === 1) return [];
  const step = newStep(ranks, 'from root');
  for (let r = 0; r < ranks; r++) if (r !== root) transfer(step, root, r, fullRange(count), 'copy');
  return [step];
}
