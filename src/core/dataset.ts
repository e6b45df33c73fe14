/**
 * Seeded synthetic classification data the page makes itself (DESIGN.md §7), and the
 * deterministic global batch / per-rank shard for every step.
 */
import { Rng } from './rng';

/** Samples in a training run's synthetic data set. */
export const DEFAULT_DATASET_SAMPLES = 4096;

export type DatasetKind = 'gaussian' | 'spirals';

export interface DatasetSpec {
  kind: DatasetKind;
  samples: number;
  inputDim: number;
  classes: number;
  seed: number;
}

/** Inputs row-major [samples × inputDim]; labels in [0, classes). */
export interface Dataset {
  spec: DatasetSpec;
  inputs: Float32Array;
  labels: Uint32Array;
}

/** Distance scale of gaussian cluster centres relative to the unit cluster spread. */
const CENTRE_SCALE = 1.5;
/** Angular noise of the spiral arms, in radians. */
const SPIRAL_NOISE_RAD = 0.2;

/**
 * Builds a data set. 'gaussian': K centres drawn from N(0, CENTRE_SCALE²·I), each sample its
 * class centre plus N(0, I) noise (overlapping a little, so accuracy stays below 100 %).
 * 'spirals' (inputDim must be 2): K interleaved arms, the classic non-linear toy problem.
 */
export function makeDataset(spec: DatasetSpec): Dataset {
  const { kind, samples, inputDim, classes, seed } = spec;
  if (!(samples >= 1 && inputDim >= 1 && classes >= 2)) {
    throw new RangeError(`makeDataset: need samples ≥ 1, inputDim ≥ 1, classes ≥ 2 (got ${samples}, ${inputDim}, ${classes})`);
  }
  if (kind === 'spirals' && inputDim !== 2) throw new RangeError(`makeDataset: spirals need inputDim = 2, got ${inputDim}`);
  const rng = new Rng(seed);
  const centresRng = rng.fork(0);
  const sampleRng = rng.fork(1);
  const inputs = new Float32Array(samples * inputDim);
  const labels = new Uint32Array(samples);
  const centres = new Float64Array(classes * inputDim);
  for (let i = 0; i < centres.length; i++) centres[i] = centresRng.normal() * CENTRE_SCALE;
  for (let s = 0; s < samples; s++) {
    // Round-robin labels keep the classes balanced; the batch order is shuffled later.
    const label = s % classes;
    labels[s] = label;
    if (kind === 'gaussian') {
      for (let d = 0; d < inputDim; d++) inputs[s * inputDim + d] = centres[label * inputDim + d] + sampleRng.normal();
    } else {
      const t = sampleRng.uniform(); // radius in [0, 1)
      const theta = (2 * Math.PI * label) / classes + 4 * t + sampleRng.normal() * SPIRAL_NOISE_RAD;
      inputs[s * 2] = t * Math.sin(theta);
      inputs[s * 2 + 1] = t * Math.cos(theta);
    }
  }
  return { spec, inputs, labels };
}

/** Seeded permutation of [0, n) for one epoch. */
function epochPermutation(n: number, seed: number, epoch: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return new Rng(seed).fork(1000 + epoch).shuffle(p);
}

/**
 * Sample indices of the global batch for `step` (0-based). Steps walk through one seeded
 * permutation per epoch; a batch that crosses an epoch boundary continues into the next
 * epoch's permutation. Same data set, step and size → same indices, on every rank.
 */
export function globalBatch(dataset: Dataset, step: number, globalBatchSize: number): Uint32Array {
  const n = dataset.labels.length;
  if (!(globalBatchSize >= 1) || !Number.isInteger(step) || step < 0) {
    throw new RangeError(`globalBatch: need step ≥ 0 and globalBatchSize ≥ 1 (got ${step}, ${globalBatchSize})`);
  }
  const out = new Uint32Array(globalBatchSize);
  const perms = new Map<number, Uint32Array>();
  for (let j = 0; j < globalBatchSize; j++) {
    const pos = step * globalBatchSize + j;
    const epoch = Math.floor(pos / n);
    let perm = perms.get(epoch);
    if (!perm) {
      perm = epochPermutation(n, dataset.spec.seed, epoch);
      perms.set(epoch, perm);
    }
    out[j] = perm[pos % n];
  }
  return out;
}

/** Why `globalBatchSize` cannot be split over `ranks`, or null when it can. */
export function shardError(globalBatchSize: number, ranks: number): string | null {
  if (!Number.isInteger(ranks) || ranks < 1) return `ranks must be a positive integer, got ${ranks}`;
  if (globalBatchSize % ranks !== 0) {
    return `global batch ${globalBatchSize} does not divide by ${ranks} ranks; pick a multiple of ${ranks} (e.g. ${Math.max(ranks, Math.round(globalBatchSize / ranks) * ranks)})`;
  }
  return null;
}

/**
 * Rank `rank`'s contiguous shard of a global batch: elements [rank·B/N, (rank+1)·B/N).
 * Throws a RangeError with `shardError`'s message when B does not divide by N (equal shards
 * are what makes the averaged gradient equal the global-batch mean, see model/reference.ts).
 */
export function shardBatch(globalBatchIdx: Uint32Array, ranks: number, rank: number): Uint32Array {
  const err = shardError(globalBatchIdx.length, ranks);
  if (err) throw new RangeError(`shardBatch: ${err}`);
  if (!(rank >= 0 && rank < ranks)) throw new RangeError(`shardBatch: rank ${rank} not in [0, ${ranks})`);
  const per = globalBatchIdx.length / ranks;
  return globalBatchIdx.slice(rank * per, (rank + 1) * per);
}

/** Gathers the rows named by `indices` into a dense batch (inputs [B × D], labels [B]). */
export function gatherBatch(dataset: Dataset, indices: Uint32Array): { x: Float32Array; labels: Uint32Array } {
  const d = dataset.spec.inputDim;
  const x = new Float32Array(indices.length * d);
  const labels = new Uint32Array(indices.length);
  indices.forEach((idx, i) => {
    x.set(dataset.inputs.subarray(idx * d, (idx + 1) * d), i * d);
    labels[i] = dataset.labels[idx];
  });
  return { x, labels };
}
