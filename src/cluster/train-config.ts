/**
 * The training config (URL or command line) → the ScalingRequest that runs it. One mapping
 * for the page and the CLI, with the checks that need more than one field.
 */
import type { TrainConfig } from '../core/config';
import { pickLinkConfig } from '../core/link';
import { batchSplitProblems } from '../core/batch';
import type { ScalingRequest } from './scaling';

const MIB = 1024 * 1024;
/** How long a rank may wait for a peer before the run fails, ms. */
export const TRAIN_TIMEOUT_MS = 30_000;

/** Problems no single field can see; empty when the config can run. */
export function trainConfigProblems(c: TrainConfig): string[] {
  const p: string[] = [];
  if (c.dataset === 'spirals' && c.layers[0] !== 2) p.push(`dataset spirals needs input width 2 (layers 2,…), got ${c.layers[0]}`);
  p.push(...batchSplitProblems(c.scaling, c.globalBatch, c.ranks));
  return p;
}

export function scalingRequestFromConfig(c: TrainConfig, timeoutMs = TRAIN_TIMEOUT_MS): ScalingRequest | { error: string } {
  const problems = trainConfigProblems(c);
  if (problems.length) return { error: problems.join('; ') };
  return {
    rankCounts: c.ranks,
    scaling: c.scaling,
    globalBatch: c.globalBatch,
    layers: c.layers,
    steps: c.steps,
    seed: c.seed,
    algorithm: c.algo,
    bucketCapBytes: Math.round(c.bucketMb * MIB),
    firstBucketBytes: Math.round(c.firstBucketMb * MIB),
    overlap: c.overlap === 'on',
    proto: c.proto,
    lr: c.lr,
    momentum: c.momentum,
    dataset: c.dataset,
    link: pickLinkConfig(c),
    timeoutMs,
  };
}
