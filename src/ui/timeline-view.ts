/**
 * The per-rank timeline (Gantt) of one training step, drawn on a canvas: one lane per rank with
 * rows for compute (forward, backward, optimizer, idle), the bucket all-reduces, their schedule
 * steps, sends and receives. Switchable between the measured and projected clocks.
 */
import type { SpanCat, Timeline } from '../core/timeline';
import { el } from './dom';

const COLOURS: Record<SpanCat, string> = {
  forward: '#4e79a7',
  backward: '#76b7b2',
  optimizer: '#59a14f',
  idle: '#e8e6e3',
  allreduce: '#e15759',
  step: '#f28e2b',
  send: '#edc948',
  recv: '#b07aa1',
};
const ROW_NAMES = ['compute', 'all-reduce', 'steps', 'send', 'recv'];
const ROW_PX = 13;
const LANE_GAP_PX = 8;
const LEFT_PX = 92;

export class TimelineView {
  readonly root: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly tip: HTMLElement;
  private readonly title: HTMLElement;
  private timeline: Timeline | undefined;

  constructor() {
    this.canvas = el('canvas', { 'data-testid': 'timeline', height: 120 });
    this.tip = el('div', { class: 'timeline-tip' });
    this.title = el('div', { class: 'timeline-title' }, 'Run a training to see one step per rank.');
    const legend = el('div', { class: 'legend' }, ...(Object.keys(COLOURS) as SpanCat[]).map((c) => el('span', {}, el('i', { style: `background:${COLOURS[c]}` }), c)));
    this.root = el('div', { class: 'timeline' }, this.title, this.canvas, legend, this.tip);
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
  }

  show(t: Timeline, caption: string): void {
    this.timeline = t;
    const clock =
      t.clock === 'measured'
        ? 'measured clock: wall time in this browser, ranks share one GPU'
        : 'projected clock: calibrated compute, link α + bytes·β, as separate GPUs would run';
    this.title.textContent = `${caption} — ${clock}; step length ${t.durationMs.toFixed(2)} ms`;
    this.draw();
  }

  /** Back to the empty state (after Clear). */
  clear(): void {
    this.timeline = undefined;
    this.title.textContent = 'Run a training to see one step per rank.';
    this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.tip.textContent = '';
  }

  private laneHeight(): number {
    return ROW_NAMES.length * ROW_PX + LANE_GAP_PX;
  }

  private draw(): void {
    const t = this.timeline;
    if (!t) return;
    const width = this.root.clientWidth || 900;
    const height = t.lanes.length * this.laneHeight() + 28;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = width * dpr;
    this.canvas.height = height * dpr;
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    const g = this.canvas.getContext('2d')!;
    g.scale(dpr, dpr);
    g.clearRect(0, 0, width, height);
    g.font = '11px system-ui, sans-serif';
    const plotW = width - LEFT_PX - 10;
    const x = (ms: number): number => LEFT_PX + (ms / Math.max(t.durationMs, 1e-9)) * plotW;
    t.lanes.forEach((lane, i) => {
      const top = i * this.laneHeight();
      g.fillStyle = '#1d2233';
      g.fillText(`rank ${lane.rank}`, 4, top + ROW_PX);
      g.fillStyle = '#8a90a2';
      ROW_NAMES.forEach((n, r) => r > 0 && g.fillText(n, 40, top + (r + 1) * ROW_PX - 2));
      for (const s of lane.spans) {
        g.fillStyle = COLOURS[s.cat];
        const x0 = x(s.startMs);
        g.fillRect(x0, top + s.depth * ROW_PX + 1, Math.max(1, x(s.endMs) - x0), ROW_PX - 2);
      }
    });
    // Time axis in ms.
    const axisY = t.lanes.length * this.laneHeight() + 4;
    g.fillStyle = '#334';
    g.fillRect(LEFT_PX, axisY, plotW, 1);
    for (let k = 0; k <= 5; k++) {
      const ms = (t.durationMs * k) / 5;
      g.fillText(`${ms.toPrecision(3)} ms`, x(ms) - (k === 5 ? 40 : 0), axisY + 14);
    }
  }

  private hover(e: MouseEvent): void {
    const t = this.timeline;
    if (!t) return;
    const rect = this.canvas.getBoundingClientRect();
    const px = e.clientX - rect.left;
    const py = e.clientY - rect.top;
    const lane = t.lanes[Math.floor(py / this.laneHeight())];
    const row = Math.floor((py % this.laneHeight()) / ROW_PX);
    const ms = ((px - LEFT_PX) / (rect.width - LEFT_PX - 10)) * t.durationMs;
    const s = lane?.spans.find((sp) => sp.depth === row && sp.startMs <= ms && sp.endMs >= ms);
    this.tip.textContent = s && lane ? `rank ${lane.rank} · ${s.cat} · ${s.name} · ${s.startMs.toFixed(3)}–${s.endMs.toFixed(3)} ms (${(s.endMs - s.startMs).toFixed(3)} ms)` : '';
  }
}
