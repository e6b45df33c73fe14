/**
 * One rank: its own GPUDevice, its links to peers, its trace. rank.worker.ts exposes an
 * instance over comlink; everything here also runs on the main thread, which tests use.
 */
import type { AdapterDescription } from '../core/adapter';
import { requestDevice } from '../gpu/device';
import { ReduceKernel, type ReduceKernelOp } from '../gpu/kernels/reduce';
import { Barrier } from '../transport/barrier';
import type { AlphaBeta } from '../core/link';
import { Channel, type ChannelSpec } from '../transport/channel';
import { timerResolutionMs } from '../transport/clock';
import { AbortFlag } from '../transport/wait';
import { CollectiveExecutor } from './collective-executor';
import { NUDGE_MS, nudgeWhilePending } from './nudge';
import { TraceRecorder, type TraceEvent } from './trace';
import { runBenchSize, type BenchSizeRequest, type BenchSizeResult } from './bench';
import { probeFloor, readbackRoundTripMs, stageRates, type FloorProbeRequest } from './floor-probe';
import type { StageRates, TransportFloor } from '../core/floor';
import type { ConcreteProtocol } from '../core/schedule/protocol';
import { TrainSession, type Calibration, type TrainInit, type TrainStepRequest, type TrainStepResult } from './train';
import type { RankContext } from './context';

export interface RankInit {
  rank: number;
  ranks: number;
  abort: SharedArrayBuffer;
  barrier: SharedArrayBuffer;
  slotBytes: number;
  /** Readback granularity of the simple protocol, bytes. */
  stageChunkBytes: number;
  /** The host protocol's mapped uploads start at this size, bytes (default 1 MiB; tests make it small). */
  mappedUploadMinBytes?: number;
  /** Nudge period while a collective's readback or fence is pending, ms (src/rank/nudge.ts; 0: off). */
  nudgeMs?: number;
  timeoutMs: number;
}

export interface RankInfo {
  rank: number;
  adapter: AdapterDescription;
  hasTimestamps: boolean;
  timerResolutionMs: number;
  crossOriginIsolated: boolean;
  userAgent: string;
}

export class Rank {
  private ctx: RankContext | undefined;
  private readonly kernels = new Map<ReduceKernelOp, ReduceKernel>();
  private readonly outgoing = new Map<number, Channel>();
  private readonly incoming = new Map<number, Channel>();
  private lostReason: string | undefined;
  /** The first WebGPU error no scope caught: a dropped command, so results after it are suspect. */
  private gpuError: string | undefined;
  private training: TrainSession | undefined;

  /** Nudge period of this rank's waits (src/rank/nudge.ts), from RankInit. */
  private nudgeMs = NUDGE_MS;

  async init(init: RankInit): Promise<RankInfo> {
    this.nudgeMs = init.nudgeMs ?? NUDGE_MS;
    const r = await requestDevice(`rank${init.rank}`);
    if (!r.ok) throw new Error(`rank ${init.rank}: ${r.reason}: ${r.message}`);
    const { device } = r;
    device.lost.then((info) => {
      this.lostReason = `${info.reason}: ${info.message}`;
    });
    device.addEventListener('uncapturederror', (e) => {
      const message = (e as GPUUncapturedErrorEvent).error.message;
      console.error(`rank ${init.rank}: uncaptured WebGPU error: ${message}`);
      this.gpuError ??= message;
    });
    const abort = new AbortFlag(init.abort);
    const trace = new TraceRecorder(init.rank);
    const channelTo = (peer: number): Channel => this.channel(this.outgoing, peer, `rank ${init.rank} has no link to rank ${peer}`);
    const channelFrom = (peer: number): Channel => this.channel(this.incoming, peer, `rank ${init.rank} has no link from rank ${peer}`);
    const executor = new CollectiveExecutor(
      device,
      init.rank,
      init.slotBytes,
      channelTo,
      channelFrom,
      trace,
      `rank${init.rank}`,
      init.stageChunkBytes,
      abort,
      () => this.ctx?.floor ?? null,
      init.mappedUploadMinBytes,
      this.nudgeMs,
    );
    this.ctx = {
      rank: init.rank,
      ranks: init.ranks,
      device,
      executor,
      barrier: new Barrier(init.barrier, init.ranks, abort),
      abort,
      trace,
      slotBytes: init.slotBytes,
      timeoutMs: init.timeoutMs,
      floor: null,
      reduceKernel: (op) => {
        let k = this.kernels.get(op);
        if (!k) {
          k = new ReduceKernel(device, op, `rank${init.rank}`);
          this.kernels.set(op, k);
        }
        return k;
      },
      fence: () => nudgeWhilePending(device, device.queue.onSubmittedWorkDone(), this.nudgeMs),
      checkDevice: () => {
        if (this.lostReason) throw new Error(`rank ${init.rank} lost its GPU device (${this.lostReason})`);
        if (this.gpuError) throw new Error(`rank ${init.rank}: WebGPU error: ${this.gpuError}`);
      },
    };
    return {
      rank: init.rank,
      adapter: r.adapter,
      hasTimestamps: r.hasTimestamps,
      timerResolutionMs: timerResolutionMs(),
      crossOriginIsolated: globalThis.crossOriginIsolated,
      userAgent: navigator.userAgent,
    };
  }

