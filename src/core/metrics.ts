/**
 * Benchmark metrics with nccl-tests' definitions (doc/PERFORMANCE.md; DESIGN.md §6).
 */

import type { Collective } from './schedule/types';

/**
 * Bus-bandwidth factor: busbw = algbw × factor, so that busbw is comparable to the hardware
 * link speed whatever the rank count.
 *  - all_reduce: 2(n−1)/n
 *  - reduce_scatter, all_gather: (n−1)/n, with S the size of the whole (gathered) array
 *  - broadcast: 1
 * For n = 1 nccl-tests' formulas give all_reduce 0, reduce_scatter/all_gather 0 and broadcast
 * 1, and it prints those busbw values: so do we.
 */
export function busbwFactor(collective: Collective, ranks: number): number {
  if (!Number.isInteger(ranks) || ranks < 1) throw new Error(`busbwFactor: ranks must be an integer ≥ 1, got ${ranks}`);
  switch (collective) {
    case 'all_reduce':
      return (2 * (ranks - 1)) / ranks;
    case 'reduce_scatter':
    case 'all_gather':
      return (ranks - 1) / ranks;
    case 'broadcast':
      return 1;
  }
}

/** Algorithm bandwidth S / t in GB/s with 1 GB = 1e9 bytes (nccl-tests). */
export function algbwGBps(bytes: number, seconds: number): number {
  return bytes / seconds / 1e9;
}

/** busbw in GB/s from a size, a time, a collective and a rank count. */
export function busbwGBps(bytes: number, seconds: number, collective: Collective, ranks: number): number {
  return algbwGBps(bytes, seconds) * busbwFactor(collective, ranks);
}

/** Order statistics of per-iteration times, in seconds. */
export interface TimeSummary {
  minS: number;
  /** Middle value; for an even count, the mean of the two middle values. */
  medianS: number;
  /** Nearest-rank 99th percentile: the ⌈0.99·n⌉-th smallest value (so for n ≤ 100, the max). */
  p99S: number;
  meanS: number;
  count: number;
}

/**
 * The median of `xs`: the middle value, or the mean of the two middle ones for an even count.
 * The one median of ringlab (timings, calibrations, fits).
 * @throws Error for an empty array.
 */
export function median(xs: readonly number[]): number {
  const n = xs.length;
  if (n === 0) throw new Error('median: no values');
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * min, median, p99 (nearest rank, no interpolation: always a time that was measured) and
 * mean of per-iteration times in seconds.
 * @throws Error for an empty array.
 */
export function summarize(timesS: readonly number[]): TimeSummary {
  const n = timesS.length;
  if (n === 0) throw new Error('summarize: no times');
  const sorted = [...timesS].sort((a, b) => a - b);
  const medianS = median(sorted);
  const p99S = sorted[Math.ceil(0.99 * n) - 1]!;
  const meanS = sorted.reduce((sum, t) => sum + t, 0) / n;
  return { minS: sorted[0]!, medianS, p99S, meanS, count: n };
}

/**
 * nccl-tests' `Avg bus bandwidth`: the plain mean of every printed busbw (not weighted by
 * size). nccl-tests averages its out-of-place and in-place values together; pass whichever
 * rows were printed. Returns 0 for no rows.
 */
export function avgBusBandwidth(rows: readonly { busbwGBps: number }[]): number {
  if (rows.length === 0) return 0;
  return rows.reduce((sum, r) => sum + r.busbwGBps, 0) / rows.length;
}
