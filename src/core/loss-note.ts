/**
 * What the loss chart may claim about its curves (issue 10, defect 4: in weak scaling it said
 * "same global batch: the same curve at every rank count", where neither holds).
 */

/** The chart's second title line for a scaling regime. */
export function lossChartNote(scaling: 'strong' | 'weak'): string {
  return scaling === 'strong'
    ? 'strong scaling: same seed and global batch, so every rank count follows the same curve (up to float32 rounding)'
    : 'weak scaling: the global batch grows with the rank count, so the curves differ (more samples per step)';
}
