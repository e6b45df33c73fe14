/**
 * A data-parallel training run at ONE rank count (DESIGN.md §7): creates the cluster, builds
 * identical replicas, calibrates compute one rank at a time, runs the steps, and replays the
 * last step on the projected clock. Same shape as SweepRun: `result` settles when it ends,
 * `cancel()` stops every rank promptly, the cluster is destroyed in any case.
 *
 * Measured clock, per step: step time = latest end − earliest start over ranks (every rank
 * starts behind one barrier); per rank compute (forward, backward, optimizer spans),
 * communication (union of its bucket all-reduces), idle (step time − union of both) and
 * exposed communication (step time − compute, DESIGN.md §6).
 */
import { makeBuckets, type Bucket } from '../core/buckets';
import { emulatedLinks, hierarchicalRanksPerNode, parseStraggler, type AlphaBeta, type LinkConfig, type Straggler } from '../core/link';
import { DEFAULT_DATASET_SAMPLES, shardError, type DatasetSpec } from '../core/dataset';
import { paramLayout, type MlpSpec } from '../core/model';
import { buildSchedule } from '../core/schedule';
import type { Algorithm } from '../core/schedule/types';
import type { ConcreteProtocol, Protocol } from '../core/schedule/protocol';
import { measuredTimeline, projectedTimeline, type Timeline } from '../core/timeline';
import type { Calibration, TrainStepResult } from '../rank/train';
import { failure, type BenchEnvironment } from './cluster';
import { ClusterRun } from './cluster-run';
import { schedulePairs } from './sweep';
import { fitSendLink, projectTrainingStep, type ProjectionInput } from './train-projection';
import { rankParts } from '../core/step-breakdown';

export interface TrainRequest {
  ranks: number;
  /** Layer widths, input first. */
  layers: number[];
  globalBatch: number;
  steps: number;
  seed: number;
  algorithm: Algorithm;
  bucketCapBytes: number;
  firstBucketBytes: number;
  overlap: boolean;
  /** Transfer protocol of the gradient all-reduce (default auto: src/core/protocol-choice.ts). */
  proto?: Protocol;
  lr: number;
  momentum: number;
  dataset: 'clusters' | 'spirals';
  /** Samples in the synthetic data set; default DEFAULT_DATASET_SAMPLES (4096). */
  datasetSamples?: number;
  /** Link, topology and straggler fields. */
  link: LinkConfig;
  timeoutMs: number;
  /** Median of this many runs per calibrated figure; default 3. */
  calibrationReps?: number;
  /**
   * Calibrate with GPU timestamps where the device has them. Default: only on a hardware
   * adapter (SwiftShader's timestamps are CPU times, and its timestamp path hung with 4 devices).
   */
  calibrationTimestamps?: boolean;
  /** Record every rank's parameter hash after every step (tests); default false. */
  hashEveryStep?: boolean;
}

/** Per-rank times of one step on one clock, ms: compute + exposedComm + idle = step (core/step-breakdown.ts). */
export interface RankTimes {
  computeMs: number;
  commMs: number;
  idleMs: number;
  exposedCommMs: number;
}

export interface StepRecord {
  step: number;
  /** Global-batch mean: shard losses weighted by shard size. */
  loss: number;
  accuracy: number;
  /** Measured step time (slowest rank), ms. */
  stepMs: number;
  perRank: RankTimes[];
  /** After the step, when `hashEveryStep`. */
  paramHashes?: string[];
}

export interface TrainResult {
  status: 'done' | 'cancelled' | 'failed';
  request: TrainRequest;
  steps: StepRecord[];
  /** Mean over ranks of each rank's calibration. */
  calibration?: Calibration;
  /** The last step on the measured clock. */
  measured?: { stepMs: number; perRank: RankTimes[] };
  /** The last step replayed on the projected clock. */
  projected?: { stepS: number; perRank: { computeS: number; commS: number; idleS: number; exposedCommS: number }[]; overlapPct: number; linkLabel: string };
  timelines?: { measured: Timeline; projected: Timeline };
  /** FNV-1a of every rank's parameters after the last step. */
  paramHashes: string[];
  /** The gradient buckets, each with the protocol its all-reduce runs and why (src/core/protocol-choice.ts). */
  buckets?: (Pick<Bucket, 'index' | 'start' | 'count' | 'bytes' | 'layers'> & { protocol?: ConcreteProtocol; protocolWhy?: string })[];
  environment?: BenchEnvironment;
  error?: string;
  failedRank?: number;
}

export interface TrainHooks {
  onEnvironment?(env: BenchEnvironment): void;
  onCalibration?(cal: Calibration): void;
  onStep?(record: StepRecord, total: number): void;
}

