/**
 * The schedule, animated (DESIGN.md §1: the same schedule that is executed and costed is also
 * drawn): ranks on a circle, and for each step every message as a dot travelling from sender to
 * receiver (orange: reduced into the receiver's buffer, blue: copied over it). Each step lasts in
 * proportion to its time in the α-β model fitted to the run (or unit α-β when there is no fit).
 */
import type { AlphaBetaGamma } from '../core/link';
import type { Schedule } from '../core/schedule/types';
import { animationPace } from '../core/sweep-explain';
import type { SweepIdentity } from '../core/sweep-fit';
import { formatBytes } from '../core/units';
import { el } from './dom';

/** Wall time of the whole animation, ms; a step never lasts less than MIN_STEP_MS. */
const PLAY_MS = 6000;
const MIN_STEP_MS = 250;

export class ScheduleAnimation {
  readonly root: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLElement;
  private frame = 0;
  private schedule: Schedule | undefined;
  private stepMs: number[] = [];
  private stepModelS: number[] = [];
  private fitted = false;

  constructor() {
    this.canvas = el('canvas', { width: 360, height: 300, 'data-testid': 'schedule-animation' });
    this.caption = el('div', { class: 'hint' }, 'Run a sweep: its schedule is animated here.');
    const replay = el('button', { onclick: () => this.play() }, 'Replay');
    this.root = el('div', { class: 'animation' }, el('h3', {}, 'The schedule, step by step'), this.canvas, el('div', { class: 'buttons' }, replay), this.caption);
  }

  /** Shows the schedule of a run at `bytes`, paced by `link` (the fitted α, β) when given. */
  /** Stops and empties the animation (Clear; issue 10, defect 6). */
  clear(): void {
    cancelAnimationFrame(this.frame);
    this.schedule = undefined;
    this.stepMs = [];
    this.stepModelS = [];
    this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.caption.textContent = 'Run a sweep: its schedule is animated here.';
  }

  show(id: SweepIdentity, bytes: number, link?: AlphaBetaGamma): void {
    const pace = animationPace(id, bytes, link, PLAY_MS, MIN_STEP_MS);
    this.schedule = pace.schedule;
    this.fitted = link !== undefined;
    this.stepModelS = pace.stepModelS;
    this.stepMs = pace.stepMs;
    this.play();
  }

  private play(): void {
    cancelAnimationFrame(this.frame);
    const s = this.schedule;
    if (!s) return;
    const t0 = performance.now();
    const tick = (now: number): void => {
      let t = now - t0;
      let k = 0;
      while (k < this.stepMs.length && t > this.stepMs[k]!) t -= this.stepMs[k++]!;
      const done = k >= this.stepMs.length;
      this.draw(s, done ? -1 : k, done ? 1 : t / this.stepMs[k]!);
      if (!done) this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  private draw(s: Schedule, step: number, progress: number): void {
    const g = this.canvas.getContext('2d')!;
    const { width, height } = this.canvas;
    g.clearRect(0, 0, width, height);
    const cx = width / 2;
    const cy = height / 2 - 10;
    const radius = Math.min(width, height) / 2 - 40;
    const at = (r: number): [number, number] => {
      const a = -Math.PI / 2 + (2 * Math.PI * r) / s.ranks;
      return [cx + radius * Math.cos(a), cy + radius * Math.sin(a)];
    };
    g.font = '12px system-ui, sans-serif';
    g.textAlign = 'center';
    const ops = step >= 0 ? s.steps[step]!.ops : [];
    ops.forEach((list, from) => {
      for (const o of list) {
        if (o.kind !== 'send') continue;
        const reduce = s.steps[step]!.ops[o.peer]?.some((x) => x.kind === 'recv' && x.peer === from && x.mode === 'reduce');
        const [x0, y0] = at(from);
        const [x1, y1] = at(o.peer);
        g.strokeStyle = '#c9d0e3';
        g.beginPath();
        g.moveTo(x0, y0);
        g.lineTo(x1, y1);
        g.stroke();
        g.fillStyle = reduce ? '#f28e2b' : '#4e79a7';
        g.beginPath();
        g.arc(x0 + (x1 - x0) * progress, y0 + (y1 - y0) * progress, 5, 0, 2 * Math.PI);
        g.fill();
      }
    });
    for (let r = 0; r < s.ranks; r++) {
      const [x, y] = at(r);
      g.fillStyle = '#1d2233';
      g.beginPath();
      g.arc(x, y, 14, 0, 2 * Math.PI);
      g.fill();
      g.fillStyle = '#fff';
      g.fillText(String(r), x, y + 4);
    }
    g.fillStyle = '#1d2233';
    const bytes = s.count * 4;
    const label = step < 0 ? `done: ${s.steps.length} steps` : `step ${step + 1}/${s.steps.length}: ${s.steps[step]!.label}`;
    g.fillText(label, cx, height - 12);
    this.caption.textContent =
      `${s.algorithm} ${s.collective}, ${s.ranks} ranks, ${formatBytes(bytes)}: orange dots are reduced into the receiver, blue ones copied over it. ` +
      (step < 0
        ? ''
        : this.fitted
          ? `This step takes ${(this.stepModelS[step]! * 1e6).toPrecision(3)} µs in the fitted model.`
          : 'Steps are paced by unit α and β (no fit for this run).');
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
  }
}
