/**
 * Measures the floor of the host-staged transport on a rank (src/core/floor.ts): the GPU
 * readback round trip, the readback / memcpy / writeBuffer rates at two sizes (rank 0), and
 * the Atomics hop between ranks 0 and 1 (both), with the same primitives the collectives use:
 * copyBufferToBuffer + mapAsync, Uint8Array.set into a SharedArrayBuffer, writeBuffer from a
 * SharedArrayBuffer view or a mapped MAP_WRITE staging buffer, Atomics.notify + Atomics.waitAsync.
 */
import { FLOOR_LARGE_BYTES, type ReduceRates, type StageRates, type TransportFloor } from '../core/floor';
import { median } from '../core/metrics';
import { waitUntil, type AbortFlag } from '../transport/wait';
import { sharedSource } from '../gpu/buffers';
import type { ReduceKernel } from '../gpu/kernels/reduce';
import { combineInto } from './host-protocol';
import { nudgeWhilePending } from './nudge';

/** Bytes of the reduction probe. */
const REDUCE_BYTES = 4 * 1024 * 1024;

export interface FloorProbeRequest {
  slotBytes: number;
  reps: number;
  /** Int32 words for the hop ping-pong between ranks 0 and 1; null with one rank. */
  hop: SharedArrayBuffer | null;
  hopRounds: number;
  timeoutMs: number;
}

/**
 * Rank 0 returns the whole floor; rank 1 returns null after the hop; others return null at once.
 * `sum` is the rank's sum kernel, the one the simple protocol reduces with.
 */
export async function probeFloor(device: GPUDevice, rank: number, req: FloorProbeRequest, abort: AbortFlag, sum: ReduceKernel): Promise<TransportFloor | null> {
  if (rank > 1) return null;
  const hopUs = req.hop ? await atomicsHop(rank, req.hop, req.hopRounds, abort, req.timeoutMs) : null;
  if (rank !== 0) return null;
  const reps = Math.max(3, req.reps);
  const readbackRttMs = await readbackRoundTripMs(device, reps * 2);
  const largeBytes = Math.min(FLOOR_LARGE_BYTES, device.limits.maxBufferSize);
  return {
    readbackRttMs,
    atomicsHopUs: hopUs,
    slot: await stageRates(device, req.slotBytes, reps),
    large: await stageRates(device, largeBytes, Math.max(3, Math.ceil(reps / 2))),
    reduce: await reduceRates(device, sum, Math.min(REDUCE_BYTES, device.limits.maxBufferSize), req.slotBytes, readbackRttMs, Math.max(3, Math.ceil(reps / 2))),
    reps,
    measuredAt: new Date().toISOString(),
  };
}

/**
 * Round trip of a 4-byte readback (copy + mapAsync), ms: the median, or the mean (`mean`). The
 * cluster also runs it on every rank at once, taking the mean and nudging as the collectives do
 * (`nudgeMs`, src/rank/nudge.ts): the round trip a collective's steps really wait for, late answers
 * included (a run's times are means too). The floor's own round trip is never nudged.
 */
