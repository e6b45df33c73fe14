/**
 * Scaling efficiency of a study from its first rank count (DESIGN.md §6): strong T₁/(N·T_N) at a
 * fixed global batch, weak T₁/T_N at a fixed per-rank batch. A study need not start at one rank,
 * so T₁ is estimated from its first point N₀: N₀·T_N₀ in strong scaling (perfect scaling down
 * to one rank), T_N₀ in weak. The one rule for the study's figures and their explanations.
 */
import { explainEfficiency, type Explanation } from './explain';

export type ScalingKind = 'strong' | 'weak';

/** The study's first point on one clock: its rank count and step time. */
export interface ScalingBase {
  ranks: number;
  stepMs: number;
}

/** T₁ in ms, estimated from the first point (see the file comment). */
export function baseStepMs(scaling: ScalingKind, base: ScalingBase): number {
  return scaling === 'strong' ? base.stepMs * base.ranks : base.stepMs;
}

/** Efficiency at `ranks` with step time `stepMs` (1 is perfect), with its formula and numbers. */
export function explainScalingEfficiency(scaling: ScalingKind, base: ScalingBase, ranks: number, stepMs: number): Explanation {
  const e = explainEfficiency(scaling, baseStepMs(scaling, base) / 1e3, stepMs / 1e3, ranks);
  return base.ranks === 1 ? e : { ...e, note: `${e.note} (T₁ taken as ${scaling === 'strong' ? `${base.ranks}·T` : 'T'} at ${base.ranks} ranks)` };
}

/** Efficiency at `ranks` with step time `stepMs`: 1 is perfect. */
export function scalingEfficiency(scaling: ScalingKind, base: ScalingBase, ranks: number, stepMs: number): number {
  return explainScalingEfficiency(scaling, base, ranks, stepMs).value;
}
