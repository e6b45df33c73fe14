/**
 * Readers for real nccl-tests output, text and `-J` JSON, so measured clusters can be drawn
 * next to ringlab runs. The text reader copes with the layouts seen in the wild
 * (public/nccl-logs): the modern one (`redop root … #wrong`), the oldest one (no
 * redop/root, an `error` column), Open MPI's `[1,0]<stdout>:` prefixes with NCCL INFO lines
 * between rows, and nccl-tests 2.18's wider columns. Columns are found from the header line,
 * then rows are split on whitespace, so widths do not matter.
 */

/** One timing block (out-of-place or in-place) of one row. */
export interface ParsedNcclBlock {
  timeUs: number;
  algbwGBps: number;
  busbwGBps: number;
  /** The `#wrong` count, or the old layout's `error` (max abs error); null for `N/A`. */
  wrong: number | null;
}

export interface ParsedNcclRow {
  bytes: number;
  count: number;
  type: string;
  /** null in the oldest layout, which has no redop column. */
  redop: string | null;
  /** null in the oldest layout, which has no root column. */
  root: number | null;
  outOfPlace: ParsedNcclBlock;
  /** null when a file has only one block. */
  inPlace: ParsedNcclBlock | null;
  /** 1-based line of the row in the text (for messages), or of its `"size"` key in -J JSON. */
  line?: number;
  /** Text only: how many values the row has, and how many columns its header names. */
  columns?: { row: number; header: number };
}

export interface ParsedNcclTests {
  rows: ParsedNcclRow[];
  /** Which column the `wrong` values come from. */
  wrongColumn: '#wrong' | 'error';
  /** Footer `Avg bus bandwidth`, GB/s; null when absent. */
  avgBusbwGBps: number | null;
  /** Footer `Out of bounds values` count; null when absent. */
  outOfBounds: number | null;
  /** Footer verdict: true for OK, false for FAILED, null when absent. */
  ok: boolean | null;
  /** Devices listed under `# Using devices` (one per rank); null when not listed. */
  ranks: number | null;
  /** `key value` pairs of the `# nThread 1 nGpus …` line, e.g. { nGpus: '1', iters: '20' }. */
  params: Record<string, string>;
  /** Set when ringlab_collectives.py wrote the JSON (its `ringlab` block): what ran the sweep. */
  source?: { tool: string; backend: string; worldSize: number; host: string };
  /**
   * Lines after the column header that start like a result row (a number) but do not parse as
   * one (a missing column, a stray token), with their 1-based line numbers; text only.
   */
  unreadable?: { line: number; text: string }[];
}

/** Open MPI's `--tag-output` prefix, e.g. `[1,0]<stdout>:`. */
const MPI_PREFIX = /^\[\d+,\d+\]<std(?:out|err)>:/;

/** Parses a number as nccl-tests prints it; `N/A` → null; anything else unreadable → NaN (the importer rejects that row). */
function numberOrNull(token: string): number | null {
  if (token === 'N/A') return null;
  return cNumber(token);
}

/** A number as C's printf writes it: `inf`, `-inf` and `nan` included (JS's Number reads none of them). */
function cNumber(token: string | undefined): number {
  const t = (token ?? '').toLowerCase();
  if (t === 'inf' || t === '+inf') return Infinity;
  if (t === '-inf') return -Infinity;
  return Number(token) + 0; // + 0: '-0.00' is 0
}

function block(tokens: string[], at: number): ParsedNcclBlock {
  return {
    timeUs: cNumber(tokens[at]),
    algbwGBps: cNumber(tokens[at + 1]),
    busbwGBps: cNumber(tokens[at + 2]),
    wrong: numberOrNull(tokens[at + 3] ?? 'N/A'),
  };
}

/** Parses the `# nThread 1 nGpus 1 minBytes 8 … step: 2(factor) …` line into pairs. */
function parseParams(line: string): Record<string, string> {
  const params: Record<string, string> = {};
  const re = /([A-Za-z][A-Za-z ]*?):?\s+(-?\d+(?:\([a-z]+\))?)/g;
  for (const m of line.replace(/^#\s*/, '').matchAll(re)) {
    params[(m[1] ?? '').trim().replace(/ (\w)/g, (_, c: string) => c.toUpperCase())] = m[2] ?? '';
  }
  return params;
}

/**
 * Reads the text nccl-tests prints (any of the layouts above).
 * @throws Error when no column header is found.
 */
export function parseNcclTestsOutput(text: string): ParsedNcclTests {
  const lines = text.split(/\r?\n/).map((l) => l.replace(MPI_PREFIX, ''));
  let hasRedop = false;
  let hasRoot = false;
  let headerSeen = false;
  let headerColumns = 0;
  let wrongColumn: ParsedNcclTests['wrongColumn'] = '#wrong';
  let params: Record<string, string> = {};
  let ranks = 0;
  const rows: ParsedNcclRow[] = [];
  let avgBusbwGBps: number | null = null;
  let outOfBounds: number | null = null;
  let ok: boolean | null = null;

  const unreadable: { line: number; text: string }[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.startsWith('#')) {
      const words = line.slice(1).trim().split(/\s+/);
      if (words[0] === 'nThread') params = parseParams(line);
      else if (words[0] === 'Rank' && line.includes(' device ')) ranks++;
      else if (words[0] === 'size' && words.includes('count')) {
        headerSeen = true;
        headerColumns = words.length;
        hasRedop = words.includes('redop');
        hasRoot = words.includes('root');
        wrongColumn = words.includes('error') ? 'error' : '#wrong';
      }
      const oob = /^#\s*Out of bounds values\s*:\s*(\d+)\s+(OK|FAILED)/.exec(line);
      if (oob) {
        outOfBounds = Number(oob[1]);
        ok = oob[2] === 'OK';
      }
      const avg = /^#\s*Avg bus bandwidth\s*:\s*(\S+)/.exec(line);
      if (avg) avgBusbwGBps = Number(avg[1]);
      continue;
    }
    if (!headerSeen) continue;
    const tokens = line.trim().split(/\s+/);
    // A data row starts with two integers (size, count) and a type name; NCCL INFO lines do not.
    if (tokens.length < 7 || !/^\d+$/.test(tokens[0] ?? '') || !/^\d+$/.test(tokens[1] ?? '')) {
      // Mostly numbers: a result row gone wrong (NCCL INFO lines and the like are mostly words).
      const numeric = tokens.filter((t) => /^[-+]?(\d|\.\d|nan|inf)|^N\/A$/i.test(t)).length;
      if (tokens.length >= 5 && numeric >= 0.6 * tokens.length) unreadable.push({ line: index + 1, text: line.trim() });
      continue;
    }
    let at = 3;
    const redop = hasRedop ? (tokens[at++] ?? null) : null;
    const root = hasRoot ? Number(tokens[at++]) : null;
    const outOfPlace = block(tokens, at);
    const inPlace = tokens.length >= at + 8 ? block(tokens, at + 4) : null;
    rows.push({
      bytes: Number(tokens[0]),
      count: Number(tokens[1]),
      type: tokens[2] ?? '',
      redop,
      root,
      outOfPlace,
      inPlace,
      line: index + 1,
      columns: { row: tokens.length, header: headerColumns },
    });
  }
  if (!headerSeen) throw new Error('parseNcclTestsOutput: no nccl-tests column header (# size count type …) found');
  return { rows, wrongColumn, avgBusbwGBps, outOfBounds, ok, ranks: ranks || null, params, unreadable };
}

