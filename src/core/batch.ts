/**
 * How a training study's global batch relates to its rank counts (DESIGN.md §6, §7): the one
 * rule for the batch at each rank count and for whether it splits into equal shards. The config
 * check, the scaling study and the training run all read it.
 */
import { shardError } from './dataset';

export type Scaling = 'strong' | 'weak';

/**
 * Global batch at `ranks` ranks: the same at every rank count in strong scaling; in weak scaling
 * the per-rank batch of the first rank count (`globalBatch / firstRanks`) times `ranks`.
 */
export function globalBatchAt(scaling: Scaling, globalBatch: number, firstRanks: number, ranks: number): number {
  return scaling === 'strong' ? globalBatch : (globalBatch / firstRanks) * ranks;
}

/**
 * One message per rank count whose global batch does not split into equal shards (equal shards
 * make the averaged gradient the global-batch mean); empty when every one splits.
 */
export function batchSplitProblems(scaling: Scaling, globalBatch: number, rankCounts: readonly number[]): string[] {
  const first = rankCounts[0];
  if (first === undefined) return [];
  const problems: string[] = [];
  for (const n of rankCounts) {
    const batch = globalBatchAt(scaling, globalBatch, first, n);
    const e = Number.isInteger(batch) ? shardError(batch, n) : `global batch ${globalBatch} does not split over ${first} ranks`;
    if (e) problems.push(`global batch at ${n} ranks: ${e}`);
  }
  return problems;
}
