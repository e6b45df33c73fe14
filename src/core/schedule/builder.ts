/**
 * Small helpers the generators share: a mutable step under construction, a matched
 * send/receive pair, and merging of steps that run side by side on disjoint rank groups.
 * Generators work on a *group*: `members[i]` is the real rank at position i, so the same ring
 * or tree code serves the whole cluster and the node leaders of `hierarchical`.
 */
import type { ElementRange, ScheduleStep } from './types';

/** A fresh step in which no rank does anything yet. */
export function newStep(ranks: number, label: string): ScheduleStep {
  return { label, ops: Array.from({ length: ranks }, () => []) };
}

/**
 * Adds a matched pair: `from` sends `range`, `to` receives the same range. Zero-length
 * ranges are skipped entirely (count < ranks leaves empty segments, and a message of nothing
 * would still cost a latency α in the model and a round trip in the transport).
 */
export function transfer(step: ScheduleStep, from: number, to: number, range: ElementRange, mode: 'reduce' | 'copy'): void {
  if (range.count <= 0) return;
  if (from === to) throw new Error(`schedule bug: rank ${from} sends to itself in "${step.label}"`);
  const copy = { start: range.start, count: range.count };
  step.ops[from]!.push({ kind: 'send', peer: to, range: copy });
  step.ops[to]!.push({ kind: 'recv', peer: from, range: { ...copy }, mode });
}

/** True when no rank has any op in the step. */
export function isEmptyStep(step: ScheduleStep): boolean {
  return step.ops.every((ops) => ops.length === 0);
}

/**
 * Runs several step lists side by side (they must touch disjoint ranks): step k of the result
 * holds step k of every list. Labels come from the longest list.
 */
export function mergeParallel(ranks: number, lists: ScheduleStep[][]): ScheduleStep[] {
  const length = Math.max(0, ...lists.map((l) => l.length));
  const merged: ScheduleStep[] = [];
  for (let k = 0; k < length; k++) {
    const label = lists.find((l) => l.length > k)?.[k]?.label ?? `step ${k + 1}`;
    const step = newStep(ranks, label);
    for (const list of lists) {
      const part = list[k];
      if (!part) continue;
      part.ops.forEach((ops, r) => step.ops[r]!.push(...ops));
    }
    merged.push(step);
  }
  return merged;
}

/** Non-negative modulo: mod(-1, 4) = 3. */
export function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}

/** The whole buffer as a range. */
export function fullRange(count: number): ElementRange {
  return { start: 0, count };
}

/** Largest power of two ≤ n (n ≥ 1). */
export function floorPow2(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

/** ⌈log2 n⌉ for n ≥ 1: the number of rounds of a binomial tree over n ranks. */
export function ceilLog2(n: number): number {
  let k = 0;
  while (1 << k < n) k++;
  return k;
}
