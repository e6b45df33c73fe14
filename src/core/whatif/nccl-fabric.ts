/**
 * The inter-node link from a real cluster: α and β fitted to nccl-tests all_reduce output by
 * the benchmark tab's own fit (src/core/sweep-fit.ts: the ring schedule's latency terms and
 * bytes on the critical path, relative least squares). A flat ring over the log's GPUs is
 * what the fit assumes, so β is the bottleneck link as NCCL achieved it end to end (its
 * algorithm choice and NVLink inside the node included), not a NIC's line rate.
 */
import type { LinkSpec } from '../link/types';
import { parseNcclTestsJson, parseNcclTestsOutput, type BenchRow, type ParsedNcclTests } from '../nccl-format';
import { fitSweep } from '../sweep-fit';

export interface NcclLogLink {
  link: LinkSpec;
  ranks: number;
  sizes: number;
  r2: number;
  maxRelError: number;
  /** One line for the page and the CLI. */
  source: string;
}

/**
 * Fits the ring α-β model to nccl-tests output (out-of-place times).
 * @param ranks GPUs of the run, when the log does not list its devices.
 */
export function linkFromNcclLog(name: string, text: string, ranks?: number): NcclLogLink | { error: string } {
  let parsed: ParsedNcclTests;
  try {
    parsed = text.trimStart().startsWith('{') ? parseNcclTestsJson(text) : parseNcclTestsOutput(text);
  } catch (e) {
    return { error: `${name}: ${e instanceof Error ? e.message : String(e)}` };
  }
  const n = parsed.ranks ?? ranks;
  if (n === undefined || n < 2) return { error: `${name}: the log does not say how many GPUs ran (no '# Using devices' list); give the count` };
  const rows: BenchRow[] = parsed.rows
    .filter((r) => r.bytes > 0 && r.outOfPlace.timeUs > 0)
    .map((r) => ({
      bytes: r.bytes,
      count: r.count,
      type: 'float',
      redop: r.redop ?? 'sum',
      root: -1,
      timeUs: r.outOfPlace.timeUs,
      algbwGBps: r.outOfPlace.algbwGBps,
      busbwGBps: r.outOfPlace.busbwGBps,
      wrong: r.outOfPlace.wrong,
      minUs: r.outOfPlace.timeUs,
      medianUs: r.outOfPlace.timeUs,
      p99Us: r.outOfPlace.timeUs,
    }));
  const fit = fitSweep({ collective: 'all_reduce', algorithm: 'ring', ranks: n, root: 0 }, rows);
  if ('error' in fit) return { error: `${name}: ${fit.error}` };
  if (!(fit.alphaS > 0) || !(fit.betaSPerByte > 0)) return { error: `${name}: the fit gave α ${fit.alphaS} s, β ${fit.betaSPerByte} s/B; both must be positive` };
  const link = { alphaS: fit.alphaS, bandwidthBytesPerS: 1 / fit.betaSPerByte };
  const source = `fitted to ${name} (${n} GPUs, ${rows.length} sizes, ring α-β, R² ${fit.r2.toFixed(3)}, worst size off by ${(fit.maxRelError * 100).toFixed(0)} %): α ${(link.alphaS * 1e6).toPrecision(3)} µs, ${(link.bandwidthBytesPerS / 1e9).toPrecision(3)} GB/s`;
  return { link, ranks: n, sizes: rows.length, r2: fit.r2, maxRelError: fit.maxRelError, source };
}
