/**
 * The benchmark sweep with nccl-tests' semantics (DESIGN.md §6): sizes from min to max by a
 * factor; per size, warm-up then timed iterations on every rank; an iteration's time is the
 * slowest rank's; time = mean over timed iterations; algbw = S / t; busbw = algbw × factor.
 */
import { buildSchedule } from '../core/schedule';
import type { Algorithm, Collective, ReduceOp, Schedule } from '../core/schedule/types';
import type { Protocol } from '../core/schedule/protocol';
import { algbwGBps, avgBusBandwidth, busbwFactor, summarize } from '../core/metrics';
import type { BenchBlock, BenchRow } from '../core/nccl-format';
import type { AlphaBeta, LinkOf } from '../core/link';
import type { BenchEnvironment } from './cluster';
import { ClusterRun } from './cluster-run';
import { predictSweep, sweepSizes } from './sweep-prediction';

export interface SweepRequest {
  collective: Collective;
  algorithm: Algorithm;
  ranks: number;
  minBytes: number;
  maxBytes: number;
  stepFactor: number;
  iters: number;
  warmupIters: number;
  check: boolean;
  op: ReduceOp;
  root: number;
  /** nccl-tests -a: an iteration's time across ranks, 0 rank 0, 1 average, 2 min, 3 max (default 3). */
  average?: number;
  /** Also measure nccl-tests' out-of-place block (separate send and receive buffers) before the in-place one. */
  outOfPlace?: boolean;
  timeoutMs: number;
  ranksPerNode?: number;
  /** Transfer protocol (default auto). */
  proto?: Protocol;
  /** Nudge period while a readback or fence is pending, ms (src/rank/nudge.ts; default `defaultNudgeMs`: on up to two ranks per core; 0: off). `npm run perf` runs both. */
  nudgeMs?: number;
  /** Emulated link of each directed pair; null or absent: raw shared memory. */
  linkOf?: LinkOf<AlphaBeta | null>;
  /** Test-only fault injection (see BenchSizeRequest). */
  fault?: { rank: number; kind: 'throw' | 'stall' };
}

export type { BenchEnvironment } from './cluster';

/** nccl-tests' `-a`: one time from every rank's, 0 rank 0, 1 mean, 2 min, 3 max. */
export function acrossRanks(times: number[], average: number): number {
  if (average === 0) return times[0]!;
  if (average === 1) return times.reduce((a, b) => a + b, 0) / times.length;
  return average === 2 ? Math.min(...times) : Math.max(...times);
}

export interface SweepResult {
  status: 'done' | 'cancelled' | 'failed';
  rows: BenchRow[];
  environment?: BenchEnvironment;
  /** Mean busbw over all rows, as nccl-tests' footer. */
  avgBusbwGBps: number;
  error?: string;
  /** Rank named by the failure, if any. */
  failedRank?: number;
}

export interface SweepHooks {
  onEnvironment?(env: BenchEnvironment): void;
  onRow?(row: BenchRow, index: number, total: number): void;
}

export { sweepSizes } from './sweep-prediction';

/** Every directed pair a schedule sends over. */
export function schedulePairs(s: Schedule): [number, number][] {
  const seen = new Set<string>();
  const out: [number, number][] = [];
  for (const step of s.steps) {
    step.ops.forEach((ops, r) => {
      for (const o of ops) {
        if (o.kind !== 'send') continue;
        const k = `${r}>${o.peer}`;
        if (!seen.has(k)) {
          seen.add(k);
          out.push([r, o.peer]);
        }
      }
    });
  }
  return out;
}

/** A running sweep: `result` settles when it ends; `cancel()` stops every rank promptly. */
export class SweepRun extends ClusterRun {
  readonly result: Promise<SweepResult>;

  constructor(
    readonly request: SweepRequest,
    hooks: SweepHooks = {},
  ) {
    super();
    this.result = this.run(hooks);
  }

