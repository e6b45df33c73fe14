/**
 * Ring family: ring reduce-scatter, ring all-gather, ring all-reduce (the one NCCL made
 * famous: reduce-scatter then all-gather, 2(m−1) steps of count/m elements each), and the
 * pipeline-free chain broadcast. Position i always sends to position i+1 (mod m), so every
 * link of the ring carries exactly one message per step.
 */
import { fullRange, mod, newStep, transfer } from './builder';
import { segmentRange, type ScheduleStep } from './types';

/**
 * Ring reduce-scatter over the group `members` (positions 0..m−1): after m−1 steps position i
 * holds the reduction of segment i of m. Each segment is reduced along one path of the ring,
 * so its value is produced on exactly one rank (deterministic, no double reduction).
 */
export function ringReduceScatterSteps(members: readonly number[], ranks: number, count: number): ScheduleStep[] {
  const m = members.length;
  const steps: ScheduleStep[] = [];
  for (let s = 0; s < m - 1; s++) {
    const step = newStep(ranks, `reduce-scatter ${s + 1}/${m - 1}`);
    for (let i = 0; i < m; i++) {
      // At step s position i forwards the partial sum of segment i−s−1 it has accumulated;
      // at the last step (s = m−2) position i receives segment i: its own result.
      const seg = segmentRange(count, m, mod(i - s - 1, m));
      transfer(step, members[i]!, members[(i + 1) % m]!, seg, 'reduce');
    }
    steps.push(step);
  }
  return steps;
}

/**
 * Ring all-gather over the group: position i starts with segment i of m and after m−1 steps
 * every position holds every segment (copied, never reduced).
 */
export function ringAllGatherSteps(members: readonly number[], ranks: number, count: number): ScheduleStep[] {
  const m = members.length;
  const steps: ScheduleStep[] = [];
  for (let s = 0; s < m - 1; s++) {
    const step = newStep(ranks, `all-gather ${s + 1}/${m - 1}`);
    for (let i = 0; i < m; i++) {
      const seg = segmentRange(count, m, mod(i - s, m));
      transfer(step, members[i]!, members[(i + 1) % m]!, seg, 'copy');
    }
    steps.push(step);
  }
  return steps;
}

/** Ring all-reduce: reduce-scatter then all-gather, 2(m−1) steps. */
export function ringAllReduceSteps(members: readonly number[], ranks: number, count: number): ScheduleStep[] {
  return [...ringReduceScatterSteps(members, ranks, count), ...ringAllGatherSteps(members, ranks, count)];
}

/**
 * Chain broadcast: the root sends the whole buffer to the next position, which forwards it,
 * m−1 steps. Not pipelined (a pipelined chain would cut the buffer into slices; the
 * transport pipelines large messages underneath instead, DESIGN.md §3).
 */
export function chainBroadcastSteps(members: readonly number[], ranks: number, count: number, rootIndex: number): ScheduleStep[] {
  const m = members.length;
  const steps: ScheduleStep[] = [];
  for (let s = 0; s < m - 1; s++) {
    const step = newStep(ranks, `broadcast ${s + 1}/${m - 1}`);
    const from = members[(rootIndex + s) % m]!;
    const to = members[(rootIndex + s + 1) % m]!;
    transfer(step, from, to, fullRange(count), 'copy');
    steps.push(step);
  }
  return steps;
}
