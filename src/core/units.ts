/**
 * Units: message sizes, bandwidths and durations, parsed strictly and printed for humans.
 *
 * Conventions (DESIGN.md §6): sizes are binary (K = 1024, as nccl-tests' `-b`/`-e`); link
 * bandwidths are decimal SI (1 GB/s = 1e9 B/s, as networking and nccl-tests' GB/s use) unless
 * the unit says KiB/MiB/GiB/TiB; bits and bytes are never guessed: a bandwidth needs its unit.
 */

const SIZE_SUFFIX: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** What parseSize accepts, for error messages and help text. */
export const SIZE_FORMS = 'a number of bytes with an optional K, M or G suffix (x1024, case-insensitive), e.g. 8, 64K, 1M, 1.5G';

/**
 * A byte count the way nccl-tests' `parsesize` reads `-b`/`-e` (src/common.cu): a decimal
 * number (`%lf`, so `1.5M` is allowed) with an optional K/M/G suffix, case-insensitive, in
 * powers of 1024; the product is truncated to whole bytes as nccl-tests' `(size_t)` cast does.
 * Stricter than nccl-tests in one way: anything after the suffix (`1MB`, `1Mx`) is rejected,
 * where sscanf would silently ignore it.
 * @throws Error naming the accepted forms when the text is not a size.
 */
