/**
 * The `host` protocol (src/core/schedule/protocol.ts): read the schedule's whole range back
 * once, run every step on that host copy, upload once. Sends go out of the host copy (or a
 * start-of-step copy of it when a receive of the step overlaps a sent range) in the same
 * slot-sized slices as the simple protocol; receives are reduced into it in float32 with one
 * rounding per operation, as the GPU kernel does (a double-precision +, ×, min or max of two
 * float32 values rounded to float32 is the float32 operation), so both protocols give the same
 * bits.
 */
import type { ElementRange, Schedule, TransferOp } from '../core/schedule/types';
import { finalAfter, scheduleExtent, sendsOverlapReceives } from '../core/schedule/protocol';
import type { ReduceKernelOp } from '../gpu/kernels/reduce';
import type { UploadPath } from '../core/floor';
import type { AbortFlag } from '../transport/wait';
import type { SliceLink } from '../transport/slice-link';
import type { TraceRecorder } from './trace';
import type { StagingPool } from './staging-pool';
import { runStepOps, type LinkClock } from './step-ops';

/** What the host protocol needs of its rank's executor. */
export interface HostProtocolRank {
  readonly device: GPUDevice;
  readonly rank: number;
  readonly pool: StagingPool;
  readonly trace: TraceRecorder;
  readonly abort: AbortFlag;
  channelTo(peer: number): SliceLink;
  channelFrom(peer: number): SliceLink;
  /** Element slices of one slot each. */
  slices(range: ElementRange): ElementRange[];
  /** How an upload of `bytes` reaches the GPU (src/core/floor.ts `uploadPathFor`). */
  uploadPath(bytes: number): UploadPath;
}

/**
 * Runs `schedule` on this rank with the host protocol against the rank's logical clock
 * (src/rank/step-ops.ts). The host copy is the mapped staging buffer itself (no second copy).
 * Each received slice is uploaded as soon as it is final (no later receive writes it:
 * `finalAfter`), one of two ways (`ex.uploadPath`, from the measured floor):
 *  - writeBuffer: straight away, so the upload overlaps the rest of the schedule;
 *  - mapped: copied into a MAP_WRITE staging buffer the pool keeps mapped, then one unmap and
 *    a copyBufferToBuffer per run of received elements before the fence (on SwiftShader 2.6×
 *    faster than writeBuffer at 16 MiB, 0.9 → 2.4 GB/s).
 * `finish` (the caller's fence) starts once the final step's slices are consumed.
 */
export async function runHostProtocol(ex: HostProtocolRank, schedule: Schedule, work: GPUBuffer, op: ReduceKernelOp, clock: LinkClock, finish: () => Promise<void>): Promise<void> {
  const mine = schedule.steps.map((s) => s.ops[ex.rank] ?? []);
  const extent = scheduleExtent(schedule);
  const last = mine.findLastIndex((ops) => ops.length > 0);
  if (extent.count === 0 || last < 0) return;
  const base = extent.start;
  const bytes = extent.count * 4;
  const { buffer, mapped } = ex.pool.readBack(work, [{ offsetBytes: base * 4, bytes }]);
  const staged = ex.uploadPath(bytes) === 'mapped' ? ex.pool.takeWritable(bytes) : undefined;
  let flushed = false;
  let stagingLost = false;
  try {
    // A mapped MAP_READ range is writable host memory until unmap: the schedule runs in it.
    const [host, out] = await ex.trace.span(
      'readback',
      'host copy',
      async () => {
        const [, writable] = await Promise.all([mapped, staged?.mapped]);
        if (staged && !writable) {
          stagingLost = true;
          throw new Error(`rank ${ex.rank}: could not map an upload staging buffer of ${staged.buffer.size} B`);
        }
        return [new Float32Array(buffer.getMappedRange(0, bytes)), staged ? new Float32Array(staged.buffer.getMappedRange(0, bytes)) : undefined] as const;
      },
      { bytes },
    );
    const runs: ElementRange[] = [];
    const upload = (range: ElementRange): void => {
      if (!out) {
        ex.device.queue.writeBuffer(work, range.start * 4, host, range.start - base, range.count);
        return;
      }
      out.set(host.subarray(range.start - base, range.start - base + range.count), range.start - base);
      runs.push(range);
    };
    // The mapped way's transfer: before the caller's fence, and before anything it submits.
    const flush = (): void => {
      if (!staged || flushed) return;
      flushed = true;
      staged.buffer.unmap();
      if (runs.length === 0) return;
      const enc = ex.device.createCommandEncoder({ label: `rank${ex.rank}.host.upload` });
      for (const r of coalesce(runs)) enc.copyBufferToBuffer(staged.buffer, (r.start - base) * 4, work, r.start * 4, r.count * 4);
      ex.device.queue.submit([enc.finish()]);
    };
    const flushThenFinish = (): Promise<void> => {
      flush();
      return finish();
    };
    const combine = combineInto(op);
    for (const [s, ops] of mine.entries()) {
      if (ops.length === 0) continue;
      const received = (range: ElementRange): void => {
        if (finalAfter(mine, s, range)) upload(range);
      };
      await ex.trace.span('step', schedule.steps[s]!.label, () => hostStep(ex, ops, host, base, combine, clock, received, s === last ? flushThenFinish : undefined), { step: s });
    }
    flush();
  } finally {
    // Every upload has copied its bytes (writeBuffer copies at the call; the mapped way's copies
    // are submitted, and the pool maps the buffer again after them); after a failure, once the map settles.
    if (staged && !stagingLost) ex.pool.giveWritable(staged);
    mapped.then(
      () => ex.pool.give(buffer),
      () => undefined,
    );
  }
}

