/**
 * The fitted α-β model over every measured sweep: per run α, β, R², the largest relative error
 * and n* = α/β; the sizes where one algorithm overtakes another; and "why this number?" for
 * any cell of the results table.
 */
import type { AlgorithmFit } from '../core/fit';
import { crossoverStatementSteps, type FittedSweep } from '../core/crossover-statements';
import type { BenchRow } from '../core/nccl-format';
import { explainRowCell } from '../core/sweep-explain';
import type { SweepIdentity } from '../core/sweep-fit';
import { formatBytes } from '../core/units';
import { el, runSliced } from './dom';

export interface FittedRun extends FittedSweep {
  label: string;
  fit: AlgorithmFit;
}

export class FitPanel {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private readonly crossings: HTMLElement;
  private readonly why: HTMLElement;
  private readonly runs: FittedRun[] = [];
  /** Bumped by every render and clear: an older crossover search stops. */
  private generation = 0;

  constructor() {
    this.body = el('tbody');
    this.crossings = el('div', { class: 'crossings', 'data-testid': 'crossovers' });
    this.why = el('div', { class: 'why', 'data-testid': 'why' }, 'Click any number in the results table: its formula appears here with the measured values filled in.');
    this.root = el(
      'div',
      { class: 'fit-panel' },
      el('h3', {}, 'Fitted α-β model (measured clock)'),
      el(
        'p',
        { class: 'hint' },
        "t(S) = α·(latency terms) + β·(bytes on the critical path), both counted from the algorithm's schedule; α and β by relative least squares over the sweep. n* = α/β: below it latency dominates, above it bandwidth. Dashed lines on the time chart are the fitted model.",
      ),
      el(
        'table',
        { class: 'nccl', 'data-testid': 'fit-table' },
        el('thead', {}, el('tr', {}, ...['run', 'α (µs)', '1/β (GB/s)', 'R²', 'R² of log t', 'max rel. error', 'n* = α/β'].map((h) => el('th', {}, h)))),
        this.body,
      ),
      this.crossings,
      this.why,
    );
  }

  /** Adds a run's row; resolves once the crossover statements are rendered (searched in short tasks). */
  add(run: FittedRun): Promise<void> {
    this.runs.push(run);
    const f = run.fit;
    this.body.append(
      el(
        'tr',
        {},
        ...[
          run.label,
          (f.alphaS * 1e6).toPrecision(4),
          (1 / f.betaSPerByte / 1e9).toPrecision(4),
          f.r2.toFixed(4),
          Number.isNaN(f.r2Log) ? 'n/a' : f.r2Log.toFixed(4),
          `${(f.maxRelError * 100).toFixed(1)} %`,
          f.nStarBytes > 0 ? formatBytes(f.nStarBytes) : 'n/a (α ≤ 0)',
        ].map((v) => el('td', {}, v)),
      ),
    );
    return this.renderCrossings();
  }

  /**
   * Where one run overtakes another: only like with like, extrapolation and weak fits said
   * (core/crossover-statements.ts). The search builds schedules at up to 1024× the largest size,
   * tens of ms in one task on a busy machine, so it runs in slices.
   */
  private async renderCrossings(): Promise<void> {
    const generation = ++this.generation;
    const lines = await runSliced(crossoverStatementSteps([...this.runs]), () => generation !== this.generation);
    if (lines) this.crossings.replaceChildren(...lines.map((l) => el('div', {}, '⇄ ', l)));
  }

  /** Explains one cell of a results row. */
  explain(row: BenchRow, column: 'time' | 'algbw' | 'busbw', id: SweepIdentity, fit: AlgorithmFit | undefined): void {
    const e = explainRowCell(row, column, id, fit);
    if (typeof e === 'string') {
      this.why.textContent = e;
      return;
    }
    this.why.replaceChildren(el('div', { class: 'formula' }, e.formula), el('div', { class: 'substituted' }, e.substituted), el('div', { class: 'note' }, e.note));
  }

  clear(): void {
    this.generation++;
    this.runs.length = 0;
    this.body.replaceChildren();
    this.crossings.replaceChildren();
  }
}
