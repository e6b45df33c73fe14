/**
 * "Why this number?" for the training summary table (DESIGN.md §6): the formula behind an
 * efficiency or MFU cell (either clock) or the overlap cell (projected clock), from the study's own
 * results, with the same T₁ rule the study used for the figure (core/scaling-efficiency.ts).
 */
import { explainOverlap, type Explanation } from '../core/explain';
import { explainScalingEfficiency } from '../core/scaling-efficiency';
import type { ScalingPoint, ScalingResult } from './scaling';

/** Which cell: efficiency or MFU on the measured or projected clock, or the projected overlap. */
export type ScalingCell = 'effM' | 'effP' | 'overlap' | 'mfuM' | 'mfuP';

/** The explanation of one cell of point `p` of study `r`; null when its run has no projection. */
export function explainScalingCell(r: ScalingResult, p: ScalingPoint, cell: ScalingCell): Explanation | null {
  if (cell === 'mfuM' || cell === 'mfuP') return explainMfu(p, cell === 'mfuM' ? 'measured' : 'projected');
  if (cell === 'overlap') {
    const proj = r.runs.find((x) => x.request.ranks === p.ranks)?.projected;
    if (!proj) return null;
    const computeS = Math.max(...proj.perRank.map((x) => x.computeS));
    const commS = Math.max(...proj.perRank.map((x) => x.commS));
    return explainOverlap(proj.stepS, computeS, commS);
  }
  const clock = cell === 'effM' ? 'measured' : 'projected';
  const base = r.points[0]!;
  const e = explainScalingEfficiency(r.scaling, { ranks: base.ranks, stepMs: base[clock].stepMs }, p.ranks, p[clock].stepMs);
  return { ...e, note: `${e.note} (${clock} clock)` };
}

/** A utilization as a percentage with enough digits for the tiny values of a software adapter. */
export function pct(x: number): string {
  const v = x * 100;
  return `${Number.isFinite(v) ? (v >= 10 ? v.toFixed(0) : v.toPrecision(2)) : '?'} %`;
}

/** "Why this number?" for an MFU cell: the formula, the values, and its two factors. */
function explainMfu(p: ScalingPoint, clock: 'measured' | 'projected'): Explanation {
  const u = p[clock].utilization;
  const gpus = clock === 'measured' ? 1 : p.ranks;
  return {
    formula: 'MFU = model FLOPs per step / step time / (GPUs × peak FLOP/s), model FLOPs = 6 · parameters · global batch',
    substituted: `MFU = ${p.flopsPerStep.toExponential(3)} FLOP / ${(p[clock].stepMs / 1e3).toPrecision(4)} s / (${gpus} × ${(p.peakFlopsPerS / 1e9).toPrecision(3)} GFLOP/s) = ${pct(u.mfu)}`,
    value: u.mfu * 100,
    unit: '%',
    note: `${clock} clock${clock === 'measured' ? ' (all ranks share this one adapter)' : ` (${p.ranks} separate GPUs)`}; peak = this adapter's measured matmul FLOP/s. = compute share ${pct(u.computeShare)} (the rest is communication and waiting) × kernel utilization ${pct(u.kernelUtilization)} (the rest is dispatch and memory-bound kernels).`,
  };
}
