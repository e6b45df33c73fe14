/**
 * What the benchmark page shows beside a sweep, computed from the sweep itself (DESIGN.md §1, §6):
 * "why this number?" for a cell of the results table, and the pace of the schedule animation
 * (each step in proportion to its α-β time). Pure; the views only draw what these return.
 */
import { scheduleCost } from './cost';
import { explainAlgbw, explainBusbw, explainPredictedTime, type Explanation } from './explain';
import type { AlgorithmFit } from './fit';
import type { AlphaBetaGamma } from './link';
import type { BenchRow } from './nccl-format';
import { buildSchedule } from './schedule';
import type { Schedule } from './schedule/types';
import type { SweepIdentity } from './sweep-fit';

/** The schedule a sweep of `id` runs for `count` elements. */
export function sweepSchedule(id: SweepIdentity, count: number): Schedule {
  return buildSchedule(id.collective, id.algorithm, id.ranks, count, { root: id.root, ...(id.ranksPerNode ? { ranksPerNode: id.ranksPerNode } : {}) });
}

/**
 * The explanation of one cell of a results row: algbw and busbw from their definitions, the time
 * against the α-β model fitted to the sweep; a plain sentence for the time when there is no fit.
 */
export function explainRowCell(row: BenchRow, column: 'time' | 'algbw' | 'busbw', id: SweepIdentity, fit: AlgorithmFit | undefined): Explanation | string {
  const t = row.timeUs / 1e6;
  if (column === 'algbw') return explainAlgbw(row.bytes, t);
  if (column === 'busbw') return explainBusbw(id.collective, id.ranks, row.bytes, t);
  if (!fit) return `time = ${row.timeUs.toFixed(1)} µs: the slowest rank's time for one operation, mean of the timed iterations. (No fitted model for this run to compare with.)`;
  const e = explainPredictedTime(
    sweepSchedule(id, row.count),
    { alphaS: fit.alphaS, betaSPerByte: fit.betaSPerByte, gammaSPerByte: fit.gammaSPerByte ?? 0 },
    'fitted to this sweep',
  );
  return { ...e, note: `${e.note} Measured: ${(t * 1e6).toFixed(1)} µs (mean of the timed iterations, slowest rank).` };
}

/** How long each step of an animation lasts. */
export interface AnimationPace {
  schedule: Schedule;
  /** Each step's α-β time, s (unit α-β when no link was given). */
  stepModelS: number[];
  /** Each step's share of `playMs`, at least `minStepMs`. */
  stepMs: number[];
}

/**
 * Paces the animation of `id`'s schedule at `bytes`: each step lasts in proportion to its time
 * under `link` (the fitted α-β-γ), or under α = 1 s, β = 1/bytes s/B when there is no fit (a step
 * then weighs its message count plus its share of the data).
 */
export function animationPace(id: SweepIdentity, bytes: number, link: AlphaBetaGamma | undefined, playMs: number, minStepMs: number): AnimationPace {
  const schedule = sweepSchedule(id, Math.max(1, Math.floor(bytes / 4)));
  const cost = scheduleCost(schedule, link ?? { alphaS: 1, betaSPerByte: 1 / bytes, gammaSPerByte: 0 });
  const stepModelS = cost.steps.map((s) => s.timeS);
  const total = stepModelS.reduce((a, b) => a + b, 0) || 1;
  return { schedule, stepModelS, stepMs: stepModelS.map((t) => Math.max(minStepMs, (playMs * t) / total)) };
}
