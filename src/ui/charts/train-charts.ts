/**
 * Training charts (STYLE.md 11): the live loss curve, the compute / exposed-communication /
 * idle breakdown per rank count on both clocks, and the scaling charts with their ideal lines.
 */
import { Chart, FrameBatcher, SERIES_COLOURS } from './chart-setup';

/** Loss (left axis) and accuracy (right axis) against step, one pair of series per run. */
export class LossChart {
  private readonly chart: Chart<'line', { x: number; y: number }[]>;
  private readonly batch: FrameBatcher;

  constructor(canvas: HTMLCanvasElement) {
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        plugins: { title: { display: true, text: ['Loss and accuracy per step (global batch)', 'same seed and global batch: the same curve at every rank count'] }, legend: { position: 'bottom', labels: { boxWidth: 12 } } },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step' } },
          y: { type: 'linear', title: { display: true, text: 'loss (softmax cross-entropy, nats)' }, min: 0 },
          acc: { type: 'linear', position: 'right', min: 0, max: 100, title: { display: true, text: 'accuracy (%, dashed)' }, grid: { drawOnChartArea: false } },
        },
      },
    });
    this.batch = new FrameBatcher(this.chart as unknown as Chart);
  }

  /** Adds a run; returns its id for addPoint. */
  addRun(label: string): number {
    const i = this.chart.data.datasets.length / 2;
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length]!;
    this.chart.data.datasets.push(
      { label: `loss · ${label}`, data: [], borderColor: colour, backgroundColor: colour, pointRadius: 1.5, borderWidth: 2, yAxisID: 'y' },
      { label: `accuracy · ${label}`, data: [], borderColor: colour, backgroundColor: colour, pointRadius: 0, borderWidth: 1.5, borderDash: [5, 4], yAxisID: 'acc' },
    );
    return i;
  }

  addPoint(run: number, step: number, loss: number, accuracy: number): void {
    this.chart.data.datasets[2 * run]?.data.push({ x: step, y: loss });
    this.chart.data.datasets[2 * run + 1]?.data.push({ x: step, y: accuracy * 100 });
    this.batch.request();
  }

  points(): number {
    return this.chart.data.datasets.filter((_, i) => i % 2 === 0).reduce((a, d) => a + d.data.length, 0);
  }

  clear(): void {
    this.chart.data.datasets = [];
    this.chart.update('none');
  }
}

export interface BreakdownEntry {
  label: string;
  computeMs: number;
  exposedCommMs: number;
  idleMs: number;
}

/** Stacked bars: what one step was made of, per rank count and clock. */
export class BreakdownChart {
  private readonly chart: Chart<'bar', number[], string>;

  constructor(canvas: HTMLCanvasElement) {
    this.chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { label: 'compute (slowest rank)', data: [], backgroundColor: '#4e79a7' },
          { label: 'exposed communication', data: [], backgroundColor: '#e15759' },
          { label: 'idle / waiting', data: [], backgroundColor: '#bab0ac' },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: { title: { display: true, text: 'One training step: compute, exposed communication, idle (ms; M = measured clock, P = projected clock)' }, legend: { position: 'bottom', labels: { boxWidth: 12 } } },
        scales: { x: { stacked: true }, y: { stacked: true, min: 0, title: { display: true, text: 'time per step (ms)' } } },
      },
    });
  }

  set(entries: BreakdownEntry[]): void {
    this.chart.data.labels = entries.map((e) => e.label);
    // Clock jitter can make a derived share a hair below zero; a stacked bar cannot show that.
    this.chart.data.datasets[0]!.data = entries.map((e) => Math.max(0, e.computeMs));
    this.chart.data.datasets[1]!.data = entries.map((e) => Math.max(0, e.exposedCommMs));
    this.chart.data.datasets[2]!.data = entries.map((e) => Math.max(0, e.idleMs));
    this.chart.update('none');
  }
}

export interface ScalingSeriesPoint {
  ranks: number;
  measured: number;
  projected: number;
}

/** One scaling quantity against rank count on both clocks, with its ideal line. */
export class ScalingChart {
  private readonly chart: Chart<'line', { x: number; y: number }[]>;

  constructor(canvas: HTMLCanvasElement, title: string, yTitle: string, private readonly ideal: (ranks: number, first: ScalingSeriesPoint) => { measured: number; projected: number }) {
    this.chart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: [
          { label: 'measured clock (this browser)', data: [], borderColor: '#1f77b4', backgroundColor: '#1f77b4', pointRadius: 3 },
          { label: 'projected clock (separate GPUs)', data: [], borderColor: '#ff7f0e', backgroundColor: '#ff7f0e', pointRadius: 3 },
          { label: 'ideal (measured)', data: [], borderColor: '#1f77b4', borderDash: [4, 4], pointRadius: 0, borderWidth: 1 },
          { label: 'ideal (projected)', data: [], borderColor: '#ff7f0e', borderDash: [4, 4], pointRadius: 0, borderWidth: 1 },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        plugins: { title: { display: true, text: title }, legend: { position: 'bottom', labels: { boxWidth: 12, font: { size: 10 } } } },
        scales: { x: { type: 'logarithmic', title: { display: true, text: 'ranks (log scale)' }, ticks: { callback: (v) => (Number.isInteger(Math.log2(Number(v))) ? String(v) : '') } }, y: { type: 'linear', beginAtZero: true, title: { display: true, text: yTitle } } },
      },
    });
  }

  set(points: ScalingSeriesPoint[]): void {
    const first = points[0];
    const d = this.chart.data.datasets;
    d[0]!.data = points.map((p) => ({ x: p.ranks, y: p.measured }));
    d[1]!.data = points.map((p) => ({ x: p.ranks, y: p.projected }));
    d[2]!.data = first ? points.map((p) => ({ x: p.ranks, y: this.ideal(p.ranks, first).measured })) : [];
    d[3]!.data = first ? points.map((p) => ({ x: p.ranks, y: this.ideal(p.ranks, first).projected })) : [];
    this.chart.update('none');
  }
}