// ---- JSON (-J) ----

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function field(obj: Json | undefined, key: string, where: string): Json {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj) || !(key in obj)) {
    throw new Error(`parseNcclTestsJson: missing '${key}' in ${where}`);
  }
  return obj[key] ?? null;
}

/** A number that nccl-tests may write as a number or as a padded string ("    -1"). */
function num(obj: Json | undefined, key: string, where: string): number {
  const v = field(obj, key, where);
  const n = typeof v === 'string' ? Number(v.trim()) : v;
  if (typeof n !== 'number' || Number.isNaN(n)) throw new Error(`parseNcclTestsJson: '${key}' in ${where} is not a number`);
  return n;
}

function jsonBlock(obj: Json | undefined, where: string): ParsedNcclBlock {
  return {
    timeUs: num(obj, 'time', where),
    algbwGBps: num(obj, 'alg_bw', where),
    busbwGBps: num(obj, 'bus_bw', where),
    // Unchecked runs (-c 0) carry no count: null (ringlab_collectives.py) or "N/A".
    wrong: ((v) => (v === null || v === 'N/A' ? null : num(obj, 'nwrong', where)))(field(obj, 'nwrong', where)),
  };
}

/** The `ringlab` block of ringlab_collectives.py's JSON, when present and well-formed. */
function sourceOf(doc: Json): { source: NonNullable<ParsedNcclTests['source']> } | Record<string, never> {
  const r = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc.ringlab : undefined;
  if (!r || typeof r !== 'object' || Array.isArray(r)) return {};
  const { tool, backend, world_size: worldSize, host } = r;
  if (typeof tool !== 'string' || typeof backend !== 'string' || typeof worldSize !== 'number' || typeof host !== 'string') return {};
  return { source: { tool, backend, worldSize, host } };
}

/**
 * Reads nccl-tests' `-J` report (format version 3: `results[].out_of_place` / `in_place` with
 * `time` (µs), `alg_bw`, `bus_bw` (GB/s), `nwrong`). Accepts the JSON text or a parsed value.
 * @throws Error naming the first missing or malformed field.
 */
export function parseNcclTestsJson(json: string | unknown): ParsedNcclTests {
  const doc = (typeof json === 'string' ? JSON.parse(json) : json) as Json;
  const results = field(doc, 'results', 'report');
  if (!Array.isArray(results)) throw new Error("parseNcclTestsJson: 'results' is not an array");
  const rows = results.map((r, i): ParsedNcclRow => {
    const where = `results[${i}]`;
    const redop = field(r, 'redop', where);
    return {
      bytes: num(r, 'size', where),
      count: num(r, 'count', where),
      type: String(field(r, 'type', where)),
      redop: typeof redop === 'string' ? redop.trim() : null,
      root: num(r, 'root', where),
      outOfPlace: jsonBlock(field(r, 'out_of_place', where), `${where}.out_of_place`),
      inPlace: jsonBlock(field(r, 'in_place', where), `${where}.in_place`),
    };
  });
  const config = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? doc.config : undefined;
  const devices = config && typeof config === 'object' && !Array.isArray(config) ? config.devices : undefined;
  const oob = field(doc, 'out_of_bounds', 'report');
  const okay = field(oob, 'okay', 'out_of_bounds');
  return {
    rows,
    wrongColumn: '#wrong',
    avgBusbwGBps: num(field(doc, 'average_bus_bandwidth', 'report'), 'bandwidth', 'average_bus_bandwidth'),
    outOfBounds: num(oob, 'count', 'out_of_bounds'),
    ok: okay === true || okay === 'true' ? true : okay === false || okay === 'false' ? false : null,
    ranks: Array.isArray(devices) ? devices.length : null,
    params: {},
    ...sourceOf(doc),
  };
}