/** The data set a request trains on ('clusters' = gaussian clusters). */
export function datasetSpecOf(req: TrainRequest): DatasetSpec {
  const classes = req.layers[req.layers.length - 1]!;
  return { kind: req.dataset === 'spirals' ? 'spirals' : 'gaussian', samples: req.datasetSamples ?? DEFAULT_DATASET_SAMPLES, inputDim: req.layers[0]!, classes, seed: req.seed };
}

function meanCalibration(cals: Calibration[]): Calibration {
  const mean = (f: (c: Calibration) => number): number => cals.reduce((s, c) => s + f(c), 0) / cals.length;
  const c0 = cals[0]!;
  return {
    fwdS: c0.fwdS.map((_, i) => mean((c) => c.fwdS[i]!)),
    bwdS: c0.bwdS.map((_, i) => mean((c) => c.bwdS[i]!)),
    optimizerS: mean((c) => c.optimizerS),
    method: cals.every((c) => c.method === 'timestamp-query') ? 'timestamp-query' : 'fenced-wall',
    timestampQuantumNs: c0.timestampQuantumNs,
    flopsPerS: mean((c) => c.flopsPerS),
    modelFlopsPerS: mean((c) => c.modelFlopsPerS),
  };
}

function stepRecord(step: number, results: TrainStepResult[]): StepRecord {
  const t0 = Math.min(...results.map((r) => r.startMs));
  const stepMs = Math.max(...results.map((r) => r.endMs)) - t0;
  // Equal shards (B/N rows each): the mean of the shard means is the global-batch mean.
  return {
    step,
    loss: results.reduce((s, r) => s + r.loss, 0) / results.length,
    accuracy: results.reduce((s, r) => s + r.accuracy, 0) / results.length,
    stepMs,
    perRank: results.map((r) => {
      const p = rankParts(stepMs, { compute: r.computeMs, busy: r.busyMs });
      return { computeMs: r.computeMs, commMs: r.commMs, idleMs: p.idle, exposedCommMs: p.exposedComm };
    }),
  };
}

/** A running training run (see the file comment). */
export class TrainRun extends ClusterRun {
  readonly result: Promise<TrainResult>;

  constructor(
    readonly request: TrainRequest,
    hooks: TrainHooks = {},
  ) {
    super();
    this.result = this.run(hooks);
  }

