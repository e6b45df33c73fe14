/**
 * Training charts (STYLE.md 11): the live loss curve, the compute / exposed-communication /
 * idle breakdown per rank count on both clocks, and the scaling charts with their ideal lines.
 */
import { Chart, FrameBatcher, SERIES_COLOURS, fontPx } from './chart-setup';
import { lossChartNote } from '../../core/loss-note';

/** Loss (left axis) and accuracy (right axis) against step, one pair of series per run. */
export class LossChart {
  private readonly chart: Chart<'line', { x: number; y: number }[]>;
  private readonly batch: FrameBatcher;

  constructor(canvas: HTMLCanvasElement) {
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        parsing: false,
        plugins: {
          title: { display: true, text: ['Loss and accuracy per step (global batch)', lossChartNote('strong')] },
          // Accuracy shares its run's colour (dashed): one legend entry per run is enough.
          legend: { labels: { filter: (item) => !item.text.startsWith('accuracy') } },
        },
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

  /** Says what the curves can show for this scaling regime (core/loss-note.ts; issue 10, defect 4). */
  setScaling(scaling: 'strong' | 'weak'): void {
    const title = this.chart.options.plugins?.title;
    if (title) title.text = ['Loss and accuracy per step (global batch)', lossChartNote(scaling)];
    this.chart.update('none');
  }

  /** The loss series' labels, in order (for tests: which runs are overlaid). */
  runLabels(): string[] {
    return this.chart.data.datasets.filter((_, i) => i % 2 === 0).map((d) => String(d.label).replace(/^loss · /, ''));
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
          { label: 'compute (mean over ranks)', data: [], backgroundColor: '#4e79a7' },
          { label: 'communicating, not computing', data: [], backgroundColor: '#e15759' },
          { label: 'idle (neither)', data: [], backgroundColor: '#bab0ac' },
        ],
      },
      options: {
        plugins: {
          title: { display: true, text: 'One training step = compute + exposed communication + idle, means over ranks (ms; M = measured, P = projected clock)' },
        },
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

/** One scaling study on a ScalingChart: its label, regime and points. */
export interface ScalingStudy {
  /** Empty for a lone study: the legend then names only the clocks. */
  label: string;
  scaling: 'strong' | 'weak';
  points: ScalingSeriesPoint[];
}

/** A run measured elsewhere (PyTorch DDP on a real cluster): value against its world size. */
export interface RealSeries {
  label: string;
  points: { ranks: number; value: number }[];
}

/** The ideal value at `ranks` from the study's first point, on both clocks. */
export type IdealOf = (ranks: number, first: ScalingSeriesPoint, scaling: 'strong' | 'weak') => { measured: number; projected: number };

/**
 * One scaling quantity against rank count on both clocks, one colour per study (measured solid,
 * projected dashed), each with its ideal lines (dotted, left out of the legend).
 */
export class ScalingChart {
  private readonly chart: Chart<'line', { x: number; y: number }[]>;

  constructor(
    canvas: HTMLCanvasElement,
    title: string,
    yTitle: string,
    private readonly ideal: IdealOf,
  ) {
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        parsing: false,
        plugins: {
          title: { display: true, text: [title, 'solid: measured clock (this browser) · dashed: projected (separate GPUs) · dotted: ideal'] },
          legend: { labels: { font: { size: fontPx(10) }, filter: (item) => !item.text.startsWith('ideal') } },
        },
        scales: {
          x: { type: 'logarithmic', title: { display: true, text: 'ranks (log scale)' }, ticks: { callback: (v) => (Number.isInteger(Math.log2(Number(v))) ? String(v) : '') } },
          y: { type: 'linear', beginAtZero: true, title: { display: true, text: yTitle } },
        },
      },
    });
  }

  private studies: readonly ScalingStudy[] = [];
  private real: readonly RealSeries[] = [];

  /** Draws every study (replacing what was drawn). */
  set(studies: readonly ScalingStudy[]): void {
    this.studies = studies;
    this.render();
  }

  /** Runs from outside the tab (a PyTorch DDP report): one real clock, drawn as stars. */
  setReal(series: readonly RealSeries[]): void {
    this.real = series;
    this.render();
  }

  private render(): void {
    const studies = this.studies;
    const lone = studies.length === 1 && studies[0]!.label === '';
    const real = this.real.map((r, i) => {
      const colour = SERIES_COLOURS[(studies.length + i) % SERIES_COLOURS.length]!;
      return {
        label: `${r.label} · real`,
        data: r.points.map((p) => ({ x: p.ranks, y: p.value })),
        borderColor: colour,
        backgroundColor: colour,
        pointRadius: 7,
        pointStyle: 'star' as const,
        showLine: false,
      };
    });
    this.chart.data.datasets = studies.flatMap((st, i) => {
      const colour = lone ? undefined : SERIES_COLOURS[i % SERIES_COLOURS.length]!;
      const first = st.points[0];
      const name = (clock: string): string => (st.label ? `${st.label} · ${clock}` : clock);
      const idealOf = (clock: 'measured' | 'projected') => (first ? st.points.map((p) => ({ x: p.ranks, y: this.ideal(p.ranks, first, st.scaling)[clock] })) : []);
      const mColour = colour ?? '#1f77b4';
      const pColour = colour ?? '#ff7f0e';
      return [
        {
          label: name(lone ? 'measured clock (this browser)' : 'measured'),
          data: st.points.map((p) => ({ x: p.ranks, y: p.measured })),
          borderColor: mColour,
          backgroundColor: mColour,
          pointRadius: 3,
        },
        {
          label: name(lone ? 'projected clock (separate GPUs)' : 'projected'),
          data: st.points.map((p) => ({ x: p.ranks, y: p.projected })),
          borderColor: pColour,
          backgroundColor: pColour,
          pointRadius: 3,
          pointStyle: 'triangle',
          borderDash: [6, 3],
        },
        { label: `ideal (measured) ${i}`, data: idealOf('measured'), borderColor: mColour, borderDash: [2, 3], pointRadius: 0, borderWidth: 1 },
        { label: `ideal (projected) ${i}`, data: idealOf('projected'), borderColor: pColour, borderDash: [2, 3], pointRadius: 0, borderWidth: 1 },
      ];
    });
    this.chart.data.datasets.push(...real);
    this.chart.update('none');
  }

  /** Series drawn (measured and projected, ideals excluded): for tests. */
  seriesCount(): number {
    return this.chart.data.datasets.filter((d) => !String(d.label).startsWith('ideal')).length;
  }
}
