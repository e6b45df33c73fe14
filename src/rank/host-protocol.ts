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
import { scheduleExtent, sendsOverlapReceives } from '../core/schedule/protocol';
import type { ReduceKernelOp } from '../gpu/kernels/reduce';
import { nowMs } from '../transport/clock';
import type { SliceLink } from '../transport/slice-link';
import type { TraceRecorder } from './trace';
import type { StagingPool } from './staging-pool';

/** What the host protocol needs of its rank's executor. */
export interface HostProtocolRank {
  readonly device: GPUDevice;
  readonly rank: number;
  readonly pool: StagingPool;
  readonly trace: TraceRecorder;
  channelTo(peer: number): SliceLink;
  channelFrom(peer: number): SliceLink;
  /** Element slices of one slot each. */
  slices(range: ElementRange): ElementRange[];
}

/** Runs `schedule` on this rank with the host protocol; leaves the result uploaded (not awaited). */
export async function runHostProtocol(ex: HostProtocolRank, schedule: Schedule, work: GPUBuffer, op: ReduceKernelOp): Promise<void> {
  const mine = schedule.steps.map((s) => s.ops[ex.rank] ?? []);
  const extent = scheduleExtent(schedule);
  if (extent.count === 0 || mine.every((ops) => ops.length === 0)) return;
  const base = extent.start;
  const host = await ex.trace.span(
    'readback',
    'host copy',
    async () => {
      const { buffer, mapped } = ex.pool.readBack(work, [{ offsetBytes: base * 4, bytes: extent.count * 4 }]);
      await mapped;
      const copy = new Float32Array(buffer.getMappedRange(0, extent.count * 4).slice(0));
      ex.pool.give(buffer);
      return copy;
    },
    { bytes: extent.count * 4 },
  );
  const combine = combineInto(op);
  let received = false;
  for (const [s, ops] of mine.entries()) {
    if (ops.length === 0) continue;
    received ||= ops.some((o) => o.kind === 'recv' && o.range.count > 0);
    await ex.trace.span('step', schedule.steps[s]!.label, () => hostStep(ex, ops, host, base, combine), { step: s });
  }
  if (received) ex.device.queue.writeBuffer(work, base * 4, host);
}

type Combine = (dst: Float32Array, src: Float32Array) => void;

function combineInto(op: ReduceKernelOp): Combine {
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

async function hostStep(ex: HostProtocolRank, ops: TransferOp[], host: Float32Array, base: number, combine: Combine): Promise<void> {
  const readyAtMs = nowMs();
  const snapshot = sendsOverlapReceives(ops);
  const bytesOf = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  await Promise.all(
    ops.map(async (o) => {
      const peer = o.peer;
      if (o.kind === 'send') {
        const ch = ex.channelTo(peer);
        const from = o.range.start - base;
        const data = snapshot ? host.slice(from, from + o.range.count) : host.subarray(from, from + o.range.count);
        const first = o.range.start;
        for (const [k, sl] of ex.slices(o.range).entries()) {
          await ch.sendSlice(bytesOf(data.subarray(sl.start - first, sl.start - first + sl.count)), k === 0, readyAtMs);
        }
        return;
      }
      const ch = ex.channelFrom(peer);
      for (const sl of ex.slices(o.range)) {
        await ch.recvSlice((view) => {
          if (view.byteLength !== sl.count * 4) throw new Error(`rank ${ex.rank}: expected ${sl.count * 4} B from rank ${peer}, got ${view.byteLength} B (schedules out of step)`);
          const dst = host.subarray(sl.start - base, sl.start - base + sl.count);
          const src = new Float32Array(view.buffer, view.byteOffset, sl.count);
          if (o.mode === 'copy') dst.set(src);
          else combine(dst, src);
        });
      }
    }),
  );
}