  private channel(map: Map<number, Channel>, peer: number, missing: string): Channel {
    const c = map.get(peer);
    if (!c) throw new Error(missing);
    return c;
  }

  private get context(): RankContext {
    if (!this.ctx) throw new Error('rank used before init()');
    return this.ctx;
  }

  /** Installs the links this rank takes part in (the others are ignored). */
  setChannels(specs: ChannelSpec[], timeoutMs: number): void {
    const ctx = this.context;
    ctx.timeoutMs = timeoutMs;
    for (const s of specs) {
      if (s.from === ctx.rank) this.outgoing.set(s.to, new Channel(s, ctx.abort, timeoutMs));
      if (s.to === ctx.rank) this.incoming.set(s.from, new Channel(s, ctx.abort, timeoutMs));
    }
    // The wait timeout follows the work the run predicts (issue 10, defect 2): older links too.
    for (const c of [...this.outgoing.values(), ...this.incoming.values()]) c.timeoutMs = timeoutMs;
  }

  /** Liveness check: answers at once unless this worker's event loop is stuck. */
  ping(): number {
    return this.context.rank;
  }

  /** Sets the emulated link model of every channel touching this rank (null: raw memory). */
  setLinks(models: { from: number; to: number; link: AlphaBeta | null }[]): void {
    for (const m of models) {
      const c = m.from === this.context.rank ? this.outgoing.get(m.to) : m.to === this.context.rank ? this.incoming.get(m.from) : undefined;
      if (c) c.link = m.link;
    }
  }

  /** The cluster's measured floor, so that every rank's `auto` decides the same from it. */
  setFloor(floor: TransportFloor | null): void {
    this.context.floor = floor;
  }

  /** Measures the transport floor (src/rank/floor-probe.ts): rank 0 returns it, the others null. */
  floor(req: FloorProbeRequest): Promise<TransportFloor | null> {
    const ctx = this.context;
    return probeFloor(ctx.device, ctx.rank, req, ctx.abort, ctx.reduceKernel('sum'));
  }

  /** Mean readback round trip of this rank (ms), nudged as its collectives are; the cluster runs it on every rank at once (the emulation floor). */
  readbackRoundTrip(reps: number): Promise<number> {
    return readbackRoundTripMs(this.context.device, reps, true, this.nudgeMs);
  }

  /** This rank's stage rates at `bytes` (src/rank/floor-probe.ts), each stage started on every rank together; the cluster runs it on every rank at once. */
  stageRates(bytes: number, reps: number): Promise<StageRates> {
    const ctx = this.context;
    return stageRates(ctx.device, bytes, reps, async () => {
      await ctx.barrier.arrive(ctx.rank, ctx.timeoutMs);
    });
  }

  async benchSize(req: BenchSizeRequest): Promise<BenchSizeResult> {
    return runBenchSize(this.context, req);
  }

  /** Builds this rank's replica (same seed → same params on every rank) and its data set. */
  trainInit(init: TrainInit): {
    paramCount: number;
    buckets: { start: number; count: number; readyAfterLayer: number }[];
    protocols: { protocol: ConcreteProtocol; protocolWhy: string }[];
  } {
    this.trainDispose();
    this.training = new TrainSession(this.context, init);
    return {
      paramCount: this.training.mlp.layout.count,
      buckets: this.training.buckets.map((b) => ({ start: b.start, count: b.count, readyAfterLayer: b.readyAfterLayer })),
      protocols: this.training.protocols.map((p) => ({ protocol: p.protocol, protocolWhy: p.why })),
    };
  }

  private get session(): TrainSession {
    if (!this.training) throw new Error(`rank ${this.context.rank}: trainInit() first`);
    return this.training;
  }

  /** One data-parallel step (src/rank/train.ts). */
  trainStep(req: TrainStepRequest): Promise<TrainStepResult> {
    return this.session.step(req);
  }

  /** Uncontended per-layer compute times; call on one rank at a time. */
  calibrate(reps = 3, useTimestamps = true): Promise<Calibration> {
    return this.session.calibrate(reps, useTimestamps);
  }

  /** FNV-1a hash of this replica's parameters. */
  paramsHash(): Promise<string> {
    return this.session.paramsHash();
  }

  /** Frees the training replica (also done by dispose()). */
  trainDispose(): void {
    this.training?.dispose();
    this.training = undefined;
  }

  /** Opens a validation error scope on this rank's device; tests wrap a case in it. */
  pushValidationScope(): void {
    this.context.device.pushErrorScope('validation');
  }

  /** Closes the scope opened by `pushValidationScope`: the error it caught, naming the rank, or null. */
  async popValidationScope(): Promise<string | null> {
    const e = await this.context.device.popErrorScope();
    return e ? `rank ${this.context.rank}: ${e.message}` : null;
  }

  takeTrace(): TraceEvent[] {
    return this.ctx?.trace.take() ?? [];
  }

  /** Frees every GPU object and the device itself. */
  dispose(): void {
    this.trainDispose();
    for (const k of this.kernels.values()) k.destroy();
    this.kernels.clear();
    this.ctx?.executor.destroy();
    this.ctx?.device.destroy();
    this.ctx = undefined;
    this.outgoing.clear();
    this.incoming.clear();
  }
}
