/**
 * Executes a Schedule on one rank's device (DESIGN.md §1, §3). The executor is dumb: it walks
 * the schedule's steps with one of two protocols (src/core/schedule/protocol.ts):
 *
 *  - simple: per step, one readback for all of the step's sends (copies packed into pooled
 *    staging chunks of `stageChunkBytes`, a window of them in flight), each chunk cut into
 *    slot-sized slices for the links; the receiver uploads each slice straight from the link's
 *    SharedArrayBuffer slot and reduces it on the GPU.
 *  - host: src/rank/host-protocol.ts.
 *
 * Within a step every send must read the buffer as it was when the step began. The staging
 * copies of the first window are submitted before any receive of the step is applied, so they
 * see that state; only when a receive overlaps a sent range and the sends need more chunks
 * than the window are the sends first snapshotted GPU-side into `sendSnapshot`.
 */
import type { ElementRange, Schedule, TransferOp } from '../core/schedule/types';
import { scheduleExtent, sendsOverlapReceives, slicesOf, type ConcreteProtocol } from '../core/schedule/protocol';
import type { SliceLink } from '../transport/slice-link';
import { nowMs } from '../transport/clock';
import type { ReduceKernel } from '../gpu/kernels/reduce';
import { sharedSource } from '../gpu/buffers';
import type { TraceRecorder } from './trace';
import { StagingPool } from './staging-pool';
import { runHostProtocol } from './host-protocol';
import { runStepOps, type LinkClock } from './step-ops';
import { NUDGE_MS, nudgeFor, nudgeWhilePending } from './nudge';
import type { AbortFlag } from '../transport/wait';
import { MAPPED_UPLOAD_MIN_BYTES, uploadPathFor, type TransportFloor, type UploadPath } from '../core/floor';

/** Staging chunks in flight ahead of the one being sent. */
const STAGING_WINDOW = 3;

export interface ExecutorBuffers {
  /** The collective's in/out buffer. */
  work: GPUBuffer;
  /** Same size as work: start-of-step copies of the ranges being sent, when needed. */
  sendSnapshot: GPUBuffer;
  /** One slot: where a received slice lands before it is reduced in. */
  scratch: GPUBuffer;
}

/** One slice of one send, placed in a staging chunk. */
interface PlacedSlice {
  range: ElementRange;
  chunk: number;
  atBytes: number;
}

interface Chunk {
  runs: { offsetBytes: number; bytes: number }[];
  bytes: number;
  slices: number;
}

export class CollectiveExecutor {
  readonly pool: StagingPool;
  private readonly stageChunkBytes: number;

  constructor(
    readonly device: GPUDevice,
    readonly rank: number,
    readonly slotBytes: number,
    readonly channelTo: (peer: number) => SliceLink,
    readonly channelFrom: (peer: number) => SliceLink,
    readonly trace: TraceRecorder,
    readonly label: string,
    stageChunkBytes: number,
    readonly abort: AbortFlag,
    /** The cluster's measured floor, when it has one (the host protocol's upload path follows it). */
    private readonly floorOf: () => TransportFloor | null = () => null,
    /** The host protocol's mapped uploads start at this size (tests make it small). */
    private readonly mappedUploadMinBytes = MAPPED_UPLOAD_MIN_BYTES,
    /** Nudge period while a readback or the final fence is pending, ms (src/rank/nudge.ts; 0: off). */
    private readonly nudgeMs = NUDGE_MS,
  ) {
    this.pool = new StagingPool(device, label, nudgeMs);
    this.stageChunkBytes = Math.max(1, Math.floor(stageChunkBytes / slotBytes)) * slotBytes;
  }

