/**
 * Every rank's buffer after every step of the schedule, one step at a time: the values that
 * moved in that step are highlighted (reduced in, or copied over).
 */
import type { BufferTrace } from '../../core/lessons';
import { el } from '../dom';

export class TraceView {
  readonly root: HTMLElement;
  private readonly table: HTMLElement;
  private readonly caption: HTMLElement;
  private step = -1;

  constructor(private readonly trace: BufferTrace) {
    this.table = el('div', { class: 'trace-table' });
    this.caption = el('div', { class: 'trace-caption', 'data-testid': 'trace-caption' });
    const prev = el('button', { onclick: () => this.show(this.step - 1) }, '◀ step');
    const next = el('button', { onclick: () => this.show(this.step + 1), 'data-testid': 'trace-next' }, 'step ▶');
    this.root = el('div', { class: 'trace', 'data-testid': 'trace' }, el('div', { class: 'buttons' }, prev, next, this.caption), this.table);
    this.show(-1);
  }

  /** Step −1 is the input; the last step the result. */
  show(step: number): void {
    this.step = Math.max(-1, Math.min(this.trace.steps.length - 1, step));
    const s = this.step >= 0 ? this.trace.steps[this.step]! : undefined;
    const buffers = s ? s.buffers : this.trace.inputs;
    this.caption.textContent = s ? `after step ${this.step + 1}/${this.trace.steps.length}: ${s.label}` : `inputs (${this.trace.steps.length} steps to go)`;
    const moved = (r: number, i: number): 'reduce' | 'copy' | '' => s?.moved.find((m) => m.to === r && i >= m.start && i < m.start + m.count)?.mode ?? '';
    const rows = buffers.map((b, r) => el('tr', {}, el('th', {}, `rank ${r}`), ...b.map((v, i) => el('td', { class: moved(r, i) }, String(v)))));
    const head = el('tr', {}, el('th', {}, ''), ...this.trace.inputs[0]!.map((_, i) => el('th', {}, `[${i}]`)));
    const sums = el('tr', { class: 'sums' }, el('th', {}, 'sum'), ...this.trace.sums.map((v) => el('td', {}, String(v))));
    this.table.replaceChildren(
      el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows, sums)),
      el('div', { class: 'legend' }, el('span', {}, el('i', { class: 'reduce' }), 'received and added'), el('span', {}, el('i', { class: 'copy' }), 'received and copied over')),
    );
  }
}
