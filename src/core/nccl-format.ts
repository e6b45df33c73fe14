/**
 * nccl-tests-style text report (the table `all_reduce_perf` prints), so a ringlab run reads
 * like, and diffs against, a real cluster's. Column widths and number formats follow
 * nccl-tests' src/common.cu (`%12li  %12li  %8s  %6s  %6s`, then per block
 * `  %7s  %6.2f  %6.2f  %5g`, time `%7.2f` below 100 µs, `%7.1f` below 10 ms, `%7.0f` above).
 *
 * Blocks: ringlab prints the in-place block per size, or, with `--placement both`, nccl-tests'
 * out-of-place block (separate send and receive buffers) then the in-place one, so a ringlab
 * table diffs line by line against a real log. After the blocks it adds min/median/p99 columns
 * of the in-place per-iteration times (nccl-tests' -I has its own, different columns).
 * The parsers for real nccl-tests output live in nccl-parse.ts and are re-exported here.
 */

import type { Collective } from './schedule/types';
import { avgBusBandwidth } from './metrics';

export { parseNcclTestsOutput, parseNcclTestsJson } from './nccl-parse';
export type { ParsedNcclTests } from './nccl-parse';

/** One timing block of a row (nccl-tests prints an out-of-place and an in-place one). */
export interface BenchBlock {
  /** Mean time of one operation (slowest rank), µs. */
  timeUs: number;
  algbwGBps: number;
  busbwGBps: number;
  /** Wrong elements summed over ranks; null when checking was off (printed N/A). */
  wrong: number | null;
  minUs: number;
  medianUs: number;
  p99Us: number;
}

/** One size of a ringlab sweep, as printed: its in-place block, and the out-of-place one when measured. */
export interface BenchRow extends BenchBlock {
  /** Message size S in bytes (the whole array for reduce_scatter / all_gather). */
  bytes: number;
  /** Elements per rank buffer, as nccl-tests' count column. */
  count: number;
  type: 'float';
  /** Reduction op name (sum, prod, min, max, avg); nccl-tests prints 'none' for broadcast/all_gather. */
  redop: string;
  /** Root rank; nccl-tests prints −1 for rootless collectives. */
  root: number;
  /** The out-of-place block (separate send and receive buffers), when the sweep measured it. */
  outOfPlace?: BenchBlock;
  /** Transfer protocol that ran (src/core/schedule/protocol.ts), when known. */
  protocol?: string;
  /** Why it ran (src/core/protocol-choice.ts): "auto: predicted host 0.61 ms ≤ simple 1.8 ms". */
  protocolWhy?: string;
}

/** What the preamble says about the run. */
export interface ReportHeader {
  collective: Collective;
  algorithm: string;
  ranks: number;
  minBytes: number;
  maxBytes: number;
  stepFactor: number;
  warmupIters: number;
  iters: number;
  /** 1 when results were checked. */
  check: number;
  /** Adapter description, e.g. "Google SwiftShader (fallback adapter)". */
  adapter: string;
  /** Link description, e.g. "ib-ndr400 scaled ×1.5e-6", or "none (shared memory)". */
  link?: string;
  /** The blocks printed: one (named) or both, out-of-place first as nccl-tests. Default 'out-of-place'. */
  placement?: Placement;
  /** nccl-tests -a: how a time was reduced across ranks (0 rank 0, 1 average, 2 min, 3 max). */
  average?: number;
}

export type Placement = 'out-of-place' | 'in-place' | 'both';

/** What `-a` means, for headers. */
export const AVERAGE_NAMES = ['rank 0', 'average over ranks', 'min over ranks', 'max over ranks (slowest rank)'] as const;