  /**
   * Runs every step of `schedule` for this rank with `protocol`; `beforeFinish` may submit more
   * GPU work (the average's scaling); resolves when the GPU has finished all of it and, on
   * emulated links, when the last slice this rank receives has been delivered. `readyAtMs`
   * (common clock) is when the input was ready on the GPU: the first sends are stamped from it
   * (src/rank/step-ops.ts).
   */
  async run(schedule: Schedule, bufs: ExecutorBuffers, reduce: ReduceKernel, beforeFinish?: () => void, protocol: ConcreteProtocol = 'simple', readyAtMs = nowMs()): Promise<void> {
    const clock: LinkClock = { readyMs: readyAtMs };
    let finished: Promise<void> | undefined;
    const finish = (): Promise<void> =>
      (finished ??= (() => {
        beforeFinish?.();
        return nudgeWhilePending(this.device, this.device.queue.onSubmittedWorkDone(), nudgeFor(scheduleExtent(schedule).count * 4, this.nudgeMs));
      })());
    if (protocol === 'host') {
      await runHostProtocol(this, schedule, bufs.work, reduce.op, clock, finish);
    } else {
      const steps = schedule.steps.map((step, s) => ({ step, s, ops: step.ops[this.rank] ?? [] })).filter((x) => x.ops.length > 0);
      for (const [k, { step, s, ops }] of steps.entries()) {
        const final = k === steps.length - 1 ? finish : undefined;
        await this.trace.span('step', step.label, () => this.simpleStep(ops, bufs, reduce, clock, final), { step: s });
      }
    }
    await finish();
  }

  /** How the host protocol uploads `bytes` (src/core/floor.ts `uploadPathFor`). */
  uploadPath(bytes: number): UploadPath {
    return uploadPathFor(this.floorOf(), bytes, this.mappedUploadMinBytes);
  }

  /** Element slices of one slot each. */
  slices(range: ElementRange): ElementRange[] {
    return slicesOf(range, this.slotBytes / 4);
  }

  private async simpleStep(ops: TransferOp[], bufs: ExecutorBuffers, reduce: ReduceKernel, clock: LinkClock, finish?: () => Promise<void>): Promise<void> {
    const sends = ops.filter((o) => o.kind === 'send');
    // Place every slice of every send, in order, into staging chunks.
    const chunks: Chunk[] = [];
    const placed = sends.map((o) =>
      this.slices(o.range).map((r): PlacedSlice => {
        const bytes = r.count * 4;
        let c = chunks.at(-1);
        if (!c || c.bytes + bytes > this.stageChunkBytes) {
          c = { runs: [], bytes: 0, slices: 0 };
          chunks.push(c);
        }
        const last = c.runs.at(-1);
        if (last && last.offsetBytes + last.bytes === r.start * 4) last.bytes += bytes;
        else c.runs.push({ offsetBytes: r.start * 4, bytes });
        const at = c.bytes;
        c.bytes += bytes;
        c.slices++;
        return { range: r, chunk: chunks.length - 1, atBytes: at };
      }),
    );
    let src = bufs.work;
    if (chunks.length > STAGING_WINDOW && sendsOverlapReceives(ops)) {
      const enc = this.device.createCommandEncoder({ label: `${this.label}.snapshot` });
      for (const o of sends) enc.copyBufferToBuffer(bufs.work, o.range.start * 4, bufs.sendSnapshot, o.range.start * 4, o.range.count * 4);
      this.device.queue.submit([enc.finish()]);
      src = bufs.sendSnapshot;
    }
    const staged = new ChunkWindow(this.pool, src, chunks);
    try {
      await runStepOps(ops, {
        trace: this.trace,
        abort: this.abort,
        clock,
        send: (o, _i, readyAtMs) => this.send(o.peer, placed[sends.indexOf(o)]!, staged, readyAtMs),
        recv: (o) => this.recv(o.peer, o.range, o.mode, bufs, reduce),
        ...(finish ? { finish } : {}),
      });
    } finally {
      staged.release();
    }
  }

  private async send(peer: number, slices: PlacedSlice[], staged: ChunkWindow, readyAtMs: number): Promise<void> {
    const ch = this.channelTo(peer);
    for (const [k, s] of slices.entries()) {
      const view = await staged.view(s.chunk);
      await ch.sendSlice(view.subarray(s.atBytes, s.atBytes + s.range.count * 4), k === 0, readyAtMs);
      staged.done(s.chunk);
    }
  }

