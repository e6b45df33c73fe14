/**
 * Real clusters beside this browser: load nccl-tests output (text, or the -J JSON), bundled
 * examples from real clusters or a file of your own, and draw its bus bandwidth and time on the
 * same charts as the measured sweeps, labelled as real hardware.
 */
import { formatG, parseNcclTestsJson, parseNcclTestsOutput, type ParsedNcclTests } from '../core/nccl-format';
import type { BenchRow } from '../core/nccl-format';
import { el } from './dom';

/** The real nccl-tests outputs kept as test data (tests/fixtures/nccl-logs), loaded on demand. */
const BUNDLED = import.meta.glob<string>('../../tests/fixtures/nccl-logs/*.{txt,json}', { query: '?raw', import: 'default' });

export interface ReferenceSeries {
  label: string;
  rows: BenchRow[];
  parsed: ParsedNcclTests;
}

/** Parses nccl-tests text or -J JSON; throws with a readable reason. */
export function parseReference(name: string, text: string): ReferenceSeries {
  let parsed: ParsedNcclTests;
  try {
    parsed = text.trimStart().startsWith('{') ? parseNcclTestsJson(text) : parseNcclTestsOutput(text);
  } catch (e) {
    throw new Error(`${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (parsed.rows.length === 0) throw new Error(`${name}: no result rows found (is this nccl-tests output?)`);
  const rows: BenchRow[] = parsed.rows
    .filter((r) => r.bytes > 0)
    .map((r) => ({
      bytes: r.bytes,
      count: r.count,
      type: 'float',
      redop: r.redop ?? 'n/a',
      root: r.root ?? -1,
      timeUs: r.outOfPlace.timeUs,
      algbwGBps: r.outOfPlace.algbwGBps,
      busbwGBps: r.outOfPlace.busbwGBps,
      wrong: r.outOfPlace.wrong,
      minUs: r.outOfPlace.timeUs,
      medianUs: r.outOfPlace.timeUs,
      p99Us: r.outOfPlace.timeUs,
    }));
  const ranks = parsed.ranks !== null ? `${parsed.ranks} GPUs, ` : '';
  const base = name.replace(/\.(txt|json)$/, '');
  const src = parsed.source;
  // ringlab_collectives.py says what ran it: on gloo those are CPU processes, not GPUs.
  const label = src ? `torch.distributed ${src.backend} × ${src.worldSize} (${src.host}): ${base}` : `nccl-tests (real hardware): ${ranks}${base}`;
  return { label, rows, parsed };
}

export class ReferencePicker {
  readonly root: HTMLElement;
  private readonly status: HTMLElement;

  constructor(private readonly onSeries: (s: ReferenceSeries) => void) {
    const names = Object.keys(BUNDLED).map((p) => p.split('/').pop()!).sort();
    const pick = el('select', { 'data-testid': 'reference-pick' }, el('option', { value: '' }, 'a bundled real-cluster run…'), ...names.map((n) => el('option', { value: n }, n)));
    pick.addEventListener('change', () => {
      const path = Object.keys(BUNDLED).find((p) => p.endsWith(`/${pick.value}`));
      if (!path) return;
      void BUNDLED[path]!().then((text) => this.load(pick.value, text));
      pick.value = '';
    });
    const file = el('input', { type: 'file', accept: '.txt,.log,.json,text/plain,application/json', 'data-testid': 'reference-file' });
    file.addEventListener('change', () => {
      const f = file.files?.[0];
      if (f) void f.text().then((text) => this.load(f.name, text));
      file.value = '';
    });
    this.status = el('div', { class: 'hint', 'data-testid': 'reference-status' });
    this.root = el(
      'details',
      {},
      el('summary', {}, 'Compare with a real cluster (nccl-tests)'),
      el('p', { class: 'hint' }, 'Draw nccl-tests all_reduce_perf output (text or -J JSON) on the same charts: out-of-place time and busbw per size.'),
      pick,
      el('label', { class: 'control' }, el('span', { class: 'control-name' }, 'or your own output'), file),
      this.status,
    );
  }

  load(name: string, text: string): void {
    try {
      const s = parseReference(name, text);
      this.onSeries(s);
      const avg = s.parsed.avgBusbwGBps;
      this.status.textContent = `${name}: ${s.rows.length} sizes${avg !== null ? `, Avg bus bandwidth ${formatG(avg)} GB/s` : ''}${s.parsed.ok === false ? ' (that run reported wrong results)' : ''}.`;
    } catch (e) {
      this.status.textContent = e instanceof Error ? e.message : String(e);
    }
  }
}
