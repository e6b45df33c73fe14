/** The live nccl-tests-style results table. */
import { formatG, formatTimeUs, type BenchRow } from '../core/nccl-format';
import { el } from './dom';
import { ceilingFraction, type TransportFloor } from '../core/floor';

const HEAD = [
  'size (B)',
  'count (elements)',
  'type',
  'redop',
  'root',
  'time (µs)',
  'algbw (GB/s)',
  'busbw (GB/s)',
  '#wrong',
  'min (µs)',
  'median (µs)',
  'p99 (µs)',
  'busbw / ceiling',
  'out-of-place: time (µs) · busbw (GB/s) · #wrong',
  'protocol',
];

export class ResultsTable {
  readonly root: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly foot: HTMLElement;
  private floor: TransportFloor | undefined;
  private followPending = false;

  constructor() {
    this.body = el('tbody');
    this.foot = el('div', { class: 'table-foot' });
    this.root = el(
      'div',
      { class: 'results' },
      el('table', { class: 'nccl', 'data-testid': 'results-table' }, el('thead', {}, el('tr', {}, ...HEAD.map((h) => el('th', {}, h)))), this.body),
      el('div', { class: 'results-empty' }, 'No results yet: each size of a sweep adds a row here, as nccl-tests prints it.'),
      this.foot,
    );
  }

  /** Starts a new block for a run, headed by its label. */
  startRun(label: string): void {
    this.body.append(el('tr', { class: 'run-head' }, el('td', { colspan: HEAD.length }, label)));
  }

  /** The floor of the run whose rows follow: busbw is shown as a fraction of its ceiling. */
  setFloor(floor: TransportFloor | undefined): void {
    this.floor = floor;
  }

  /** Adds a row; clicking its time, algbw or busbw cell calls `onExplain` with that column. */
  addRow(row: BenchRow, onExplain?: (column: 'time' | 'algbw' | 'busbw') => void): void {
    const wrong = row.wrong === null ? 'N/A' : String(row.wrong);
    const cells = [
      String(row.bytes),
      String(row.count),
      row.type,
      row.redop,
      String(row.root),
      formatTimeUs(row.timeUs).trim(),
      formatG(row.algbwGBps, 4),
      formatG(row.busbwGBps, 4),
      wrong,
      formatTimeUs(row.minUs).trim(),
      formatTimeUs(row.medianUs).trim(),
      formatTimeUs(row.p99Us).trim(),
      this.floor ? ceilingFraction(this.floor, row.bytes, row.busbwGBps).toPrecision(2) : '–',
      // The in-place block fills the columns before; nccl-tests' out-of-place block (placement=both) sits last.
      row.outOfPlace ? `${formatTimeUs(row.outOfPlace.timeUs).trim()} · ${formatG(row.outOfPlace.busbwGBps, 4)} · ${row.outOfPlace.wrong ?? 'N/A'}` : '–',
      // The protocol and why it ran (src/core/protocol-choice.ts): auto names the predictions it weighed.
      row.protocol ? `${row.protocol}${row.protocolWhy?.startsWith('auto') ? ` (${row.protocolWhy})` : ''}` : '–',
    ];
    const explainable: Record<number, 'time' | 'algbw' | 'busbw'> = { 5: 'time', 6: 'algbw', 7: 'busbw' };
    const tr = el(
      'tr',
      { class: 'data-row' },
      ...cells.map((c, i) => {
        const column = explainable[i];
        if (!column || !onExplain) return el('td', {}, c);
        return el('td', { class: 'explainable', title: 'Why this number?', onclick: () => onExplain(column) }, c);
      }),
    );
    if ((row.wrong !== null && row.wrong > 0) || (row.outOfPlace?.wrong ?? 0) > 0) tr.classList.add('wrong');
    this.body.append(tr);
    this.follow();
  }

  /**
   * Keeps the newest row in view inside the table's own box, once per frame. scrollIntoView per
   * row forced a layout of the whole page on every row and scrolled the window too, taking the
   * learner away from the charts (issue 8: main-thread tasks during a sweep).
   */
  private follow(): void {
    if (this.followPending) return;
    this.followPending = true;
    requestAnimationFrame(() => {
      this.followPending = false;
      this.root.scrollTop = this.root.scrollHeight;
    });
  }

  setFooter(text: string): void {
    this.foot.textContent = text;
  }

  clear(): void {
    this.body.replaceChildren();
    this.foot.textContent = '';
  }
}