  /** Uploads and reduces every slice as soon as it is in the slot; resolves to the latest delivery time. */
  private async recv(peer: number, range: ElementRange, mode: 'reduce' | 'copy', bufs: ExecutorBuffers, reduce: ReduceKernel): Promise<number> {
    const ch = this.channelFrom(peer);
    let deliverAtMs = 0;
    for (const slice of this.slices(range)) {
      const bytes = slice.count * 4;
      // Everything from the slot to the queue happens synchronously inside `consume`: several
      // receives of one step (star's rank 0) share scratch, and queue order keeps their writes
      // and reductions apart only if no await splits them. writeBuffer copies the slot's bytes
      // at the call, so the slot is free once `consume` returns.
      const t = await ch.recvSlice((view) => {
        if (view.byteLength !== bytes) throw new Error(`rank ${this.rank}: expected ${bytes} B from rank ${peer}, got ${view.byteLength} B (schedules out of step)`);
        if (mode === 'copy') {
          this.device.queue.writeBuffer(bufs.work, slice.start * 4, sharedSource(view));
        } else {
          this.device.queue.writeBuffer(bufs.scratch, 0, sharedSource(view));
          reduce.submitReduce(bufs.work, slice.start, bufs.scratch, 0, slice.count);
        }
      }, true);
      deliverAtMs = Math.max(deliverAtMs, t);
    }
    return deliverAtMs;
  }

  /** Frees the staging pool. Buffers in `ExecutorBuffers` belong to the caller. */
  destroy(): void {
    this.pool.destroy();
  }
}

/**
 * The staging chunks of one step: the first STAGING_WINDOW are copied and mapped at once, the
 * next one each time a chunk has had all its slices sent.
 */
class ChunkWindow {
  private readonly mapped: (Promise<Uint8Array> | undefined)[] = [];
  private readonly buffers: (GPUBuffer | undefined)[] = [];
  private readonly waiting: ((v: Promise<Uint8Array>) => void)[][] = [];
  private readonly left: number[];
  private next = 0;

  constructor(
    private readonly pool: StagingPool,
    private readonly src: GPUBuffer,
    private readonly chunks: Chunk[],
  ) {
    this.left = chunks.map((c) => c.slices);
    while (this.next < Math.min(STAGING_WINDOW, chunks.length)) this.issue();
  }

  private issue(): void {
    const c = this.next++;
    const { buffer, mapped } = this.pool.readBack(this.src, this.chunks[c]!.runs);
    this.buffers[c] = buffer;
    const view = mapped.then((b) => new Uint8Array(b.getMappedRange(0, Math.max(4, this.chunks[c]!.bytes))));
    view.catch(() => undefined);
    this.mapped[c] = view;
    for (const w of this.waiting[c] ?? []) w(view);
  }

  /** The mapped bytes of chunk `c`, once it is read back. */
  view(c: number): Promise<Uint8Array> {
    const m = this.mapped[c];
    if (m) return m;
    const list = this.waiting[c] ?? [];
    this.waiting[c] = list;
    return new Promise<Promise<Uint8Array>>((resolve) => list.push(resolve)).then((p) => p);
  }

  /** One slice of chunk `c` is sent: when all are, recycle it and stage the next chunk. */
  done(c: number): void {
    if (--this.left[c]! > 0) return;
    const b = this.buffers[c];
    this.buffers[c] = undefined;
    if (b) this.pool.give(b);
    if (this.next < this.chunks.length) this.issue();
  }

  /** Returns every buffer still held (after a failure: once its map settles). */
  release(): void {
    this.buffers.forEach((b, c) => {
      if (!b) return;
      this.buffers[c] = undefined;
      this.mapped[c]!.then(
        () => this.pool.give(b),
        () => undefined,
      );
    });
  }
}
