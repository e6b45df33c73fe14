/**
 * Executes a Schedule on one rank's device (DESIGN.md §1, §3). The executor is dumb: it walks
 * the schedule's steps and, for each op, moves bytes GPU → staging → link → GPU and reduces.
 *
 * Within a step every send must read the buffer as it was when the step began, even when a
 * receive of the same step overwrites that range (recursive doubling sends and reduces the
 * whole buffer). So sends are first snapshotted GPU-side into `sendSnapshot` and staged from
 * there. Sends are cut into slices of one channel slot and pipelined: the GPU copy and map of
 * slice k+1..k+W run while slice k crosses the link.
 */
import type { ElementRange, Schedule, TransferOp } from '../core/schedule/types';
import type { Channel } from '../transport/channel';
import type { ReduceKernel } from '../gpu/kernels/reduce';
import type { TraceRecorder } from './trace';

/** Slices staged ahead of the one on the wire. */
const STAGING_WINDOW = 3;

export interface ExecutorBuffers {
  /** The collective's in/out buffer. */
  work: GPUBuffer;
  /** Same size as work: start-of-step copies of the ranges being sent. */
  sendSnapshot: GPUBuffer;
  /** One slot: where a received slice lands before it is reduced in. */
  scratch: GPUBuffer;
}

export class CollectiveExecutor {
  private readonly stagingPool: GPUBuffer[] = [];
  private readonly hostSlice: Uint8Array<ArrayBuffer>;
  private stagingCreated = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly rank: number,
    private readonly slotBytes: number,
    private readonly channelTo: (peer: number) => Channel,
    private readonly channelFrom: (peer: number) => Channel,
    private readonly trace: TraceRecorder,
    private readonly label: string,
  ) {
    this.hostSlice = new Uint8Array(slotBytes);
  }

  /**
   * Runs every step of `schedule` for this rank; `beforeFinish` may submit more GPU work (the
   * average's scaling); resolves when the GPU has finished all of it.
   */
  async run(schedule: Schedule, bufs: ExecutorBuffers, reduce: ReduceKernel, beforeFinish?: () => void): Promise<void> {
    for (const [s, step] of schedule.steps.entries()) {
      const ops = step.ops[this.rank] ?? [];
      if (ops.length === 0) continue;
      await this.trace.span('step', step.label, () => this.runStep(ops, bufs, reduce), { step: s });
    }
    beforeFinish?.();
    await this.device.queue.onSubmittedWorkDone();
  }

  private async runStep(ops: TransferOp[], bufs: ExecutorBuffers, reduce: ReduceKernel): Promise<void> {
    const sends = ops.filter((o) => o.kind === 'send');
    if (sends.length > 0) {
      const enc = this.device.createCommandEncoder({ label: `${this.label}.snapshot` });
      for (const o of sends) enc.copyBufferToBuffer(bufs.work, o.range.start * 4, bufs.sendSnapshot, o.range.start * 4, o.range.count * 4);
      this.device.queue.submit([enc.finish()]);
    }
    await Promise.all(
      ops.map((o) =>
        o.kind === 'send'
          ? this.trace.span('send', `→${o.peer}`, () => this.send(o.peer, o.range, bufs.sendSnapshot), { peer: o.peer, bytes: o.range.count * 4 })
          : this.trace.span('recv', `←${o.peer}`, () => this.recv(o.peer, o.range, o.mode, bufs, reduce), { peer: o.peer, bytes: o.range.count * 4 }),
      ),
    );
  }

  private slices(range: ElementRange): ElementRange[] {
    const per = this.slotBytes / 4;
    const out: ElementRange[] = [];
    for (let off = 0; off < range.count; off += per) out.push({ start: range.start + off, count: Math.min(per, range.count - off) });
    return out;
  }

  private takeStaging(): GPUBuffer {
    const b = this.stagingPool.pop();
    if (b) return b;
    this.stagingCreated++;
    return this.device.createBuffer({
      label: `${this.label}.staging${this.stagingCreated}`,
      size: this.slotBytes,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
  }

  private stage(src: GPUBuffer, r: ElementRange): Promise<GPUBuffer> {
    const staging = this.takeStaging();
    const enc = this.device.createCommandEncoder({ label: `${this.label}.stage` });
    enc.copyBufferToBuffer(src, r.start * 4, staging, 0, r.count * 4);
    this.device.queue.submit([enc.finish()]);
    return staging.mapAsync(GPUMapMode.READ, 0, r.count * 4).then(
      () => staging,
      (e: unknown) => {
        staging.destroy();
        throw e;
      },
    );
  }

  private async send(peer: number, range: ElementRange, src: GPUBuffer): Promise<void> {
    const ch = this.channelTo(peer);
    const slices = this.slices(range);
    const pending: Promise<GPUBuffer>[] = [];
    for (let k = 0; k < Math.min(STAGING_WINDOW, slices.length); k++) pending.push(this.stage(src, slices[k]!));
    try {
      for (let k = 0; k < slices.length; k++) {
        const staging = await pending[k]!;
        const bytes = slices[k]!.count * 4;
        try {
          await ch.sendSlice(new Uint8Array(staging.getMappedRange(0, bytes)), k === 0);
        } finally {
          staging.unmap();
          this.stagingPool.push(staging);
        }
        const next = k + STAGING_WINDOW;
        if (next < slices.length) pending.push(this.stage(src, slices[next]!));
      }
    } finally {
      // On failure, let in-flight maps settle and return their buffers.
      for (const p of pending) {
        p.then(
          (b) => {
            if (b.mapState === 'mapped') {
              b.unmap();
              if (!this.stagingPool.includes(b)) this.stagingPool.push(b);
            }
          },
          () => undefined,
        );
      }
    }
  }

  private async recv(peer: number, range: ElementRange, mode: 'reduce' | 'copy', bufs: ExecutorBuffers, reduce: ReduceKernel): Promise<void> {
    const ch = this.channelFrom(peer);
    for (const slice of this.slices(range)) {
      const bytes = slice.count * 4;
      // Everything from the slot to the queue happens synchronously inside `consume`: several
      // receives of one step (star's rank 0) share hostSlice and scratch, and queue order
      // keeps their writes and reductions apart only if no await splits them.
      await ch.recvSlice((view) => {
        if (view.byteLength !== bytes) throw new Error(`rank ${this.rank}: expected ${bytes} B from rank ${peer}, got ${view.byteLength} B (schedules out of step)`);
        this.hostSlice.set(view);
        if (mode === 'copy') {
          this.device.queue.writeBuffer(bufs.work, slice.start * 4, this.hostSlice, 0, bytes);
        } else {
          this.device.queue.writeBuffer(bufs.scratch, 0, this.hostSlice, 0, bytes);
          reduce.submitReduce(bufs.work, slice.start, bufs.scratch, 0, slice.count);
        }
      });
    }
  }

  /** Frees the staging pool. Buffers in `ExecutorBuffers` belong to the caller. */
  destroy(): void {
    for (const b of this.stagingPool) b.destroy();
    this.stagingPool.length = 0;
  }
}
