/**
 * Training runs on real WebGPU ranks through the same TrainRun the page and the CLI use.
 */
import { TrainRun, type TrainRequest, type TrainResult } from '../../src/cluster/train';

/** Defaults small enough for SwiftShader; `over` replaces any of them. */
export function smallTrainRequest(over: Partial<TrainRequest> = {}): TrainRequest {
  return {
    ranks: 2,
    layers: [8, 16, 4],
    globalBatch: 16,
    steps: 4,
    seed: 7,
    algorithm: 'ring',
    bucketCapBytes: 256,
    firstBucketBytes: 64,
    overlap: true,
    lr: 0.1,
    momentum: 0.9,
    dataset: 'clusters',
    datasetSamples: 512,
    link: { link: 'none', intraLink: 'nvlink', alphaUs: null, bandwidth: null, nodes: 1, ranksPerNode: null, straggler: null, slowLink: null, gpu: 'h100', scaled: true },
    timeoutMs: 20_000,
    calibrationReps: 1,
    ...over,
  };
}

/** Runs one TrainRun; timelines are dropped unless asked for (they are large). */
export async function runTrain(over: Partial<TrainRequest>, keepTimelines = false): Promise<TrainResult> {
  const r = await new TrainRun(smallTrainRequest(over)).result;
  if (!keepTimelines) delete r.timelines;
  return r;
}
