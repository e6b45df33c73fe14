/**
 * Data-parallel training knobs (DESIGN.md §7).
 */

import { ALGORITHMS, type Algorithm } from '../schedule/types';
import { type ConfigTable, type FieldError, type FieldTable, OUTPUT_FILE_FIELD, PROTO_FIELD } from './fields';
import type { Protocol } from '../schedule/protocol';
import { LINK_FIELDS, type LinkConfig, checkLink } from '../link/config';

export interface TrainConfig extends LinkConfig {
  /** Rank counts to run, one training run each. */
  ranks: number[];
  scaling: 'strong' | 'weak';
  globalBatch: number;
  /** Layer widths, input first: 32,128,128,10. */
  layers: number[];
  steps: number;
  seed: number;
  algo: Algorithm;
  bucketMb: number;
  firstBucketMb: number;
  overlap: 'on' | 'off';
  /** Transfer protocol of the gradient all-reduce (src/core/protocol-choice.ts). */
  proto: Protocol;
  lr: number;
  momentum: number;
  dataset: 'clusters' | 'spirals';
  /** -J: write the JSON report here (command line only). */
  outputFile: string | null;
  /** --export-ddp: write the PyTorch DDP program here (command line only). */
  exportDdp: string | null;
}

const MAX_GLOBAL_BATCH = 65536;

export const TRAIN_FIELDS: FieldTable<TrainConfig> = {
  ranks: { kind: 'list-int', min: 1, max: 16, minLength: 1, maxLength: 8, default: [1, 2, 4], flags: ['--ranks'], help: 'Rank counts to compare.' },
  scaling: {
    kind: 'enum',
    values: ['strong', 'weak'],
    default: 'strong',
    flags: ['--scaling'],
    help: 'strong: same global batch at every rank count; weak: same per-rank batch (global batch grows).',
  },
  globalBatch: {
    kind: 'int',
    min: 1,
    max: MAX_GLOBAL_BATCH,
    default: 64,
    flags: ['--global-batch'],
    help: 'Global batch (weak scaling: the global batch at the first rank count).',
  },
  layers: { kind: 'list-int', min: 1, max: 8192, minLength: 2, maxLength: 16, default: [32, 128, 128, 10], flags: ['--layers'], help: 'Layer widths, input first, classes last.' },
  steps: { kind: 'int', min: 1, max: 100_000, default: 20, flags: ['--steps'], help: 'Training steps per run.' },
  seed: { kind: 'int', min: 0, max: 2 ** 31 - 1, default: 1, flags: ['--seed'], help: 'Seed for data and initial weights.' },
  algo: { kind: 'enum', values: ALGORITHMS, default: 'ring', flags: ['--algo'], help: 'All-reduce algorithm for the gradients.' },
  // At least 0.0001 MiB (105 B, 26 floats): a smaller cap rounds to an empty bucket.
  bucketMb: { kind: 'number', min: 0.0001, max: 1024, default: 25, flags: ['--bucket-mb'], help: 'Gradient bucket size, MiB (PyTorch DDP: 25).' },
  firstBucketMb: { kind: 'number', min: 0.0001, max: 1024, default: 1, flags: ['--first-bucket-mb'], help: 'First (last-layer) bucket size, MiB (DDP: 1).' },
  overlap: { kind: 'enum', values: ['on', 'off'], default: 'on', flags: ['--overlap'], help: 'Overlap bucket all-reduces with the backward pass.' },
  proto: PROTO_FIELD,
  lr: { kind: 'number', min: 0, minExclusive: true, max: 10, default: 0.05, flags: ['--lr'], help: 'Learning rate (SGD).' },
  momentum: { kind: 'number', min: 0, max: 0.999, default: 0.9, flags: ['--momentum'], help: 'SGD momentum.' },
  dataset: { kind: 'enum', values: ['clusters', 'spirals'], default: 'clusters', flags: ['--dataset'], help: 'Synthetic dataset.' },
  ...LINK_FIELDS,
  outputFile: OUTPUT_FILE_FIELD,
  exportDdp: {
    kind: 'string',
    format: 'a directory',
    validate: (text: string) => (text === '' ? 'empty path' : null),
    default: null,
    flags: ['--export-ddp'],
    help: 'Also write this experiment as a PyTorch DDP program (ringlab_ddp.py) into this directory.',
    cliOnly: true,
  },
};

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The batch must split evenly over the ranks (strong: every rank count divides the global
 * batch; weak: the first one does), and the link rules hold for every rank count. A batch that
 * does not split is rounded up to the next one that does.
 */
export function checkTrainConfig(config: TrainConfig): { config: TrainConfig; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let out = { ...config, ranks: [...config.ranks], layers: [...config.layers] };
  const divisors = out.scaling === 'strong' ? out.ranks : out.ranks.slice(0, 1);
  const lcm = divisors.reduce((a, b) => (a * b) / gcd(a, b), 1);
  const maxBatch = MAX_GLOBAL_BATCH;
  if (lcm > maxBatch) {
    errors.push({
      field: 'ranks',
      value: out.ranks.join(','),
      message: `ranks: no global batch ≤ ${maxBatch} splits evenly over ${divisors.join(', ')} ranks; using defaults`,
    });
    out.ranks = [...TRAIN_FIELDS.ranks.default];
    out.globalBatch = TRAIN_FIELDS.globalBatch.default;
  } else if (out.globalBatch % lcm !== 0) {
    const fixed = Math.min(Math.ceil(out.globalBatch / lcm) * lcm, Math.floor(maxBatch / lcm) * lcm);
    errors.push({
      field: 'globalBatch',
      value: String(out.globalBatch),
      message: `global-batch: ${out.globalBatch} does not split evenly over ${divisors.join(', ')} ranks; using ${fixed}`,
    });
    out.globalBatch = fixed;
  }
  if (out.scaling === 'weak' && errors.every((e) => e.field !== 'ranks')) {
    // Weak scaling grows the global batch with the rank count: the limit holds at the largest.
    const first = out.ranks[0]!;
    const most = Math.max(...out.ranks);
    const largest = (out.globalBatch / first) * most;
    if (largest > maxBatch) {
      const fixed = Math.max(1, Math.floor(maxBatch / most)) * first;
      errors.push({
        field: 'globalBatch',
        value: String(out.globalBatch),
        message: `global-batch: ${out.globalBatch} at ${first} rank(s) grows to ${largest} at ${most} ranks in weak scaling, above the limit ${maxBatch}; using ${fixed}`,
      });
      out.globalBatch = fixed;
    }
  }
  out = checkLink(out, out.ranks, errors);
  return { config: out, errors };
}

/** The train table with its cross-field check: pass this to parseUrl / parseArgv. */
export const TRAIN_TABLE: ConfigTable<TrainConfig> = { fields: TRAIN_FIELDS, check: checkTrainConfig };
