/**
 * What may be said about where one algorithm overtakes another, from fitted sweeps (issue 10,
 * defect 4: crossovers were stated 1024× beyond the measured sizes, from fits with R² below
 * zero, and between runs on different interconnects). One rule for the page and `bench --fit`:
 *  - only like with like: same collective, rank count and interconnect;
 *  - a crossover inside the sizes both runs measured is stated plainly; one found beyond them
 *    (up to EXTRAPOLATE_FACTOR× the largest) is stated as "extrapolated";
 *  - "faster at every size" is said only over the sizes both measured;
 *  - a fit with R² (of t or of log t) below RELIABLE_R2 makes the statement "unreliable fit".
 */
import { crossoverSearch, type AlgorithmFit } from './fit';
import { runToEnd, type Steps } from './steps';
import type { SweepIdentity } from './sweep-fit';
import type { LinkConfig } from './link';
import { formatBandwidth, formatBytes } from './units';

/**
 * The interconnect a sweep ran on, as a short comparable text: two sweeps are compared only
 * when these are equal (the link, its overrides, the topology, a slow link, the scaling).
 */
export function interconnectKey(c: LinkConfig): string {
  if (c.link === 'none') return 'no emulated link';
  const parts: string[] = [c.link];
  if (c.alphaUs !== null) parts.push(`α ${c.alphaUs} µs`);
  if (c.bandwidth !== null) parts.push(formatBandwidth(c.bandwidth));
  if (c.nodes > 1 || c.ranksPerNode !== null) parts.push(`nodes ${c.nodes}×${c.ranksPerNode ?? '?'} with ${c.intraLink} inside`);
  if (c.slowLink) parts.push(`slow link ${c.slowLink}`);
  parts.push(c.scaled ? `scaled to ${c.gpu}` : 'unscaled');
  return parts.join(', ');
}

/** Below this R² a fit does not support a statement about where curves cross. */
export const RELIABLE_R2 = 0.9;
/** How far beyond the measured sizes a crossover is still looked for (and called extrapolated). */
export const EXTRAPOLATE_FACTOR = 1024;

export interface FittedSweep {
  id: SweepIdentity;
  fit: Pick<AlgorithmFit, 'predictS' | 'r2' | 'r2Log'>;
  minBytes: number;
  maxBytes: number;
  /** The interconnect the sweep ran on, as a comparable key (e.g. "none", "10gbe scaled 1.2e-7"). */
  link: string;
}

/** Why a fit is unreliable ("R² -0.31"), or null when it is not. */
export function unreliable(fit: Pick<AlgorithmFit, 'r2' | 'r2Log'>): string | null {
  const bad: string[] = [];
  if (!(fit.r2 >= RELIABLE_R2)) bad.push(`R² ${fit.r2.toFixed(2)}`);
  if (!Number.isNaN(fit.r2Log) && !(fit.r2Log >= RELIABLE_R2)) bad.push(`R² of log t ${fit.r2Log.toFixed(2)}`);
  return bad.length ? bad.join(', ') : null;
}

/** One sentence per comparable pair, plus one per pair left out because its interconnects differ. */
export function crossoverStatements(runs: readonly FittedSweep[]): string[] {
  return runToEnd(crossoverStatementSteps(runs));
}

/** `crossoverStatements` as steps (core/steps.ts): the page runs them in short tasks. */
export function* crossoverStatementSteps(runs: readonly FittedSweep[]): Steps<string[]> {
  const out: string[] = [];
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      const a = runs[i]!;
      const b = runs[j]!;
      if (a.id.collective !== b.id.collective || a.id.ranks !== b.id.ranks || a.id.algorithm === b.id.algorithm) continue;
      if (a.link !== b.link) {
        out.push(`${a.id.algorithm} and ${b.id.algorithm} not compared: they ran on different interconnects (${a.link} vs ${b.link}).`);
        continue;
      }
      out.push(yield* pairStatement(a, b));
    }
  }
  return out;
}

function* pairStatement(a: FittedSweep, b: FittedSweep): Steps<string> {
  const lo = Math.max(a.minBytes, b.minBytes);
  const hi = Math.min(a.maxBytes, b.maxBytes);
  const faster = (bytes: number): string => (a.fit.predictS(bytes) < b.fit.predictS(bytes) ? a.id.algorithm : b.id.algorithm);
  const other = (name: string): string => (name === a.id.algorithm ? b.id.algorithm : a.id.algorithm);
  const why = [unreliable(a.fit) && `${a.id.algorithm} ${unreliable(a.fit)}`, unreliable(b.fit) && `${b.id.algorithm} ${unreliable(b.fit)}`].filter(Boolean);
  const caveat = why.length ? `; unreliable fit: ${why.join('; ')}` : '';
  const where = `${a.id.ranks} ranks, ${a.link}`;
  if (!(hi > lo)) return `${a.id.algorithm} and ${b.id.algorithm}: no sizes measured by both, nothing to compare (${where}).`;
  const inside = yield* crossoverSearch(a.fit, b.fit, lo, hi);
  if (inside !== null)
    return `${faster(inside * 1.01)} overtakes ${faster(inside / 1.01)} above ${formatBytes(inside)} (${where}; fitted models, within the measured sizes${caveat}).`;
  const beyond = yield* crossoverSearch(a.fit, b.fit, hi, hi * EXTRAPOLATE_FACTOR);
  const winner = faster(lo);
  const measured = `${winner} is faster than ${other(winner)} at every measured size from ${formatBytes(lo)} to ${formatBytes(hi)}`;
  if (beyond === null) return `${measured} (${where}${caveat}).`;
  return `${measured}; extrapolated beyond the measured sizes, ${faster(beyond * 1.01)} would overtake it above ${formatBytes(beyond)} (${where}${caveat}).`;
}