  private async run(hooks: SweepHooks): Promise<SweepResult> {
    const req = this.request;
    const rows: BenchRow[] = [];
    let environment: BenchEnvironment | undefined;
    const finish = (status: SweepResult['status'], extra: Partial<SweepResult> = {}): SweepResult => ({
      status,
      rows,
      ...(environment ? { environment } : {}),
      avgBusbwGBps: avgBusBandwidth(rows),
      ...extra,
    });
    return this.withCluster(
      req.ranks,
      { timeoutMs: req.timeoutMs, ...(req.nudgeMs !== undefined ? { nudgeMs: req.nudgeMs } : {}) },
      async (cluster) => {
        environment = { ...cluster.environment(), floor: await cluster.measureFloor() };
        hooks.onEnvironment?.(environment);
        const sizes = sweepSizes(req.minBytes, req.maxBytes, req.stepFactor);
        // Refuse sizes the devices cannot hold before any rank allocates (each rank keeps three
        // buffers of S bytes, each bounded by maxBufferSize).
        const limitBytes = Math.min(...cluster.infos.map((i) => i.adapter.maxBufferSize));
        const tooBig = sizes.filter((b) => Math.floor(b / 4) * 4 > limitBytes);
        if (tooBig.length) {
          return finish('failed', {
            error: `message size ${tooBig[0]} B exceeds this device's maxBufferSize of ${limitBytes} B; the largest size allowed here is ${limitBytes} B (lower the max bytes)`,
          });
        }
        const opts = { root: req.root, ...(req.ranksPerNode ? { ranksPerNode: req.ranksPerNode } : {}) };
        const schedules = sizes.map((b) => buildSchedule(req.collective, req.algorithm, req.ranks, Math.floor(b / 4), opts));
        // Timeouts follow the work the run predicts (issue 10, defect 2): a rank may wait for a
        // peer as long as one iteration takes on the emulated links, and the main thread expects
        // each size to take its iterations on the links plus what the previous size measured.
        const predicted = predictSweep(req, sizes);
        const longestIterMs = Math.max(0, ...predicted.iterationS) * 1e3;
        await cluster.ensureChannels(schedules.flatMap(schedulePairs), req.linkOf, req.timeoutMs + 2 * longestIterMs);
        const factor = busbwFactor(req.collective, req.ranks);
        let measuredIterMs = 0;
        for (const [i, size] of sizes.entries()) {
          if (this.cancelled) return finish('cancelled');
          const count = Math.floor(size / 4);
          const expectedMs = (req.warmupIters + req.iters) * ((predicted.iterationS[i] ?? 0) * 1e3 + measuredIterMs);
          let protocol: string | undefined;
          let protocolWhy: string | undefined;
          const bytes = count * 4;
          // One block: every rank runs the size, then an iteration takes as long as -a says
          // (default 3: its slowest rank); the block's time is the mean over iterations.
          const block = async (outOfPlace: boolean): Promise<BenchBlock> => {
            const results = await cluster.onAll(
              `${req.collective} of ${size} B${outOfPlace ? ' (out of place)' : ''}`,
              (p) =>
                p.benchSize({
                  collective: req.collective,
                  algorithm: req.algorithm,
                  count,
                  op: req.op,
                  root: req.root,
                  warmupIters: req.warmupIters,
                  iters: req.iters,
                  check: req.check,
                  outOfPlace,
                  ...(req.ranksPerNode ? { ranksPerNode: req.ranksPerNode } : {}),
                  ...(req.fault ? { fault: req.fault } : {}),
                  ...(req.proto ? { proto: req.proto } : {}),
                }),
              expectedMs,
            );
            protocol = results[0]!.protocol;
            protocolWhy = results[0]!.protocolWhy;
            const itersS = results[0]!.timesMs.map(
              (_, it) =>
                acrossRanks(
                  results.map((r) => r.timesMs[it]!),
                  req.average ?? 3,
                ) / 1e3,
            );
            const stats = summarize(itersS);
            measuredIterMs = stats.meanS * 1e3;
            const algbw = algbwGBps(bytes, stats.meanS);
            return {
              timeUs: stats.meanS * 1e6,
              algbwGBps: algbw,
              busbwGBps: algbw * factor,
              wrong: req.check ? results.reduce((a, r) => a + r.wrong, 0) : null,
              minUs: stats.minS * 1e6,
              medianUs: stats.medianS * 1e6,
              p99Us: stats.p99S * 1e6,
            };
          };
          const outOfPlace = req.outOfPlace ? await block(true) : undefined;
          if (this.cancelled) return finish('cancelled');
          const inPlace = await block(false);
          const row: BenchRow = {
            bytes,
            count,
            type: 'float',
            redop: req.op,
            root: req.collective === 'broadcast' ? req.root : -1,
            ...inPlace,
            ...(outOfPlace ? { outOfPlace } : {}),
            ...(protocol ? { protocol } : {}),
            ...(protocolWhy ? { protocolWhy } : {}),
          };
          rows.push(row);
          hooks.onRow?.(row, i, sizes.length);
        }
        return finish('done');
      },
      finish,
    );
  }
}
