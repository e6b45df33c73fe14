/**
 * Real clusters beside this browser: load nccl-tests output (text, or the -J JSON), bundled
 * examples from real clusters, a file of your own or pasted text, and draw its bus bandwidth
 * and time on the same charts as the measured sweeps, labelled as real hardware. Every row is
 * checked first (core/nccl-import.ts): bad rows are named with their line and left out.
 */
import { formatG } from '../core/nccl-format';
import { importNcclTests, type ImportedRun } from '../core/nccl-import';
import { BUNDLED_LOGS, fetchBundledLog } from './bundled-logs';
import { el } from './dom';

/** How many rejected rows the status lists before "and N more". */
const LISTED_REJECTIONS = 5;

/** The status line of an import: what was drawn, what was left out and why, FAILED runs. */
export function importStatus(name: string, run: ImportedRun): string[] {
  const avg = run.parsed.avgBusbwGBps;
  const lines = [
    `${name}: ${run.rows.length} sizes drawn${run.collective ? ` (${run.collective})` : ''}${avg !== null && Number.isFinite(avg) ? `, Avg bus bandwidth ${formatG(avg)} GB/s` : ''}.` +
      (run.failed ? ' This run FAILED its own check (its footer: Out of bounds values FAILED): its numbers come from wrong results.' : ''),
  ];
  if (run.rejected.length) {
    lines.push(`${name}: ${run.rejected.length} row${run.rejected.length > 1 ? 's' : ''} rejected:`);
    for (const r of run.rejected.slice(0, LISTED_REJECTIONS)) lines.push(`  line ${r.line}: ${r.reason}`);
    if (run.rejected.length > LISTED_REJECTIONS) lines.push(`  … and ${run.rejected.length - LISTED_REJECTIONS} more`);
  }
  return lines;
}

export class ReferencePicker {
  readonly root: HTMLElement;
  private readonly status: HTMLElement;

  constructor(private readonly onSeries: (s: ImportedRun) => void) {
    const pick = el(
      'select',
      { 'data-testid': 'reference-pick' },
      el('option', { value: '' }, 'a bundled real-cluster run…'),
      ...BUNDLED_LOGS.map((n) => el('option', { value: n }, n)),
    );
    pick.addEventListener('change', () => {
      const name = pick.value; // read before the reset below: the load finishes later
      pick.value = '';
      if (!name) return;
      fetchBundledLog(name).then(
        (text) => this.load(name, text),
        (e: unknown) => this.show([`Could not load ${String(e instanceof Error ? e.message : e)}`]),
      );
    });
    const file = el('input', { type: 'file', accept: '.txt,.log,.json,text/plain,application/json', 'data-testid': 'reference-file' });
    file.addEventListener('change', () => {
      const f = file.files?.[0];
      if (f)
        void f.text().then(
          (text) => this.load(f.name, text),
          (e: unknown) => this.show([`${f.name}: cannot be read (${String(e)})`]),
        );
      file.value = '';
    });
    const paste = el('textarea', { rows: 3, placeholder: 'or paste nccl-tests output (text or -J JSON) here', 'data-testid': 'reference-paste', spellcheck: false });
    const draw = el('button', { 'data-testid': 'reference-paste-draw', onclick: () => paste.value.trim() && this.load('pasted text', paste.value) }, 'Draw pasted');
    this.status = el('div', { class: 'hint reference-status', 'data-testid': 'reference-status' });
    this.root = el(
      'details',
      {},
      el('summary', {}, 'Compare with a real cluster (nccl-tests)'),
      el(
        'p',
        { class: 'hint' },
        'Draw nccl-tests output (text or -J JSON) on the same charts: out-of-place time and busbw per size. Every row is checked (finite, positive, algbw = size / time, busbw = algbw × one factor); bad rows are listed with their line and left out.',
      ),
      pick,
      el('label', { class: 'control' }, el('span', { class: 'control-name' }, 'or your own file'), file),
      paste,
      el('div', { class: 'buttons' }, draw),
      this.status,
    );
  }

  /** Checks and draws one file's runs; the status names the file in every line. */
  load(name: string, text: string): void {
    try {
      const run = importNcclTests(name, text);
      this.onSeries(run);
      this.show(importStatus(name, run));
    } catch (e) {
      const m = e instanceof Error ? e.message : String(e);
      this.show([m.startsWith(`${name}: `) ? m : `${name}: ${m}`]);
    }
  }

  private show(lines: string[]): void {
    // Long values are cut where they are echoed (core/config/values.ts); the box also wraps.
    this.status.replaceChildren(...lines.map((l) => el('div', {}, l.length > 400 ? `${l.slice(0, 400)}…` : l)));
  }
}