export async function readbackRoundTripMs(device: GPUDevice, reps: number, mean = false, nudgeMs = 0): Promise<number> {
  const src = device.createBuffer({ label: 'floor.rtt.src', size: 16, usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const dst = device.createBuffer({ label: 'floor.rtt.staging', size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const times: number[] = [];
    for (let i = 0; i < reps + 2; i++) {
      const t0 = performance.now();
      const enc = device.createCommandEncoder({ label: 'floor.rtt' });
      enc.copyBufferToBuffer(src, 0, dst, 0, 4);
      device.queue.submit([enc.finish()]);
      await nudgeWhilePending(device, dst.mapAsync(GPUMapMode.READ, 0, 4), nudgeMs);
      new Uint8Array(dst.getMappedRange(0, 4))[0];
      dst.unmap();
      if (i >= 2) times.push(performance.now() - t0);
    }
    return mean ? times.reduce((a, t) => a + t, 0) / times.length : median(times);
  } finally {
    src.destroy();
    dst.destroy();
  }
}

/**
 * Readback, memcpy, writeBuffer and mapped-write rates of one `bytes` message on this rank, medians
 * of `reps` after one warm-up. The floor runs it on rank 0 alone; `npm run perf` also runs it on
 * every rank at once (Cluster.contendedStageRates), the way a collective's ranks share one GPU
 * process and the CPU cores: then `sync` (a barrier of all ranks) starts each GPU stage on every
 * rank together, so the ranks' readbacks meet each other, and so do their uploads.
 */
export async function stageRates(device: GPUDevice, bytes: number, reps: number, sync: () => Promise<void> = async () => undefined): Promise<StageRates> {
  const gpu = device.createBuffer({ label: 'floor.rates.gpu', size: bytes, usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST | GPUBufferUsage.STORAGE });
  const staging = device.createBuffer({ label: 'floor.rates.staging', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const writable = device.createBuffer({ label: 'floor.rates.writable', size: bytes, usage: GPUBufferUsage.MAP_WRITE | GPUBufferUsage.COPY_SRC, mappedAtCreation: true });
  const shared = new Uint8Array(new SharedArrayBuffer(bytes));
  try {
    const rb: number[] = [];
    const mc: number[] = [];
    const wb: number[] = [];
    const mw: number[] = [];
    for (let i = 0; i < reps + 1; i++) {
      await sync();
      const t0 = performance.now();
      const enc = device.createCommandEncoder({ label: 'floor.rates.readback' });
      enc.copyBufferToBuffer(gpu, 0, staging, 0, bytes);
      device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ, 0, bytes);
      const t1 = performance.now();
      shared.set(new Uint8Array(staging.getMappedRange(0, bytes)));
      const t2 = performance.now();
      staging.unmap();
      await sync();
      const t3 = performance.now();
      device.queue.writeBuffer(gpu, 0, sharedSource(shared));
      await device.queue.onSubmittedWorkDone();
      const t4 = performance.now();
      // The mapped way (the host protocol's pool maps its staging again off the clock).
      await sync();
      const t4m = performance.now();
      new Uint8Array(writable.getMappedRange(0, bytes)).set(shared);
      writable.unmap();
      const enc2 = device.createCommandEncoder({ label: 'floor.rates.mappedWrite' });
      enc2.copyBufferToBuffer(writable, 0, gpu, 0, bytes);
      device.queue.submit([enc2.finish()]);
      await device.queue.onSubmittedWorkDone();
      const t5 = performance.now();
      await writable.mapAsync(GPUMapMode.WRITE, 0, bytes);
      if (i === 0) continue; // warm-up
      rb.push(t1 - t0);
      mc.push(t2 - t1);
      wb.push(t4 - t3);
      mw.push(t5 - t4m);
    }
    const gbps = (ms: number): number => bytes / (Math.max(ms, 1e-3) * 1e-3) / 1e9;
    return { bytes, readbackGBps: gbps(median(rb)), memcpyGBps: gbps(median(mc)), writeBufferGBps: gbps(median(wb)), mappedWriteGBps: gbps(median(mw)) };
  } finally {
    gpu.destroy();
    staging.destroy();
    writable.destroy();
  }
}

/**
 * The two protocols' reductions of `bytes`: the host protocol's JavaScript float32 sum, and the
 * simple protocol's reduce kernel over slot-sized slices with one submit each, timed to the queue
 * being done less one readback round trip (the fence's own cost).
 */
async function reduceRates(device: GPUDevice, sum: ReduceKernel, bytes: number, slotBytes: number, rttMs: number, reps: number): Promise<ReduceRates> {
  const count = bytes / 4;
  const dst = new Float32Array(count).fill(1);
  const src = new Float32Array(count).fill(0.5);
  const combine = combineInto('sum');
  const js: number[] = [];
  for (let i = 0; i < reps + 1; i++) {
    const t0 = performance.now();
    combine(dst, src);
    if (i > 0) js.push(performance.now() - t0);
  }
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const work = device.createBuffer({ label: 'floor.reduce.work', size: bytes, usage });
  const scratch = device.createBuffer({ label: 'floor.reduce.scratch', size: slotBytes, usage });
  try {
    const slice = slotBytes / 4;
    const gpu: number[] = [];
    for (let i = 0; i < reps + 1; i++) {
      const t0 = performance.now();
      for (let at = 0; at < count; at += slice) sum.submitReduce(work, at, scratch, 0, Math.min(slice, count - at));
      await device.queue.onSubmittedWorkDone();
      if (i > 0) gpu.push(performance.now() - t0 - rttMs);
    }
    const gbps = (ms: number): number => bytes / (Math.max(ms, 1e-3) * 1e-3) / 1e9;
    return { bytes, jsGBps: gbps(median(js)), gpuGBps: gbps(median(gpu)) };
  } finally {
    work.destroy();
    scratch.destroy();
  }
}

/** One-way hop, µs: rank 0 and rank 1 bounce a counter `rounds` times with notify/waitAsync. */
async function atomicsHop(rank: number, sab: SharedArrayBuffer, rounds: number, abort: AbortFlag, timeoutMs: number): Promise<number | null> {
  const w = new Int32Array(sab);
  const peer = rank === 0 ? 1 : 0;
  const opts = { abort, timeoutMs, what: `rank ${peer} (floor calibration: Atomics hop)` };
  let t0 = 0;
  for (let i = 0; i < rounds; i++) {
    if (i === 2) t0 = performance.now(); // two warm-up rounds
    if (rank === 0) {
      Atomics.store(w, 0, 2 * i + 1);
      Atomics.notify(w, 0);
      await waitUntil(w, 0, () => Atomics.load(w, 0) === 2 * i + 2, opts);
    } else {
      await waitUntil(w, 0, () => Atomics.load(w, 0) === 2 * i + 1, opts);
      Atomics.store(w, 0, 2 * i + 2);
      Atomics.notify(w, 0);
    }
  }
  return rank === 0 ? ((performance.now() - t0) / (2 * (rounds - 2))) * 1e3 : null;
}
