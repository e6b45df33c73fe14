/**
 * Real-cluster nccl-tests output (text or `-J` JSON) checked row by row before it reaches a
 * chart (issue 10, defect 5: `nan`, `inf`, negative times, shifted columns, sizes beyond 2^53
 * and JSON `size: 1e309` were drawn). Every bad row is rejected with its line and the reason;
 * the good ones are kept; every message names the file. Pure: the page and the tests use it.
 */
import { parseNcclTestsJson, parseNcclTestsOutput, type ParsedNcclBlock, type ParsedNcclRow, type ParsedNcclTests } from './nccl-parse';
import type { BenchRow } from './nccl-format';
import { median } from './metrics';
import { COLLECTIVES, REDUCE_OPS, type Collective } from './schedule/types';

/** nccl-tests' type names (`-d`), old and new spellings. */
const TYPES = [
  'int8',
  'char',
  'uint8',
  'int32',
  'int',
  'uint32',
  'int64',
  'uint64',
  'half',
  'float16',
  'float',
  'float32',
  'double',
  'float64',
  'bfloat16',
  'bf16',
  'fp8_e4m3',
  'fp8_e5m2',
  'f8e4m3',
  'f8e5m2',
];
/** nccl-tests' reduction names (`-o`): ringlab's, NCCL's two pre-multiplied sums, and `none` for rootless data movement. */
const REDOPS: readonly string[] = [...REDUCE_OPS, 'premulsum', 'mulsum', 'none'];

/** Relative slack of the algbw check (nccl-tests rounds time to 2–4 digits); absolute slack is the %6.2f rounding. */
const ALGBW_REL_TOL = 0.03;
const ALGBW_ABS_TOL = 0.006;
/** Out-of-place and in-place times of one size differ by less than this in every real log seen (at most 1.6×). */
const MAX_BLOCK_RATIO = 4;

export interface RejectedRow {
  /** 1-based line in the file (the row's `"size"` key for JSON). */
  line: number;
  reason: string;
}

export interface ImportedRun {
  /** Legend label: real hardware, GPUs, collective, the file's name, FAILED when its footer says so. */
  label: string;
  /** The accepted rows, out-of-place block, in ringlab's row shape. */
  rows: BenchRow[];
  rejected: RejectedRow[];
  /** Size-0 rows, skipped (they cannot be drawn on a log axis). */
  zeroRows: number;
  collective: Collective | null;
  /** True when the run's footer says FAILED (wrong results). */
  failed: boolean;
  parsed: ParsedNcclTests;
}

/** The collective a file ran: its own header or command line, else its file name. */
export function collectiveOf(text: string, fileName: string): Collective | null {
  const named = (s: string): Collective | null => {
    const flat = s.toLowerCase().replace(/[^a-z]/g, '');
    return COLLECTIVES.find((c) => flat.includes(c.replace('_', ''))) ?? null;
  };
  const m = /(all_reduce|reduce_scatter|all_gather|broadcast|alltoall|reduce|sendrecv|gather|scatter|hypercube)_perf/.exec(text);
  if (m) return (COLLECTIVES as readonly string[]).includes(m[1]!) ? (m[1] as Collective) : null;
  return named(fileName);
}

function checkBlock(b: ParsedNcclBlock, bytes: number, ranks: number | null, which: string): string | null {
  for (const [name, v] of [
    ['time', b.timeUs],
    ['algbw', b.algbwGBps],
    ['busbw', b.busbwGBps],
  ] as const) {
    if (Number.isNaN(v)) return `${which} ${name} is not a number`;
    if (!Number.isFinite(v)) return `${which} ${name} is infinite`;
    if (v < 0) return `${which} ${name} ${v} is negative`;
  }
  if (b.timeUs === 0) return `${which} time is 0`;
  if (b.wrong !== null && !(Number.isFinite(b.wrong) && b.wrong >= 0)) return `${which} #wrong ${b.wrong} is not a count or an error`;
  // algbw = S / t (GB/s, t in µs); old nccl-tests all_gather/reduce_scatter printed (n−1)/n of that.
  const expected = bytes / (b.timeUs * 1e3);
  const factors = ranks !== null && ranks > 1 ? [1, (ranks - 1) / ranks] : [1];
  const near = (f: number): boolean => Math.abs(b.algbwGBps - expected * f) <= ALGBW_ABS_TOL + ALGBW_REL_TOL * expected * f;
  if (!factors.some(near) && !(ranks === null && b.algbwGBps <= expected * (1 + ALGBW_REL_TOL) + ALGBW_ABS_TOL && b.algbwGBps >= expected * 0.5 - ALGBW_ABS_TOL)) {
    return `${which} algbw ${b.algbwGBps} GB/s does not match size / time = ${bytes} B / ${b.timeUs} µs = ${+expected.toPrecision(4)} GB/s (shifted columns?)`;
  }
  return null;
}