export function parseSize(text: string): number {
  const m = /^\s*((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([kKmMgG])?\s*$/.exec(text);
  if (!m) throw new Error(`invalid size '${text}': expected ${SIZE_FORMS}`);
  const units = m[2] ? (SIZE_SUFFIX[m[2].toLowerCase()] ?? 1) : 1;
  const bytes = Math.trunc(Number(m[1]) * units);
  if (!Number.isSafeInteger(bytes)) throw new Error(`invalid size '${text}': too large`);
  return bytes;
}

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Trims a fixed-point number: 1.50 → "1.5", 2.00 → "2". */
function trimFixed(value: number, decimals: number): string {
  return value.toFixed(decimals).replace(/\.?0+$/, '');
}

/** Human byte count in binary units: 8 → "8 B", 1048576 → "1 MiB", 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  let unit = 0;
  let value = bytes;
  while (Math.abs(value) >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${trimFixed(value, 2)} ${BINARY_UNITS[unit]}`;
}

/**
 * Shortest size text that parseSize reads back to exactly `bytes` (1048576 → "1M",
 * 1536 → "1536"): for URLs and command lines.
 */
export function formatSizeExact(bytes: number): string {
  for (const [suffix, factor] of [
    ['G', 1024 ** 3],
    ['M', 1024 ** 2],
    ['K', 1024],
  ] as const) {
    if (bytes !== 0 && bytes % factor === 0) return `${bytes / factor}${suffix}`;
  }
  return String(bytes);
}

/** Bandwidth units to bytes per second. Case matters: B is a byte, b a bit. */
const BANDWIDTH_UNITS: Record<string, number> = {
  'B/s': 1,
  'kB/s': 1e3,
  'MB/s': 1e6,
  'GB/s': 1e9,
  'TB/s': 1e12,
  'KiB/s': 1024,
  'MiB/s': 1024 ** 2,
  'GiB/s': 1024 ** 3,
  'TiB/s': 1024 ** 4,
  'bit/s': 1 / 8,
  'kbit/s': 1e3 / 8,
  'Mbit/s': 1e6 / 8,
  'Gbit/s': 1e9 / 8,
  'Tbit/s': 1e12 / 8,
  'b/s': 1 / 8,
  'kb/s': 1e3 / 8,
  'Mb/s': 1e6 / 8,
  'Gb/s': 1e9 / 8,
  'Tb/s': 1e12 / 8,
  bps: 1 / 8,
  kbps: 1e3 / 8,
  Mbps: 1e6 / 8,
  Gbps: 1e9 / 8,
  Tbps: 1e12 / 8,
};

/** What parseBandwidth accepts, for error messages and help text. */
export const BANDWIDTH_FORMS =
  'a number and a unit: bytes B/s, kB/s, MB/s, GB/s, TB/s (x1000) or KiB/s, MiB/s, GiB/s, TiB/s (x1024); ' +
  'bits bit/s, kbit/s, Mbit/s, Gbit/s, Tbit/s, also written Gb/s or Gbps; e.g. 12.5GB/s, 100Gbit/s, 400Gbps';

const NUMBER = String.raw`((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)`;

/**
 * A link bandwidth in bytes per second. The unit is required and case-sensitive (B byte,
 * b bit); decimal prefixes are powers of 1000 as networking uses them, KiB/MiB/GiB/TiB powers
 * of 1024. `100Gbit/s` = `100Gb/s` = `100Gbps` = 12.5e9 B/s. Ambiguous spellings (`GBps`,
 * `KB/s`, `gb/s`) are rejected rather than guessed.
 * @throws Error listing the accepted forms.
 */
export function parseBandwidth(text: string): number {
  const m = new RegExp(`^\\s*${NUMBER}\\s*([A-Za-z/]+)\\s*$`).exec(text);
  const factor = m?.[2] !== undefined ? BANDWIDTH_UNITS[m[2]] : undefined;
  if (!m || factor === undefined) throw new Error(`invalid bandwidth '${text}': expected ${BANDWIDTH_FORMS}`);
  const value = Number(m[1]) * factor;
  if (!Number.isFinite(value)) throw new Error(`invalid bandwidth '${text}': too large`);
  return value;
}

/** Human bandwidth in decimal bytes: 4.5e11 → "450 GB/s", 1.25e9 → "1.25 GB/s". */
export function formatBandwidth(bytesPerS: number): string {
  const units: [string, number][] = [
    ['TB/s', 1e12],
    ['GB/s', 1e9],
    ['MB/s', 1e6],
    ['kB/s', 1e3],
  ];
  for (const [name, factor] of units) {
    if (Math.abs(bytesPerS) >= factor) return `${Number((bytesPerS / factor).toPrecision(3))} ${name}`;
  }
  return `${Number(bytesPerS.toPrecision(3))} B/s`;
}

/**
 * Shortest bandwidth text that parseBandwidth reads back to exactly `bytesPerS` (1.25e10 →
 * "12.5GB/s"; values with no short exact form fall back to plain B/s).
 */
export function formatBandwidthExact(bytesPerS: number): string {
  for (const unit of ['TB/s', 'GB/s', 'MB/s', 'kB/s'] as const) {
    const factor = BANDWIDTH_UNITS[unit] ?? 1;
    if (Math.abs(bytesPerS) < factor) continue;
    const text = `${bytesPerS / factor}${unit}`;
    if (!text.includes('e') && parseBandwidth(text) === bytesPerS) return text;
  }
  return `${bytesPerS}B/s`;
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1 };

/** What parseDuration accepts. */
export const DURATION_FORMS = 'a number and a unit ns, us (or µs), ms or s, e.g. 500ns, 1.5us, 2ms, 1s';

/**
 * A duration in seconds: `500ns`, `1.5us` (or `µs`), `2ms`, `1s`. The unit is required.
 * @throws Error listing the accepted forms.
 */
export function parseDuration(text: string): number {
  const m = new RegExp(`^\\s*${NUMBER}\\s*(ns|us|µs|μs|ms|s)\\s*$`).exec(text);
  const factor = m?.[2] !== undefined ? DURATION_UNITS[m[2]] : undefined;
  if (!m || factor === undefined) throw new Error(`invalid duration '${text}': expected ${DURATION_FORMS}`);
  return Number(m[1]) * factor;
}

/** Human duration: 1.5e-6 → "1.5 µs", 0.002 → "2 ms", 0 → "0 s". */
export function formatDuration(seconds: number): string {
  const units: [string, number][] = [
    ['s', 1],
    ['ms', 1e-3],
    ['µs', 1e-6],
  ];
  for (const [name, factor] of units) {
    if (Math.abs(seconds) >= factor) return `${Number((seconds / factor).toPrecision(3))} ${name}`;
  }
  if (seconds === 0) return '0 s';
  return `${Number((seconds / 1e-9).toPrecision(3))} ns`;
}

/**
 * Shortest duration text that parseDuration reads back to exactly `seconds` (2e-6 → "2us").
 */
export function formatDurationExact(seconds: number): string {
  for (const unit of ['s', 'ms', 'us', 'ns'] as const) {
    const factor = DURATION_UNITS[unit] ?? 1;
    if (Math.abs(seconds) < factor && unit !== 'ns') continue;
    const text = `${seconds / factor}${unit}`;
    if (!text.includes('e') && parseDuration(text) === seconds) return text;
  }
  return `${seconds}s`;
}

/**
 * A duration for people: 45 s, 12 min, 12.5 h, 3.2 days (issue 10, defect 6: "45000 s").
 * Below a minute, formatDuration's units.
 */
export function formatDurationHuman(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'forever';
  if (seconds < 60) return formatDuration(seconds);
  if (seconds < 3600) return `${Number((seconds / 60).toPrecision(2))} min`;
  if (seconds < 86400 * 2) return `${Number((seconds / 3600).toPrecision(3))} h`;
  return `${Number((seconds / 86400).toPrecision(3))} days`;
}
