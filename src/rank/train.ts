/**
 * Data-parallel training on one rank (DESIGN.md §7): a GpuMlp replica built from the shared
 * seed, the data set made locally from the seed (no data crosses the links), and per step:
 * upload shard → forward → backward layer by layer (last first) → each gradient bucket
 * all-reduced (sum, then × 1/N = average) with the chosen schedule → SGD.
 *
 * Overlap on: a bucket's all-reduce starts as soon as the backward of its lowest layer is done
 * and runs while the backward of earlier layers is submitted and computed (the ring's copies
 * and reductions interleave with that compute on the one queue). Overlap off: the buckets run
 * one after another once the whole backward is done. The numbers are identical either way.
 *
 * Each backward layer is fenced (submit, then the nudged onSubmittedWorkDone: RankContext.fence) so its trace span is when its
 * result existed on the measured clock; an in-flight all-reduce keeps running meanwhile.
 *
 * Straggler: the rank runs its forward and each backward layer `round(factor)` times (the
 * kernels overwrite their outputs, so repeats change no number): its compute really takes
 * that much longer on the measured clock, rather than sleeping.
 */
import type { Bucket } from '../core/buckets';
import { makeBuckets } from '../core/buckets';
import { gatherBatch, globalBatch, makeDataset, shardBatch, type Dataset, type DatasetSpec } from '../core/dataset';
import { fnv1a } from '../core/hash';
import { initParams, layerCount, type MlpSpec } from '../core/model';
import { Rng } from '../core/rng';
import { buildSchedule } from '../core/schedule';
import { decideProtocol, type ProtocolChoice } from '../core/protocol-choice';
import type { Protocol } from '../core/schedule/protocol';
import type { Algorithm, Schedule } from '../core/schedule/types';
import { createStorage } from '../gpu/buffers';
import { GpuMlp } from '../gpu/mlp-gpu';
import { nowMs } from '../transport/clock';
import type { RankContext } from './context';
import type { TraceEvent } from './trace';
import { calibrateMlp, type Calibration } from './train-calibrate';

export type { Calibration } from './train-calibrate';

export interface TrainInit {
  spec: MlpSpec;
  seed: number;
  /** Rows of the global batch this rank holds per step. */
  localBatch: number;
  lr: number;
  momentum: number;
  datasetSpec: DatasetSpec;
  bucketCapBytes: number;
  firstBucketBytes: number;
  algorithm: Algorithm;
  /** Transfer protocol of the gradient all-reduce: auto decides per bucket (src/core/protocol-choice.ts). */
  proto: Protocol;
  /** For 'hierarchical'. */
  ranksPerNode?: number;
}

export interface TrainStepRequest {
  /** 0-based step number: picks the global batch. */
  step: number;
  globalBatch: number;
  overlap: boolean;
  /** This rank's compute slow-down (1 = none); rounded to whole repeats. */
  stragglerFactor: number;
  /** Return this step's trace events. */
  traceStep: boolean;
}

export interface TrainStepResult {
  rank: number;
  /** Mean loss / accuracy over this rank's shard (before the update). */
  loss: number;
  accuracy: number;
  /** Start (after the step barrier) and end on the common clock, ms. */
  startMs: number;
  endMs: number;
  /** Time in forward, backward and optimizer spans, ms. */
  computeMs: number;
  /** Union of the bucket all-reduce spans, ms. */
  commMs: number;
  /** Union of all compute and all-reduce spans: the rest of the step is idle, ms. */
  busyMs: number;
  trace?: TraceEvent[];
}

/** Shifts every range of a schedule by `offset` elements: a bucket's schedule on the flat grads. */
export function offsetSchedule(s: Schedule, offset: number): Schedule {
  return {
    ...s,
    steps: s.steps.map((st) => ({ ...st, ops: st.ops.map((ops) => ops.map((o) => ({ ...o, range: { start: o.range.start + offset, count: o.range.count } }))) })),
  };
}

/** Length of the union of [start, end) intervals. */
function unionMs(spans: { startMs: number; endMs: number }[]): number {
  const sorted = [...spans].sort((a, b) => a.startMs - b.startMs);
  let total = 0;
  let [s, e] = [-Infinity, -Infinity];
  for (const x of sorted) {
    if (x.startMs > e) {
      if (e > s) total += e - s;
      [s, e] = [x.startMs, x.endMs];
    } else e = Math.max(e, x.endMs);
  }
  return e > s ? total + e - s : total;
}

/** One rank's training state. Owns the replica and the collective buffers; `dispose()` frees them. */
export class TrainSession {
  readonly mlp: GpuMlp;
  readonly buckets: Bucket[];
  private readonly schedules: Schedule[];
  /** What each bucket's all-reduce runs, decided once from the floor the cluster shared (the same on every rank). */
  readonly protocols: ProtocolChoice[];
  private readonly dataset: Dataset;
  private readonly initial: Float32Array;
  private readonly sendSnapshot: GPUBuffer;
  private readonly scratch: GPUBuffer;

  constructor(
    private readonly ctx: RankContext,
    readonly init: TrainInit,
  ) {
    const { device, rank, ranks } = ctx;
    this.mlp = new GpuMlp(device, `rank${rank}.mlp`, init.spec, { batch: init.localBatch, sgd: { lr: init.lr, momentum: init.momentum } });
    try {
      this.initial = initParams(init.spec, new Rng(init.seed));
      this.mlp.writeParams(this.initial);
      this.dataset = makeDataset(init.datasetSpec);
      this.buckets = makeBuckets(this.mlp.layout, { bucketCapBytes: init.bucketCapBytes, firstBucketBytes: init.firstBucketBytes });
      const opts = init.ranksPerNode ? { ranksPerNode: init.ranksPerNode } : {};
      this.schedules = this.buckets.map((b) => offsetSchedule(buildSchedule('all_reduce', init.algorithm, ranks, b.count, opts), b.start));
      this.protocols = this.schedules.map((s) => decideProtocol(init.proto, s, ctx.floor));
      this.sendSnapshot = createStorage(device, `rank${rank}.train.sendSnapshot`, this.mlp.layout.count * 4);
      this.scratch = createStorage(device, `rank${rank}.train.scratch`, ctx.slotBytes);
    } catch (e) {
      this.mlp.destroy();
      throw e;
    }
  }