/** Bytes per element of an nccl-tests type. */
function typeBytes(type: string): number {
  const t = type.toLowerCase();
  if (/int8|char|fp8|f8e/.test(t)) return 1;
  if (/half|16/.test(t)) return 2;
  if (/int64|double|64/.test(t)) return 8;
  return 4;
}

/** busbw / algbw is one factor per file (it depends on the collective and the rank count only). */
function fileFactor(rows: readonly ParsedNcclRow[]): number | null {
  const ratios = rows
    .flatMap((r) => [r.outOfPlace, ...(r.inPlace ? [r.inPlace] : [])])
    .filter((b) => Number.isFinite(b.algbwGBps) && b.algbwGBps >= 0.1 && Number.isFinite(b.busbwGBps))
    .map((b) => b.busbwGBps / b.algbwGBps);
  return ratios.length ? median(ratios) : null;
}

function factorProblem(b: ParsedNcclBlock, factor: number | null, which: string): string | null {
  if (factor === null) return null;
  // Both columns are rounded to 0.01: the printed algbw stands for ±0.005 of itself.
  const expected = b.algbwGBps * factor;
  const lo = Math.max(0, b.algbwGBps - 0.005) * factor * (1 - ALGBW_REL_TOL) - ALGBW_ABS_TOL;
  const hi = (b.algbwGBps + 0.005) * factor * (1 + ALGBW_REL_TOL) + ALGBW_ABS_TOL;
  if (b.busbwGBps >= lo && b.busbwGBps <= hi) return null;
  return `${which} busbw ${b.busbwGBps} GB/s is not algbw × ${+factor.toPrecision(4)} (the factor of every other row) = ${+expected.toPrecision(4)} GB/s`;
}

/** Why a parsed row cannot be drawn, or null when it can. `factor`: the file's busbw/algbw. */
export function rowProblem(r: ParsedNcclRow, ranks: number | null, factor: number | null = null): string | null {
  if (r.columns && r.columns.row !== r.columns.header) return `${r.columns.row} values where the column header has ${r.columns.header} (a missing or extra column)`;
  if (!Number.isFinite(r.bytes)) return `size ${r.bytes} is not a finite number`;
  if (!Number.isSafeInteger(r.bytes)) return `size ${r.bytes} is not a whole number of bytes below 2^53`;
  if (r.bytes <= 0) return `size ${r.bytes} is not positive`;
  if (!Number.isSafeInteger(r.count) || r.count < 0) return `count ${r.count} is not a whole number of elements below 2^53`;
  if (!TYPES.includes(r.type.toLowerCase())) return `type '${r.type}' is not an nccl-tests type (shifted columns?)`;
  if (r.redop !== null && !REDOPS.includes(r.redop.toLowerCase())) return `redop '${r.redop}' is not an nccl-tests op (shifted columns?)`;
  if (r.root !== null && !(Number.isInteger(r.root) && r.root >= -1)) return `root ${r.root} is not a rank (shifted columns?)`;
  // size = count × type size (all_reduce, broadcast), or × ranks (all_gather, reduce_scatter: count per rank).
  const perElement = r.count * typeBytes(r.type);
  const multiple = perElement > 0 ? r.bytes / perElement : NaN;
  if (!(Number.isInteger(multiple) && multiple >= 1 && (ranks === null || multiple === 1 || multiple === ranks))) {
    return `size ${r.bytes} B is not count ${r.count} × ${typeBytes(r.type)} B${ranks !== null ? ` (× ${ranks} ranks)` : ''}`;
  }
  // The two blocks time the same operation on the same sizes: 4× apart means one is wrong (where
  // algbw prints as 0.00, it is the only check a time gets).
  if (r.inPlace && Number.isFinite(r.inPlace.timeUs) && Number.isFinite(r.outOfPlace.timeUs) && r.inPlace.timeUs > 0 && r.outOfPlace.timeUs > 0) {
    const ratio = Math.max(r.inPlace.timeUs / r.outOfPlace.timeUs, r.outOfPlace.timeUs / r.inPlace.timeUs);
    if (ratio > MAX_BLOCK_RATIO)
      return `out-of-place time ${r.outOfPlace.timeUs} µs and in-place time ${r.inPlace.timeUs} µs differ ${+ratio.toPrecision(3)}×: one of them is wrong`;
  }
  return (
    checkBlock(r.outOfPlace, r.bytes, ranks, 'out-of-place') ??
    (r.inPlace ? checkBlock(r.inPlace, r.bytes, ranks, 'in-place') : null) ??
    factorProblem(r.outOfPlace, factor, 'out-of-place') ??
    (r.inPlace ? factorProblem(r.inPlace, factor, 'in-place') : null)
  );
}

