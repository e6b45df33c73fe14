/**
 * One message size of the benchmark on one rank, with nccl-tests' semantics: warm-up
 * iterations, timed iterations, each started together behind a barrier, and a check of the
 * result against the CPU reference.
 */
import { buildSchedule } from '../core/schedule';
import type { Algorithm, Collective, ReduceOp } from '../core/schedule/types';
import { benchInitial, countWrong } from '../core/bench-data';
import { nowMs } from '../transport/clock';
import type { ConcreteProtocol, Protocol } from '../core/schedule/protocol';
import { decideProtocol } from '../core/protocol-choice';
import type { RankContext } from './context';

export interface BenchSizeRequest {
  collective: Collective;
  algorithm: Algorithm;
  count: number;
  op: ReduceOp;
  root: number;
  ranksPerNode?: number;
  warmupIters: number;
  iters: number;
  check: boolean;
  /**
   * nccl-tests' out-of-place block: the result lands in a receive buffer separate from the
   * send buffer. ringlab's schedules work in place, so the send buffer is copied into the
   * receive buffer inside the timed region (as torch.distributed's all_reduce needs too).
   */
  outOfPlace?: boolean;
  /** Transfer protocol (default auto: by size). */
  proto?: Protocol;
  /** Test-only fault injection: this rank throws, or never arrives. */
  fault?: { rank: number; kind: 'throw' | 'stall' };
}

export interface BenchSizeResult {
  rank: number;
  /** Duration of each timed iteration on this rank, ms. */
  timesMs: number[];
  /** Start of each timed iteration on the common clock, ms. */
  startsMs: number[];
  wrong: number;
  protocol: ConcreteProtocol;
  /** Why (src/core/protocol-choice.ts). */
  protocolWhy: string;
}

export async function runBenchSize(ctx: RankContext, req: BenchSizeRequest): Promise<BenchSizeResult> {
  ctx.checkDevice();
  const { device, rank, ranks } = ctx;
  if (req.fault?.rank === rank) {
    if (req.fault.kind === 'throw') throw new Error(`rank ${rank}: injected failure`);
    await new Promise(() => undefined);
  }
  const schedule = buildSchedule(req.collective, req.algorithm, ranks, req.count, { root: req.root, ...(req.ranksPerNode ? { ranksPerNode: req.ranksPerNode } : {}) });
  const bytes = req.count * 4;
  const { protocol, why: protocolWhy } = decideProtocol(req.proto ?? 'auto', schedule, ctx.floor);
  const limit = device.limits.maxBufferSize;
  if (bytes > limit) throw new Error(`rank ${rank}: ${bytes} B exceeds this device's maxBufferSize of ${limit} B`);

  const input = new Float32Array(req.count);
  for (let i = 0; i < req.count; i++) input[i] = benchInitial(req.collective, req.op, ranks, req.count, rank, i);
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const mk = (name: string, size: number): GPUBuffer => device.createBuffer({ label: `rank${rank}.bench.${name}`, size: Math.max(16, size), usage });
  const inputBuf = mk('input', bytes);
  const work = mk('work', bytes);
  const sendSnapshot = mk('sendSnapshot', bytes);
  const scratch = mk('scratch', ctx.slotBytes);
  const owned = [inputBuf, work, sendSnapshot, scratch];
  try {
    device.queue.writeBuffer(inputBuf, 0, input);
    const kernel = ctx.reduceKernel(req.op === 'avg' ? 'sum' : req.op);
    // Out of place, the copy is only queued: the schedule's first GPU work follows it on the
    // same queue, so it costs its GPU time, not an extra round trip.
    const copyInput = async (): Promise<void> => {
      const enc = device.createCommandEncoder({ label: `rank${rank}.bench.${req.outOfPlace ? 'sendToRecv' : 'reset'}` });
      enc.copyBufferToBuffer(inputBuf, 0, work, 0, bytes);
      device.queue.submit([enc.finish()]);
      if (!req.outOfPlace) await ctx.fence();
    };
    const timesMs: number[] = [];
    const startsMs: number[] = [];
    const total = req.warmupIters + req.iters;
    for (let it = 0; it < total; it++) {
      // In place: the receive buffer starts as the input, reset outside the timed region.
      if (!req.outOfPlace) await copyInput();
      // Every rank's input is on its GPU by the time the barrier opens: that is when the
      // collective's data is logically ready on every rank (the emulated links stamp from it).
      const readyAtMs = await ctx.barrier.arrive(rank, ctx.timeoutMs);
      ctx.trace.enabled = it >= req.warmupIters;
      const t0 = nowMs();
      if (req.outOfPlace) await copyInput();
      await ctx.trace.span(
        'collective',
        `${req.collective} ${req.algorithm}`,
        () =>
          ctx.executor.run(
            schedule,
            { work, sendSnapshot, scratch },
            kernel,
            () => {
              if (req.op === 'avg') kernel.submitScale(work, 0, req.count, 1 / ranks);
            },
            protocol,
            readyAtMs,
          ),
        { bytes, iter: it - req.warmupIters, protocol },
      );
      const t1 = nowMs();
      ctx.checkDevice();
      if (it >= req.warmupIters) {
        timesMs.push(t1 - t0);
        startsMs.push(t0);
      }
    }
    let wrong = 0;
    if (req.check) {
      const staging = device.createBuffer({ label: `rank${rank}.bench.readback`, size: Math.max(16, bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      owned.push(staging);
      const enc = device.createCommandEncoder({ label: `rank${rank}.bench.readback` });
      enc.copyBufferToBuffer(work, 0, staging, 0, bytes);
      device.queue.submit([enc.finish()]);
      await staging.mapAsync(GPUMapMode.READ, 0, bytes);
      const out = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
      staging.unmap();
      wrong = countWrong(out, req.collective, req.op, ranks, rank, req.root);
    }
    return { rank, timesMs, startsMs, wrong, protocol, protocolWhy };
  } finally {
    ctx.trace.enabled = true;
    for (const b of owned) b.destroy();
  }
}