  /** Uncontended per-layer timings (the cluster calls one rank at a time); restores the initial replica. */
  async calibrate(reps: number, useTimestamps = true): Promise<Calibration> {
    const { x, labels } = this.shard(0, this.init.localBatch * this.ctx.ranks);
    this.mlp.uploadBatch(x, labels);
    const cal = await calibrateMlp(this.ctx.device, this.mlp, reps, () => this.ctx.reduceKernel('sum').submitScale(this.mlp.grads, 0, this.mlp.layout.count, 1), useTimestamps);
    this.mlp.writeParams(this.initial);
    await this.ctx.device.queue.onSubmittedWorkDone();
    return cal;
  }

  private shard(step: number, globalBatchSize: number): { x: Float32Array; labels: Uint32Array } {
    const idx = shardBatch(globalBatch(this.dataset, step, globalBatchSize), this.ctx.ranks, this.ctx.rank);
    return gatherBatch(this.dataset, idx);
  }

  /** All-reduce average of bucket `k` in place on the grads buffer. */
  private allreduce(k: number): Promise<void> {
    const { ctx, mlp } = this;
    const b = this.buckets[k]!;
    const kernel = ctx.reduceKernel('sum');
    return ctx.trace.span(
      'allreduce',
      `bucket ${k}`,
      () =>
        ctx.executor.run(
          this.schedules[k]!,
          { work: mlp.grads, sendSnapshot: this.sendSnapshot, scratch: this.scratch },
          kernel,
          () => {
            if (ctx.ranks > 1) kernel.submitScale(mlp.grads, b.start, b.count, 1 / ctx.ranks);
          },
          this.protocols[k]!.protocol,
        ),
      { bucket: k, bytes: b.bytes, protocol: this.protocols[k]!.protocol },
    );
  }

  private async fenced(cat: string, name: string, repeats: number, encode: (enc: GPUCommandEncoder) => void): Promise<void> {
    const { device, trace, rank } = this.ctx;
    await trace.span(cat, name, async () => {
      for (let r = 0; r < repeats; r++) {
        const enc = device.createCommandEncoder({ label: `rank${rank}.train.${cat}` });
        encode(enc);
        device.queue.submit([enc.finish()]);
      }
      await this.ctx.fence();
    });
  }

  /** One training step (see the file comment). */
  async step(req: TrainStepRequest): Promise<TrainStepResult> {
    const { ctx, mlp } = this;
    ctx.checkDevice();
    if (req.globalBatch !== this.init.localBatch * ctx.ranks) throw new Error(`rank ${ctx.rank}: global batch ${req.globalBatch} ≠ ${this.init.localBatch} × ${ctx.ranks} ranks`);
    const repeats = Math.max(1, Math.round(req.stragglerFactor));
    const L = layerCount(this.init.spec);
    const { x, labels } = this.shard(req.step, req.globalBatch);
    ctx.trace.take(); // this step's events only
    await ctx.barrier.arrive(ctx.rank, ctx.timeoutMs);
    const startMs = nowMs();
    mlp.uploadBatch(x, labels);
    await this.fenced('forward', 'forward', repeats, (enc) => mlp.encodeForward(enc));
    let comm: Promise<void> | undefined;
    const launch = (k: number): void => {
      // Buckets run in order on the one executor; the first starts at once (its copies queue
      // right behind its layers' backward), later ones when the previous one has finished.
      comm = comm ? comm.then(() => this.allreduce(k)) : this.allreduce(k);
      comm.catch(() => undefined); // awaited below; avoids an unhandled rejection meanwhile
    };
    for (let i = L - 1; i >= 0; i--) {
      await this.fenced('backward', `layer ${i}`, repeats, (enc) => mlp.encodeBackwardLayer(enc, i));
      if (req.overlap) this.buckets.filter((b) => b.readyAfterLayer === i).forEach((b) => launch(b.index));
    }
    if (!req.overlap) this.buckets.forEach((b) => launch(b.index));
    await comm;
    await this.fenced('optimizer', 'sgd', 1, (enc) => mlp.encodeSgd(enc));
    const endMs = nowMs();
    ctx.checkDevice();
    const { loss, accuracy } = await mlp.readLossAndAccuracy();
    const events = ctx.trace.take();
    const computeMs = events.filter((e) => e.cat === 'forward' || e.cat === 'backward' || e.cat === 'optimizer').reduce((s, e) => s + e.endMs - e.startMs, 0);
    const commMs = unionMs(events.filter((e) => e.cat === 'allreduce'));
    const busyMs = unionMs(events.filter((e) => e.cat !== 'step' && e.cat !== 'send' && e.cat !== 'recv'));
    return { rank: ctx.rank, loss, accuracy, startMs, endMs, computeMs, commMs, busyMs, ...(req.traceStep ? { trace: events } : {}) };
  }

  /** FNV-1a (32-bit) over the bytes of the parameters, as 8 hex digits. */
  async paramsHash(): Promise<string> {
    return fnv1a(new Uint8Array((await this.mlp.readParams()).buffer));
  }

  dispose(): void {
    this.mlp.destroy();
    this.sendSnapshot.destroy();
    this.scratch.destroy();
  }
}
