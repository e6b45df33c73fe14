/**
 * "Run it on a real cluster": a training config as the PyTorch DDP program python/ringlab_ddp.py
 * (DESIGN.md §8). The program regenerates ringlab's data set and initial weights from the seed
 * with ringlab's own generator; the hashes of both, computed here, travel with it so the
 * program can say whether it reproduced them bit for bit.
 */
import { DEFAULT_DATASET_SAMPLES, makeDataset, type DatasetSpec } from '../dataset';
import { fnv1a, fnv1aInt } from '../hash';
import { initParams } from '../model';
import { Rng } from '../rng';
import { MIB } from '../buckets';
import type { TrainConfig } from '../config/train-fields';

/** The experiment as ringlab_ddp.py reads it (snake_case, units in names). */
export interface DdpExportConfig {
  layers: number[];
  scaling: 'strong' | 'weak';
  /** Strong scaling: the global batch at every world size. */
  global_batch: number;
  /** Weak scaling: rows per rank (global batch = per_rank_batch × world size). */
  per_rank_batch: number;
  steps: number;
  seed: number;
  lr: number;
  momentum: number;
  dataset: 'clusters' | 'spirals';
  samples: number;
  bucket_cap_bytes: number;
  first_bucket_bytes: number;
  /** The rank counts ringlab ran, for reference. */
  ringlab_ranks: number[];
  /** FNV-1a of the initial parameters (ringlab's flat layout) and of the data set (inputs, then labels). */
  expected: { initial_params: string; dataset: string };
}

/** The marker line in python/ringlab_ddp.py that the export replaces with the config. */
export const DDP_CONFIG_MARKER = 'RINGLAB_CONFIG = None  # @@RINGLAB_CONFIG@@';

/** The data set a training config trains on (as src/cluster/train.ts builds it). */
export function trainDatasetSpec(config: Pick<TrainConfig, 'layers' | 'dataset' | 'seed'>): DatasetSpec {
  return {
    kind: config.dataset === 'spirals' ? 'spirals' : 'gaussian',
    samples: DEFAULT_DATASET_SAMPLES,
    inputDim: config.layers[0]!,
    classes: config.layers[config.layers.length - 1]!,
    seed: config.seed,
  };
}

/** FNV-1a of a data set's float32 inputs followed by its uint32 labels (little-endian). */
export function datasetHash(spec: DatasetSpec): string {
  const d = makeDataset(spec);
  const h = fnv1aInt(new Uint8Array(d.inputs.buffer, d.inputs.byteOffset, d.inputs.byteLength));
  return fnv1a(new Uint8Array(d.labels.buffer, d.labels.byteOffset, d.labels.byteLength), h);
}

/** The config ringlab_ddp.py runs for `config` (computes the two hashes: O(params + data)). */
export function ddpExportConfig(config: TrainConfig): DdpExportConfig {
  const params = initParams({ layers: config.layers }, new Rng(config.seed));
  return {
    layers: [...config.layers],
    scaling: config.scaling,
    global_batch: config.globalBatch,
    per_rank_batch: config.globalBatch / config.ranks[0]!,
    steps: config.steps,
    seed: config.seed,
    lr: config.lr,
    momentum: config.momentum,
    dataset: config.dataset,
    samples: DEFAULT_DATASET_SAMPLES,
    bucket_cap_bytes: Math.round(config.bucketMb * MIB),
    first_bucket_bytes: Math.round(config.firstBucketMb * MIB),
    ringlab_ranks: [...config.ranks],
    expected: { initial_params: fnv1a(new Uint8Array(params.buffer)), dataset: datasetHash(trainDatasetSpec(config)) },
  };
}

/**
 * The program: `template` (python/ringlab_ddp.py's text) with its config marker replaced.
 * Throws when the template lacks the marker (a template from elsewhere).
 */
export function ddpScript(template: string, config: DdpExportConfig): string {
  if (!template.includes(DDP_CONFIG_MARKER)) throw new Error(`ddpScript: the template has no line "${DDP_CONFIG_MARKER}"`);
  // JSON inside a raw triple-quoted Python string: no quote can end it early.
  const json = JSON.stringify(config, null, 2).replace(/'/g, '\\u0027');
  return template.replace(DDP_CONFIG_MARKER, `RINGLAB_CONFIG = json.loads(r'''\n${json}\n''')`);
}

/** How to run the exported program, for the page and the CLI. */
export function ddpRunHint(dir: string): string[] {
  return [
    `GPUs:  torchrun --nproc_per_node 8 ${dir}/ringlab_ddp.py --out report.json`,
    `CPUs:  python3 ${dir}/ringlab_ddp.py --spawn 4 --backend gloo --out report.json`,
    'then load report.json on the training tab ("Load a DDP report") to overlay it on ringlab\'s runs',
  ];
}