/** C's printf `%.{precision}g` (default 6): 70.742, 1e+06, 0.000123. */
export function formatG(value: number, precision = 6): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0';
  const p = Math.max(precision, 1);
  const exp = Number(value.toExponential(p - 1).split('e')[1]);
  if (exp < -4 || exp >= p) {
    const [mantissa = '', e = '0'] = value.toExponential(p - 1).split('e');
    const m = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    const en = Number(e);
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  const fixed = value.toFixed(Math.max(p - 1 - exp, 0));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** nccl-tests' time column: 2 decimals below 100 µs, 1 below 10 ms, none above; width 7. */
export function formatTimeUs(timeUs: number): string {
  const decimals = timeUs >= 10000 ? 0 : timeUs >= 100 ? 1 : 2;
  return timeUs.toFixed(decimals).padStart(7);
}

const pad = (text: string | number, width: number): string => String(text).padStart(width);

/** Column headers: the nccl-tests layout with one block or both, then min/median/p99. */
export function formatColumnHeader(placement: Placement = 'out-of-place'): string[] {
  const lead = `# ${pad('', 10)}  ${pad('', 12)}  ${pad('', 8)}  ${pad('', 6)}  ${pad('', 6)}`;
  const blocks = placement === 'both' ? 2 : 1;
  // nccl-tests puts its block labels at fixed places (11 spaces in; 'in-place' 23 after 'out-of-place'); a block is 32 characters wide.
  const label = placement === 'both' ? `           out-of-place${' '.repeat(23)}in-place` : `           ${placement}`;
  const names = `  ${pad('time', 7)}  ${pad('algbw', 6)}  ${pad('busbw', 6)} ${pad('#wrong', 6)}`;
  const units = `  ${pad('(us)', 7)}  ${pad('(GB/s)', 6)}  ${pad('(GB/s)', 6)}  ${pad('', 5)}`;
  return [
    `${lead}${label.padEnd(32 * blocks)}       per-iteration (us)${blocks === 2 ? ', in-place' : ''}`,
    `# ${pad('size', 10)}  ${pad('count', 12)}  ${pad('type', 8)}  ${pad('redop', 6)}  ${pad('root', 6)}${names.repeat(blocks)}  ${pad('min', 7)}  ${pad('median', 7)}  ${pad('p99', 7)}`,
    `# ${pad('(B)', 10)}  ${pad('(elements)', 12)}  ${pad('', 8)}  ${pad('', 6)}  ${pad('', 6)}${units.repeat(blocks)}  ${pad('(us)', 7)}  ${pad('(us)', 7)}  ${pad('(us)', 7)}`,
  ];
}

/**
 * A bandwidth column in nccl-tests' width (6): `%6.2f` where that shows the value; below
 * 0.01 GB/s, where `%6.2f` prints 0.00 on every row of a slow link (issue 10, defect 6), two
 * significant digits that still fit: 0.0056, then 4.5e-7. Still one number per column.
 */
export function formatBandwidthColumn(gbps: number): string {
  if (gbps === 0 || Math.abs(gbps) >= 0.01 || !Number.isFinite(gbps)) return gbps.toFixed(2).padStart(6);
  if (Math.abs(gbps) >= 0.001) return gbps.toPrecision(2).padStart(6);
  const [mantissa, exp] = gbps.toExponential(1).split('e');
  return `${mantissa}e${Number(exp)}`.padStart(6);
}

function formatBlock(b: Pick<BenchBlock, 'timeUs' | 'algbwGBps' | 'busbwGBps' | 'wrong'>): string {
  const wrong = b.wrong === null ? pad('N/A', 5) : pad(formatG(b.wrong), 5);
  return `  ${formatTimeUs(b.timeUs)}  ${formatBandwidthColumn(b.algbwGBps)}  ${formatBandwidthColumn(b.busbwGBps)}  ${wrong}`;
}

/** One table line for one size, nccl-tests widths (out-of-place block first when measured), then min/median/p99. */
export function formatRow(row: BenchRow): string {
  return (
    `${pad(row.bytes, 12)}  ${pad(row.count, 12)}  ${pad(row.type, 8)}  ${pad(row.redop, 6)}  ${pad(row.root, 6)}` +
    (row.outOfPlace ? formatBlock(row.outOfPlace) : '') +
    formatBlock(row) +
    `  ${formatTimeUs(row.minUs)}  ${formatTimeUs(row.medianUs)}  ${formatTimeUs(row.p99Us)}`
  );
}

/** Preamble lines: nccl-tests' parameter line plus what ringlab ran on. */
export function formatPreamble(h: ReportHeader): string[] {
  const placement = h.placement ?? 'out-of-place';
  const blocks = placement === 'both' ? 'out-of-place and in-place blocks (separate send and receive buffers, then one buffer)' : `one ${placement} block`;
  return [
    `# ringlab ${h.collective} algorithm: ${h.algorithm} ranks: ${h.ranks}` + ` (Web Workers as GPUs; nccl-tests layout, ${blocks} per size, plus min/median/p99)`,
    `# nThread 1 nGpus ${h.ranks} minBytes ${h.minBytes} maxBytes ${h.maxBytes} step: ${h.stepFactor}(factor)` +
      ` warmup iters: ${h.warmupIters} iters: ${h.iters} agg iters: 1 validation: ${h.check} graph: 0`,
    ...(h.average !== undefined ? [`# time: ${AVERAGE_NAMES[h.average] ?? `-a ${h.average}`} of each iteration (-a ${h.average}), mean over the timed iterations`] : []),
    `# adapter: ${h.adapter}`,
    `# link: ${h.link ?? 'none (shared memory)'}`,
    '#',
  ];
}

/**
 * nccl-tests' `Out of bounds values`: the number of TESTS that had wrong elements, not the
 * number of wrong elements (nccl-tests' CheckData adds one to `errors` per size and block whose
 * check found any; with one process, as here, that is the number of blocks printed, out-of-place
 * and in-place, with #wrong > 0). One definition for the page and the CLI.
 */
export function outOfBoundsCount(rows: readonly (Pick<BenchRow, 'wrong'> & { outOfPlace?: Pick<BenchBlock, 'wrong'> | undefined })[]): number {
  return rows.flatMap((r) => (r.outOfPlace ? [r.outOfPlace, r] : [r])).filter((b) => b.wrong !== null && b.wrong > 0).length;
}

/**
 * nccl-tests' footer: `Out of bounds values` (outOfBoundsCount), `Avg bus bandwidth` the plain
 * mean of every printed busbw (`%g`), over every block printed.
 */
export function formatFooter(rows: readonly BenchRow[]): string[] {
  const failed = outOfBoundsCount(rows);
  const blocks = rows.flatMap((r) => (r.outOfPlace ? [r.outOfPlace, r] : [r]));
  return [`# Out of bounds values : ${failed} ${failed ? 'FAILED' : 'OK'}`, `# Avg bus bandwidth    : ${formatG(avgBusBandwidth(blocks))} `, '#'];
}

/** The whole report: preamble, column header, one line per row, footer; '\n'-terminated. */
export function formatReport(header: ReportHeader, rows: readonly BenchRow[]): string {
  const lines = [...formatPreamble(header), ...formatColumnHeader(header.placement), ...rows.map(formatRow), ...formatFooter(rows)];
  return `${lines.join('\n')}\n`;
}

/** One row in the snake_case names of the -J report (units in names), shared by the CLI and the page's export. */
export interface BenchRowJson {
  bytes: number;
  count: number;
  type: string;
  redop: string;
  root: number;
  time_us: number;
  algbw_gbps: number;
  busbw_gbps: number;
  wrong: number | null;
  min_us: number;
  median_us: number;
  p99_us: number;
  /** The out-of-place block, when measured (same units). */
  out_of_place?: { time_us: number; algbw_gbps: number; busbw_gbps: number; wrong: number | null; min_us: number; median_us: number; p99_us: number };
  protocol?: string;
  protocol_why?: string;
}

export function rowToJson(r: BenchRow): BenchRowJson {
  return {
    bytes: r.bytes,
    count: r.count,
    type: r.type,
    redop: r.redop,
    root: r.root,
    time_us: r.timeUs,
    algbw_gbps: r.algbwGBps,
    busbw_gbps: r.busbwGBps,
    wrong: r.wrong,
    min_us: r.minUs,
    median_us: r.medianUs,
    p99_us: r.p99Us,
    ...(r.outOfPlace
      ? {
          out_of_place: {
            time_us: r.outOfPlace.timeUs,
            algbw_gbps: r.outOfPlace.algbwGBps,
            busbw_gbps: r.outOfPlace.busbwGBps,
            wrong: r.outOfPlace.wrong,
            min_us: r.outOfPlace.minUs,
            median_us: r.outOfPlace.medianUs,
            p99_us: r.outOfPlace.p99Us,
          },
        }
      : {}),
    ...(r.protocol ? { protocol: r.protocol } : {}),
    ...(r.protocolWhy ? { protocol_why: r.protocolWhy } : {}),
  };
}
