/**
 * What `npm run bench` prints beyond the nccl-tests table (src/core/nccl-format.ts): the
 * environment lines, the α-β fit, and the -J JSON report.
 */
import type { BenchEnvironment, SweepResult } from '../cluster/sweep';
import type { BenchConfig } from '../core/config';
import type { AlgorithmFit } from '../core/fit';
import { fitSweep } from '../core/sweep-fit';
import { rowToJson, type BenchRow, type BenchRowJson } from '../core/nccl-format';
import { ceilingFraction, floorSummary, latencyFloorMs, type TransportFloor } from '../core/floor';

/** Header lines (each starting '# ') describing where the figures come from. */
export function environmentLines(env: BenchEnvironment, browserVersion: string): string[] {
  const timer = env.timerResolutionUs >= 1 ? `${+env.timerResolutionUs.toPrecision(3)} µs` : `${+(env.timerResolutionUs * 1e3).toPrecision(3)} ns`;
  return [
    ...(env.isFallbackAdapter ? ['# software adapter: figures are not GPU figures'] : []),
    `# browser: Chromium ${browserVersion} (${env.browser})`,
    `# crossOriginIsolated: ${env.crossOriginIsolated}`,
    `# timer resolution: ${timer} (performance.now, coarsest rank); GPU timestamps: ${env.hasTimestamps ? 'yes' : 'no'}`,
    ...(env.floor ? floorSummary(env.floor).map((l) => `# ${l}`) : []),
  ];
}

/**
 * Footer lines: each size's time over the latency floor (steps × readback round trip) and busbw
 * over the host-staged ceiling at that size.
 */
export function floorLines(floor: TransportFloor, rows: readonly BenchRow[], steps: (count: number) => number): string[] {
  if (!rows.length) return [];
  const out = ['# vs the floor:  size(B)  steps  time/latency-floor  busbw/ceiling  protocol (why)'];
  for (const r of rows) {
    const n = steps(r.count);
    out.push(
      `#  ${String(r.bytes).padStart(12)}  ${String(n).padStart(5)}  ${(r.timeUs / 1e3 / latencyFloorMs(floor, Math.max(1, n))).toPrecision(3).padStart(18)}  ${ceilingFraction(floor, r.bytes, r.busbwGBps).toPrecision(3).padStart(13)}  ${r.protocol ?? '-'}${r.protocolWhy ? ` (${r.protocolWhy})` : ''}`,
    );
  }
  return out;
}

/** The α-β fit of the algorithm that ran, or the reason there is none. */
export function fitSweepOf(config: BenchConfig, rows: readonly BenchRow[], ranksPerNode: number | undefined): AlgorithmFit | { error: string } {
  return fitSweep({ collective: config.collective, algorithm: config.algo, ranks: config.ranks, root: config.root, ...(ranksPerNode ? { ranksPerNode } : {}) }, rows);
}

/** The -J file's shape (snake_case keys, units in names). */
export interface JsonReport {
  config: BenchConfig;
  environment: BenchEnvironment | null;
  rows: (BenchRowJson & { busbw_over_ceiling?: number })[];
  avg_busbw_gbps: number;
  status: SweepResult['status'];
  error?: string;
  failed_rank?: number;
  fit?: { alpha_us: number; beta_gbps: number; r2: number; r2_log: number | null; max_rel_error: number; n_star_bytes: number } | { error: string };
}

export function jsonReport(config: BenchConfig, result: SweepResult, fit?: AlgorithmFit | { error: string }): JsonReport {
  return {
    config,
    environment: result.environment ?? null,
    rows: result.rows.map((r) => ({
      ...rowToJson(r),
      ...(result.environment?.floor ? { busbw_over_ceiling: ceilingFraction(result.environment.floor, r.bytes, r.busbwGBps) } : {}),
    })),
    avg_busbw_gbps: result.avgBusbwGBps,
    status: result.status,
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(result.failedRank !== undefined ? { failed_rank: result.failedRank } : {}),
    ...(fit
      ? {
          fit:
            'error' in fit
              ? { error: fit.error }
              : {
                  alpha_us: fit.alphaS * 1e6,
                  beta_gbps: 1 / fit.betaSPerByte / 1e9,
                  r2: fit.r2,
                  r2_log: Number.isNaN(fit.r2Log) ? null : fit.r2Log,
                  max_rel_error: fit.maxRelError,
                  n_star_bytes: fit.nStarBytes,
                },
        }
      : {}),
  };
}
