/**
 * Transfer protocols (DESIGN.md §3), chosen by message size as NCCL chooses its protocols:
 *
 *  - `simple`: every step reads its sends back from the GPU (one readback for all of a step's
 *    sends), sends them through host memory, and the receiver uploads and reduces on the GPU.
 *    One readback round trip per dependent step; bandwidth pipelined slice by slice.
 *  - `host`: read the rank's whole range back once, run every step of the schedule on that
 *    host copy (sends from it, receives reduced into it in float32, exactly as the GPU kernel
 *    rounds), and upload once. Two round trips in all, whatever the step count: for small
 *    messages, where the round trips are the cost.
 *  - `auto`: the one this run's measured floor predicts faster for the schedule
 *    (src/core/protocol-choice.ts): `host` for small messages, `simple` above a crossover that
 *    depends on the adapter, the rank count and the algorithm.
 *
 * Both protocols cut messages into the same slot-sized slices over the same channels, so the
 * bytes on the wire, the emulated links and the results are the same whichever runs.
 */
import type { ElementRange, Schedule, TransferOp } from './types';

export const PROTOCOLS = ['auto', 'simple', 'host'] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export type ConcreteProtocol = Exclude<Protocol, 'auto'>;

/**
 * Crossover of `auto` when no floor has been measured, bytes per rank buffer: at and below it
 * `host` runs. From the sweeps of the previous session (BENCHMARKS.md): below about 1 MiB the
 * saved round trips outweighed the host-side reduction on every adapter measured.
 */
export const AUTO_HOST_MAX_BYTES = 1024 * 1024;

/** The element range every op of the schedule touches on any rank ([0, 0) when none). */
export function scheduleExtent(s: Schedule): ElementRange {
  let lo = Infinity;
  let hi = -Infinity;
  for (const step of s.steps) {
    for (const ops of step.ops) {
      for (const o of ops) {
        if (o.range.count === 0) continue;
        lo = Math.min(lo, o.range.start);
        hi = Math.max(hi, o.range.start + o.range.count);
      }
    }
  }
  return lo === Infinity ? { start: 0, count: 0 } : { start: lo, count: hi - lo };
}

/**
 * Whether a receive of these ops writes a range that one of their sends reads: then the sends
 * must be staged from a start-of-step copy (recursive doubling sends and reduces the whole
 * buffer); otherwise they can be staged straight from the live buffer.
 */
export function sendsOverlapReceives(ops: readonly TransferOp[]): boolean {
  const sends = ops.filter((o) => o.kind === 'send' && o.range.count > 0);
  return ops.some(
    (r) => r.kind === 'recv' && r.range.count > 0 && sends.some((s) => r.range.start < s.range.start + s.range.count && s.range.start < r.range.start + r.range.count),
  );
}

/** Cuts a range into slices of at most `sliceElems` elements (none for an empty range: nothing is sent). */
export function slicesOf(range: ElementRange, sliceElems: number): ElementRange[] {
  if (!(sliceElems >= 1)) throw new Error(`slicesOf: slice must hold at least one element, got ${sliceElems}`);
  const out: ElementRange[] = [];
  for (let off = 0; off < range.count; off += sliceElems) out.push({ start: range.start + off, count: Math.min(sliceElems, range.count - off) });
  return out;
}

/**
 * Whether `range`, received by a rank in step `step` of its ops (`opsByStep[s]`: the rank's ops
 * of step s), is final there: no receive of a later step writes any of it. The host protocol
 * uploads a final range as soon as it lands instead of the whole buffer at the end.
 */
export function finalAfter(opsByStep: readonly (readonly TransferOp[])[], step: number, range: ElementRange): boolean {
  for (let s = step + 1; s < opsByStep.length; s++) {
    for (const o of opsByStep[s]!) {
      if (o.kind === 'recv' && o.range.count > 0 && o.range.start < range.start + range.count && range.start < o.range.start + o.range.count) return false;
    }
  }
  return true;
}