  private async run(hooks: TrainHooks): Promise<TrainResult> {
    const req = this.request;
    const out: TrainResult = { status: 'done', request: req, steps: [], paramHashes: [] };
    const finish = (status: TrainResult['status'], extra: Partial<TrainResult> = {}): TrainResult => Object.assign(out, { status }, extra);
    const spec: MlpSpec = { layers: req.layers };
    let straggler: Straggler | undefined;
    let buckets: ReturnType<typeof makeBuckets>;
    try {
      const split = shardError(req.globalBatch, req.ranks);
      if (split) throw new Error(split);
      const parsed = req.link.straggler ? parseStraggler(req.link.straggler) : undefined;
      if (parsed && 'error' in parsed) throw new Error(`straggler: ${parsed.error}`);
      straggler = parsed;
      buckets = makeBuckets(paramLayout(spec), { bucketCapBytes: req.bucketCapBytes, firstBucketBytes: req.firstBucketBytes });
      out.buckets = buckets.map(({ index, start, count, bytes, layers }) => ({ index, start, count, bytes, layers }));
    } catch (e) {
      return finish('failed', failure(e));
    }
    const ranksPerNode = hierarchicalRanksPerNode({ ranks: req.ranks, nodes: req.link.nodes, ranksPerNode: req.link.ranksPerNode }, req.algorithm);
    return this.withCluster(
      req.ranks,
      { timeoutMs: req.timeoutMs },
      async (cluster) => {
        // auto decides each bucket's protocol from the measured floor (cached for the session).
        out.environment = { ...cluster.environment(), ...((req.proto ?? 'auto') === 'auto' ? { floor: await cluster.measureFloor() } : {}) };
        hooks.onEnvironment?.(out.environment);
        const localBatch = req.globalBatch / req.ranks;
        const init = {
          spec,
          seed: req.seed,
          localBatch,
          lr: req.lr,
          momentum: req.momentum,
          datasetSpec: datasetSpecOf(req),
          bucketCapBytes: req.bucketCapBytes,
          firstBucketBytes: req.firstBucketBytes,
          algorithm: req.algorithm,
          proto: req.proto ?? 'auto',
          ...(ranksPerNode ? { ranksPerNode } : {}),
        };
        const built = await cluster.onAll('build replicas', (p) => p.trainInit(init));
        // Every rank decided the same from the same floor; rank 0 says what each bucket runs.
        out.buckets = out.buckets?.map((b, k) => ({ ...b, ...built[0]!.protocols[k]! }));
        // GPU token: one rank at a time, so each measures its compute uncontended.
        const cals: Calibration[] = [];
        let lastCalibrationMs = 0;
        for (let r = 0; r < req.ranks; r++) {
          if (this.cancelled) return finish('cancelled');
          const t0 = performance.now();
          // Every rank calibrates the same work: the first one's duration is what the next ones expect.
          const got = await cluster.onAll(
            `calibrate rank ${r}`,
            (p, i) => (i === r ? p.calibrate(req.calibrationReps ?? 3, req.calibrationTimestamps ?? !out.environment!.isFallbackAdapter) : Promise.resolve(null)),
            lastCalibrationMs,
          );
          lastCalibrationMs = performance.now() - t0;
          cals.push(got[r]!);
        }
        const calibration = meanCalibration(cals);
        out.calibration = calibration;
        hooks.onCalibration?.(calibration);
        const opts = ranksPerNode ? { ranksPerNode } : {};
        const pairs = buckets.flatMap((b) => schedulePairs(buildSchedule('all_reduce', req.algorithm, req.ranks, b.count, opts)));
        // Timeouts follow the work predicted from the calibration (issue 10, defect 2): every rank
        // shares one GPU on the measured clock, so a step takes about `ranks` times the projected one.
        const expectedStepMs = req.ranks * predictedStepS(req, calibration, buckets, straggler, ranksPerNode) * 1e3;
        await cluster.ensureChannels(pairs, emulatedLinks(req.link, req.ranks, calibration.flopsPerS).linkOf, req.timeoutMs + 2 * expectedStepMs);
        let last: TrainStepResult[] = [];
        for (let step = 0; step < req.steps; step++) {
          if (this.cancelled) return finish('cancelled');
          const traceStep = step === req.steps - 1;
          last = await cluster.onAll(
            `training step ${step}`,
            (p, r) =>
              p.trainStep({ step, globalBatch: req.globalBatch, overlap: req.overlap, stragglerFactor: straggler && straggler.rank === r ? straggler.factor : 1, traceStep }),
            expectedStepMs,
          );
          const record = stepRecord(step, last);
          if (req.hashEveryStep) record.paramHashes = await cluster.onAll('hash parameters', (p) => p.paramsHash());
          out.steps.push(record);
          hooks.onStep?.(record, req.steps);
        }
        out.paramHashes = await cluster.onAll('hash parameters', (p) => p.paramsHash());
        const lastRecord = out.steps[out.steps.length - 1];
        if (lastRecord) {
          out.measured = { stepMs: lastRecord.stepMs, perRank: lastRecord.perRank };
          const t0 = Math.min(...last.map((r) => r.startMs));
          const t1 = Math.max(...last.map((r) => r.endMs));
          const sends = last.flatMap((r) => r.trace ?? []).filter((e) => e.cat === 'send' && typeof e.args?.bytes === 'number');
          const shm = fitSendLink(sends.map((e) => ({ bytes: e.args!.bytes as number, seconds: (e.endMs - e.startMs) / 1e3 })));
          const p = projectTrainingStep(projectionInput(req, calibration, buckets, straggler, ranksPerNode, shm ?? undefined));
          out.projected = {
            stepS: p.projection.stepS,
            perRank: p.projection.ranks.map(({ computeS, commS, idleS, exposedCommS }) => ({ computeS, commS, idleS, exposedCommS })),
            overlapPct: p.projection.overlapPct,
            linkLabel: p.linkLabel,
          };
          out.timelines = {
            measured: measuredTimeline(
              last.flatMap((r) => r.trace ?? []),
              req.ranks,
              t0,
              t1,
            ),
            projected: projectedTimeline(p.graph, p.projection),
          };
        }
        return finish('done');
      },
      finish,
    );
  }
}

/**
 * One step on the emulated links with calibrated compute (the projected clock, with no link
 * standing for zero-cost shared memory), s; 0 when it cannot be projected.
 */
function predictedStepS(req: TrainRequest, calibration: Calibration, buckets: Bucket[], straggler: Straggler | undefined, ranksPerNode: number | undefined): number {
  try {
    const p = projectTrainingStep(projectionInput(req, calibration, buckets, straggler, ranksPerNode, { alphaS: 0, betaSPerByte: 0 }));
    return Number.isFinite(p.projection.stepS) ? p.projection.stepS : 0;
  } catch {
    return 0;
  }
}

/** What the projected clock needs of a run: one mapping for the prediction and the replay. */
function projectionInput(
  req: TrainRequest,
  calibration: Calibration,
  buckets: Bucket[],
  straggler: Straggler | undefined,
  ranksPerNode: number | undefined,
  sharedMemoryLink: AlphaBeta | undefined,
): ProjectionInput {
  return {
    ranks: req.ranks,
    calibration,
    buckets,
    algorithm: req.algorithm,
    ...(ranksPerNode ? { ranksPerNode } : {}),
    overlap: req.overlap,
    link: req.link,
    ...(straggler ? { straggler } : {}),
    ...(sharedMemoryLink ? { sharedMemoryLink } : {}),
  };
}