/** Ranges sorted by start, adjacent ones merged (received slices arrive in any order). */
export function coalesce(ranges: readonly ElementRange[]): ElementRange[] {
  const out: ElementRange[] = [];
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    const prev = out.at(-1);
    if (prev && prev.start + prev.count >= r.start) prev.count = Math.max(prev.count, r.start + r.count - prev.start);
    else out.push({ start: r.start, count: r.count });
  }
  return out;
}

type Combine = (dst: Float32Array, src: Float32Array) => void;

/** `dst[i] = dst[i] op src[i]` in float32 (Float32Array stores round each result, as the kernel does). */
export function combineInto(op: ReduceKernelOp): Combine {
  switch (op) {
    case 'sum':
      return (d, s) => {
        for (let i = 0; i < s.length; i++) d[i] = d[i]! + s[i]!;
      };
    case 'prod':
      return (d, s) => {
        for (let i = 0; i < s.length; i++) d[i] = d[i]! * s[i]!;
      };
    case 'min':
      return (d, s) => {
        for (let i = 0; i < s.length; i++) d[i] = Math.min(d[i]!, s[i]!);
      };
    case 'max':
      return (d, s) => {
        for (let i = 0; i < s.length; i++) d[i] = Math.max(d[i]!, s[i]!);
      };
  }
}

async function hostStep(
  ex: HostProtocolRank,
  ops: TransferOp[],
  host: Float32Array,
  base: number,
  combine: Combine,
  clock: LinkClock,
  received: (range: ElementRange) => void,
  finish?: () => Promise<void>,
): Promise<void> {
  const snapshot = sendsOverlapReceives(ops);
  const bytesOf = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  // Start-of-step copies of the sent ranges, taken before any receive of the step lands.
  const sendData = ops.map((o) => {
    if (o.kind !== 'send') return undefined;
    const from = o.range.start - base;
    return snapshot ? host.slice(from, from + o.range.count) : host.subarray(from, from + o.range.count);
  });
  await runStepOps(ops, {
    trace: ex.trace,
    abort: ex.abort,
    clock,
    send: async (o, i, readyAtMs) => {
      const ch = ex.channelTo(o.peer);
      const data = sendData[i]!;
      const first = o.range.start;
      for (const [k, sl] of ex.slices(o.range).entries()) {
        await ch.sendSlice(bytesOf(data.subarray(sl.start - first, sl.start - first + sl.count)), k === 0, readyAtMs);
      }
    },
    recv: async (o) => {
      const ch = ex.channelFrom(o.peer);
      let deliverAtMs = 0;
      for (const sl of ex.slices(o.range)) {
        const t = await ch.recvSlice((view) => {
          if (view.byteLength !== sl.count * 4)
            throw new Error(`rank ${ex.rank}: expected ${sl.count * 4} B from rank ${o.peer}, got ${view.byteLength} B (schedules out of step)`);
          const dst = host.subarray(sl.start - base, sl.start - base + sl.count);
          const src = new Float32Array(view.buffer, view.byteOffset, sl.count);
          if (o.mode === 'copy') dst.set(src);
          else combine(dst, src);
          received(sl);
        }, true);
        deliverAtMs = Math.max(deliverAtMs, t);
      }
      return deliverAtMs;
    },
    ...(finish ? { finish } : {}),
  });
}
