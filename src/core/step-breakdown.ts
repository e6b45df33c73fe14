/**
 * One definition of a training step's breakdown, for both clocks, the page and the CLI
 * (issue 10, defect 3: compute of the slowest rank + mean exposed + mean idle reached 315 ms
 * for a 164 ms step with a straggler). Per rank, every instant of the step is exactly one of:
 * computing; communicating while not computing (exposed communication); neither (idle). So
 * compute_r + exposed_r + idle_r = step for every rank, and the means over ranks add up too.
 */

/** One rank's share of a step, in any one time unit. */
export interface RankShare {
  /** Forward + backward + optimizer. */
  compute: number;
  /** Length of the union of its compute and communication intervals. */
  busy: number;
}

/** A step's parts, mean over ranks; compute + exposedComm + idle = step. */
export interface StepBreakdown {
  step: number;
  compute: number;
  exposedComm: number;
  idle: number;
}

/** The exposed communication and idle time of one rank (clamped to the step: clock jitter). */
export function rankParts(step: number, r: RankShare): { compute: number; exposedComm: number; idle: number } {
  const compute = Math.min(Math.max(0, r.compute), step);
  const busy = Math.min(Math.max(r.busy, compute), step);
  return { compute, exposedComm: busy - compute, idle: step - busy };
}

/** The breakdown of one step (see the file comment). */
export function stepBreakdown(step: number, ranks: readonly RankShare[]): StepBreakdown {
  if (ranks.length === 0) return { step, compute: 0, exposedComm: 0, idle: step };
  const parts = ranks.map((r) => rankParts(step, r));
  const mean = (f: (p: (typeof parts)[number]) => number): number => parts.reduce((s, p) => s + f(p), 0) / parts.length;
  const compute = mean((p) => p.compute);
  const exposedComm = mean((p) => p.exposedComm);
  // The remainder, so that the three parts add up to the step exactly in floating point too.
  return { step, compute, exposedComm, idle: Math.max(0, step - compute - exposedComm) };
}

/** The column header's definitions, said the same way on the page and in the CLI. */
export const BREAKDOWN_DEFINITION =
  'compute + exposed-comm + idle = step, each the mean over ranks: compute = forward+backward+optimizer; exposed-comm = communicating while not computing; idle = neither';
