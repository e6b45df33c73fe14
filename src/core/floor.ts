/**
 * The floor of the host-staged transport (DESIGN.md §3): what this browser's path costs at
 * least, measured at the start of every run (src/rank/floor-probe.ts) and used to report the
 * transport against it. Pure arithmetic over the measured figures.
 *
 *  - latency floor of a collective = dependent steps × one GPU readback round trip (a copy to a
 *    MAP_READ buffer and `mapAsync` of it): no step can hand on data it has not read back;
 *  - host-staged ceiling = 1 / (1/readback + 1/memcpy + 1/upload) GB/s: the rate of one
 *    byte going GPU → host → shared memory → GPU with the three stages run one after another,
 *    where upload is the faster of the two ways to the GPU at that size (`queue.writeBuffer`, or
 *    a MAP_WRITE staging buffer mapped ahead + copyBufferToBuffer), the one the host protocol
 *    takes (src/rank/host-protocol.ts);
 *  - emulation floor: the smallest α (one readback round trip plus one Atomics hop) and the
 *    largest bandwidth (the ceiling at 16 MiB) an emulated link can show faithfully here. The
 *    round trip is the larger of the quiet one and the one measured with every rank of the run
 *    reading back at once (the slowest rank's mean: on a software adapter the GPU process then answers some ranks ms late).
 */
import { formatBytes } from './units';
import type { AlphaBeta } from './link';

/** Rates of the three stages at one transfer size. */
export interface StageRates {
  bytes: number;
  /** copyBufferToBuffer into a MAP_READ buffer + mapAsync, bytes / round trip, GB/s (1e9 B/s). */
  readbackGBps: number;
  /** Mapped range → SharedArrayBuffer (Uint8Array.set), GB/s. */
  memcpyGBps: number;
  /** queue.writeBuffer from a SharedArrayBuffer view until the queue is done, GB/s. */
  writeBufferGBps: number;
  /**
   * A MAP_WRITE | COPY_SRC staging buffer that is already mapped: Uint8Array.set into it, unmap,
   * copyBufferToBuffer, until the queue is done, GB/s (mapping it again for the next use follows
   * off the clock, as the host protocol's pool does). Absent in floors from before it was measured.
   */
  mappedWriteGBps?: number;
}

/**
 * The host protocol uploads this much or more through mapped staging (when the floor does not
 * have it slower): at 1 MiB on SwiftShader writeBuffer and the mapped way were about even, at
 * 16 MiB the mapped way was 2.6× faster (0.9 → 2.4 GB/s).
 */
export const MAPPED_UPLOAD_MIN_BYTES = 1024 * 1024;

export type UploadPath = 'mapped' | 'writeBuffer';

/**
 * How the host protocol uploads `bytes`: through mapped staging from `minBytes` up unless the
 * measured floor has it slower than writeBuffer at 16 MiB; writeBuffer below.
 */
export function uploadPathFor(floor: TransportFloor | null | undefined, bytes: number, minBytes = MAPPED_UPLOAD_MIN_BYTES): UploadPath {
  if (bytes < minBytes) return 'writeBuffer';
  const r = floor?.large;
  return !r || (r.mappedWriteGBps ?? 0) > r.writeBufferGBps ? 'mapped' : 'writeBuffer';
}

/** The rate of the upload the host protocol takes for `bytes` (16 MiB rates, as the cost model uses), GB/s. */
export function uploadRateFor(floor: TransportFloor, bytes: number): number {
  return uploadPathFor(floor, bytes) === 'mapped' ? uploadGBps(floor.large) : floor.large.writeBufferGBps;
}

/** The rate of the upload the host protocol takes for a transfer measured by `r`, GB/s. */
export function uploadGBps(r: StageRates): number {
  return r.bytes >= MAPPED_UPLOAD_MIN_BYTES ? Math.max(r.writeBufferGBps, r.mappedWriteGBps ?? 0) : r.writeBufferGBps;
}

/** Reduction rates, what the two protocols' receives cost beyond moving the bytes. */
export interface ReduceRates {
  bytes: number;
  /** float32 sum of two arrays in JavaScript (the host protocol's reduce), GB/s of operand bytes. */
  jsGBps: number;
  /** The reduce kernel over slot-sized slices, one submit each (the simple protocol's), GB/s. */
  gpuGBps: number;
}

/** The measured floor of one session (one adapter, one slot size). */
export interface TransportFloor {
  /** Median round trip of a 4-byte readback, ms. */
  readbackRttMs: number;
  /** Median one-way Atomics.notify → waitAsync hop between two ranks, µs; null with one rank. */
  atomicsHopUs: number | null;
  /** Stage rates at the run's slot size. */
  slot: StageRates;
  /** Stage rates at 16 MiB (or the device's limit, if smaller). */
  large: StageRates;
  /**
   * The readback round trip with all `ranks` ranks reading back at once, the slowest rank's mean
   * (ms; the mean keeps the late answers a collective pays for); absent with one rank.
   */
  contended?: { ranks: number; readbackRttMs: number };
  /** Reduction rates at 4 MiB: what `auto` weighs the protocols with (src/core/protocol-choice.ts). */
  reduce: ReduceRates;
  /** Repetitions each median is taken over. */
  reps: number;
  /** When it was measured (ISO 8601); a cached floor keeps its first date. */
  measuredAt: string;
}