/** 1-based line of the i-th `"size"` key of a JSON text (where results[i] is), else 1. */
function jsonLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') line++;
    else if (text.startsWith('"size"', i)) lines.push(line);
  }
  return lines;
}

/**
 * Reads and checks one file. Throws an Error that starts with the file's name when nothing in
 * it can be drawn (not nccl-tests output, invalid JSON, every row rejected).
 */
export function importNcclTests(fileName: string, text: string): ImportedRun {
  const fail = (why: string): never => {
    throw new Error(`${fileName}: ${why}`);
  };
  const isJson = text.trimStart().startsWith('{');
  let parsed: ParsedNcclTests;
  try {
    if (isJson) {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        return fail(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
      }
      parsed = parseNcclTestsJson(doc);
      const at = jsonLines(text);
      parsed.rows.forEach((r, i) => (r.line = at[i] ?? 1));
    } else {
      parsed = parseNcclTestsOutput(text);
    }
  } catch (e) {
    if (e instanceof Error && e.message.startsWith(`${fileName}: `)) throw e;
    // The parsers' own messages, without their internal names.
    return fail((e instanceof Error ? e.message : String(e)).replace(/^parseNccl\w+:\s*/, '').replace(/in report$/, 'in the report'));
  }
  const rejected: RejectedRow[] = (parsed.unreadable ?? []).map((u) => ({ line: u.line, reason: `not a result row: '${u.text.slice(0, 60)}'` }));
  const rows: BenchRow[] = [];
  let zeroRows = 0;
  const factor = fileFactor(parsed.rows);
  for (const r of parsed.rows) {
    // nccl-tests prints size-0 rows (nothing moves); a log axis cannot draw them: skipped, not wrong.
    if (r.bytes === 0 && r.count === 0) {
      zeroRows++;
      continue;
    }
    const problem = rowProblem(r, parsed.ranks, factor);
    if (problem) {
      rejected.push({ line: r.line ?? 0, reason: problem });
      continue;
    }
    const b = r.outOfPlace;
    rows.push({
      bytes: r.bytes,
      count: r.count,
      type: 'float',
      redop: r.redop ?? 'n/a',
      root: r.root ?? -1,
      timeUs: b.timeUs,
      algbwGBps: b.algbwGBps,
      busbwGBps: b.busbwGBps,
      wrong: b.wrong,
      minUs: b.timeUs,
      medianUs: b.timeUs,
      p99Us: b.timeUs,
    });
  }
  rejected.sort((a, b) => a.line - b.line);
  if (rows.length === 0) {
    const first = rejected[0];
    return fail(!first ? 'no result rows found (is this nccl-tests output?)' : `every row was rejected; line ${first?.line}: ${first?.reason}`);
  }
  const collective = collectiveOf(text, fileName);
  const failed = parsed.ok === false;
  const gpus = parsed.ranks !== null ? `${parsed.ranks} GPUs, ` : '';
  const base = fileName.replace(/\.(txt|log|json)$/, '');
  const src = parsed.source;
  // ringlab_collectives.py says what ran it: on gloo those are CPU processes, not GPUs.
  const who = src ? `torch.distributed ${src.backend} × ${src.worldSize} (${src.host})` : `real: ${gpus.replace(/, $/, '')}`;
  const label = `${who}${who.endsWith(' ') || who.endsWith(':') ? '' : ', '}${collective ?? 'collective unknown'}, ${base}${failed ? ' (FAILED: wrong results)' : ''}`;
  return { label, rows, rejected, zeroRows, collective, failed, parsed };
}