/** Bytes of the large probe. */
export const FLOOR_LARGE_BYTES = 16 * 1024 * 1024;

/** Serial host-staged ceiling 1/(1/readback + 1/memcpy + 1/upload), GB/s. */
export function ceilingGBps(r: StageRates): number {
  return 1 / (1 / r.readbackGBps + 1 / r.memcpyGBps + 1 / uploadGBps(r));
}

/** Stage rates that apply to a message of `bytes`: the slot's up to one slot, 16 MiB's above. */
export function ratesFor(floor: TransportFloor, bytes: number): StageRates {
  return bytes <= floor.slot.bytes ? floor.slot : floor.large;
}

/** busbw as a fraction of the host-staged ceiling that applies at this size. */
export function ceilingFraction(floor: TransportFloor, bytes: number, busbwGBps: number): number {
  return busbwGBps / ceilingGBps(ratesFor(floor, bytes));
}

/** Latency floor of `steps` dependent steps, ms: one readback round trip each. */
export function latencyFloorMs(floor: TransportFloor, steps: number): number {
  return steps * floor.readbackRttMs;
}

/** What an emulated link can show faithfully in this tab. */
export interface EmulationFloor {
  /** Smallest α, s: a readback round trip (the contended one where larger) plus one hop. */
  minAlphaS: number;
  /** Largest bandwidth, bytes/s: the host-staged ceiling at 16 MiB. */
  maxBandwidthBytesPerS: number;
}

export function emulationFloor(floor: TransportFloor): EmulationFloor {
  return {
    minAlphaS: (Math.max(floor.readbackRttMs, floor.contended?.readbackRttMs ?? 0) + (floor.atomicsHopUs ?? 0) / 1e3) / 1e3,
    maxBandwidthBytesPerS: ceilingGBps(floor.large) * 1e9,
  };
}

/**
 * Why a link cannot be emulated faithfully here, or null when it can: α below the floor's or a
 * bandwidth above its ceiling (the measurement would show the browser, not the link).
 */
export function belowEmulationFloor(floor: TransportFloor, link: AlphaBeta): string | null {
  const f = emulationFloor(floor);
  const why: string[] = [];
  if (link.alphaS < f.minAlphaS) why.push(`α ${fmtS(link.alphaS)} is below this tab's ${fmtS(f.minAlphaS)}`);
  const bw = link.betaSPerByte > 0 ? 1 / link.betaSPerByte : Infinity;
  if (bw > f.maxBandwidthBytesPerS) why.push(`bandwidth ${fmtBw(bw)} is above this tab's ${fmtBw(f.maxBandwidthBytesPerS)}`);
  return why.length
    ? `below the emulation floor: ${why.join('; ')}; steps this short may measure this browser's path rather than the link (algorithms with few steps first)`
    : null;
}

/** The distinct {@link belowEmulationFloor} warnings of a run's links (empty when all are above the floor). */
export function emulationWarnings(floor: TransportFloor, links: readonly AlphaBeta[]): string[] {
  return [...new Set(links.map((l) => belowEmulationFloor(floor, l)).filter((w): w is string => w !== null))];
}

function fmtS(s: number): string {
  return s >= 1e-3 ? `${+(s * 1e3).toPrecision(3)} ms` : `${+(s * 1e6).toPrecision(3)} µs`;
}

function fmtBw(bytesPerS: number): string {
  if (!Number.isFinite(bytesPerS)) return 'unlimited';
  return bytesPerS >= 1e9 ? `${+(bytesPerS / 1e9).toPrecision(3)} GB/s` : `${+(bytesPerS / 1e6).toPrecision(3)} MB/s`;
}

/** One-line summary for headers: "readback round trip 0.21 ms; ceiling 0.47 GB/s at 16 MiB ...". */
export function floorSummary(floor: TransportFloor): string[] {
  const rates = (r: StageRates): string =>
    `readback ${r.readbackGBps.toPrecision(3)}, memcpy ${r.memcpyGBps.toPrecision(3)}, writeBuffer ${r.writeBufferGBps.toPrecision(3)}${r.mappedWriteGBps === undefined ? '' : `, mapped write ${r.mappedWriteGBps.toPrecision(3)}`} GB/s → ceiling ${ceilingGBps(r).toPrecision(3)} GB/s`;
  const e = emulationFloor(floor);
  return [
    `floor: readback round trip ${floor.readbackRttMs.toPrecision(3)} ms${floor.contended ? ` (${floor.contended.readbackRttMs.toPrecision(3)} ms with all ${floor.contended.ranks} ranks at once)` : ''}; Atomics hop ${floor.atomicsHopUs === null ? 'n/a (one rank)' : `${floor.atomicsHopUs.toPrecision(3)} µs`} (medians of ${floor.reps})`,
    `floor at slot ${formatBytes(floor.slot.bytes)}: ${rates(floor.slot)}`,
    `floor at ${formatBytes(floor.large.bytes)}: ${rates(floor.large)}`,
    `reduce at ${formatBytes(floor.reduce.bytes)}: JavaScript ${floor.reduce.jsGBps.toPrecision(3)} GB/s (host protocol), GPU kernel ${floor.reduce.gpuGBps.toPrecision(3)} GB/s (simple protocol)`,
    `emulation floor: α ≥ ${fmtS(e.minAlphaS)}, bandwidth ≤ ${fmtBw(e.maxBandwidthBytesPerS)}`,
  ];
}
