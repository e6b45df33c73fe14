/**
 * Bus bandwidth and time against message size, log-log, one series per run (STYLE.md 11:
 * chart.js stays behind `addSeries` / `addRow`). The page draws them in a worker
 * (sweep-chart-host.ts): the same class runs there on an OffscreenCanvas.
 */
import { BasicPlatform, type ChartEvent } from 'chart.js';
import type { BenchRow } from '../../core/nccl-format';
import { Chart, FrameBatcher, SERIES_COLOURS, bytesLabel, compactTick, powerOfTwoTicks } from './chart-setup';

export type Metric = 'busbw' | 'time';

/** What the bench view does with a sweep chart, whether it draws here or in the chart worker. */
export interface SweepChart {
  addSeries(label: string): number;
  addRow(series: number, row: BenchRow): void;
  addModel(series: number, label: string, points: { x: number; y: number }[], mark?: { x: number; y: number; label: string }): void;
  clear(): void;
  /** Measured points drawn (model curves and markers not counted). */
  points(): Promise<number>;
  destroy(): void;
}

/**
 * Whether `addModel` draws the marked point (a log axis cannot show y ≤ 0): it then adds two
 * datasets, else one. The page's proxy of a chart in the worker counts with the same rule.
 */
export function drawsMark<M extends { y: number }>(mark: M | undefined): mark is M {
  return mark !== undefined && mark.y > 0;
}

/** A pointer event the page forwards to a chart in a worker (offset within the canvas, CSS px). */
export interface ForwardedPointer {
  type: 'mousemove' | 'mouseout' | 'click';
  x: number;
  y: number;
}

/**
 * chart.js's platform for a canvas without a DOM (a worker's OffscreenCanvas) that still shows
 * tooltips: the page forwards pointer events (`SizeChart.pointer`) to the listeners chart.js
 * registers here, as ChartEvents.
 */
class ForwardedEventsPlatform extends BasicPlatform {
  readonly listeners = new Map<string, (e: ChartEvent) => void>();
  override addEventListener(_chart: Chart, type: string, listener: (e: ChartEvent) => void): void {
    this.listeners.set(type, listener);
  }
  override removeEventListener(_chart: Chart, type: string): void {
    this.listeners.delete(type);
  }
}

/** How a chart on an OffscreenCanvas is sized: the page measures, the worker draws. */
export interface OffscreenSize {
  width: number;
  height: number;
  devicePixelRatio: number;
}

export class SizeChart implements SweepChart {
  private readonly chart: Chart<'line', { x: number; y: number }[]>;
  private readonly batch: FrameBatcher;

  constructor(
    canvas: HTMLCanvasElement | OffscreenCanvas,
    private readonly metric: Metric,
    offscreen?: OffscreenSize,
  ) {
    const [title, yTitle] = TITLES[metric];
    // chart.js draws on an OffscreenCanvas (BasicPlatform) though its types name only DOM canvases.
    this.chart = new Chart(canvas as HTMLCanvasElement, {
      type: 'line',
      data: { datasets: [] },
      ...(offscreen ? { platform: ForwardedEventsPlatform } : {}),
      options: {
        ...(offscreen ? { responsive: false, devicePixelRatio: offscreen.devicePixelRatio } : {}),
        parsing: false,
        // The tooltip names the nearest point: sweeps have few, small points.
        interaction: { mode: 'nearest', intersect: false },
        plugins: {
          title: { display: true, text: title },
          tooltip: {
            callbacks: {
              label: (c) => `${c.dataset.label}: ${Number(c.parsed.y).toPrecision(4)} ${metric === 'busbw' ? 'GB/s' : 'µs'} at ${bytesLabel(Number(c.parsed.x))}`,
            },
          },
        },
        scales: {
          x: {
            type: 'logarithmic',
            title: { display: true, text: 'message size S (bytes, log scale)' },
            afterBuildTicks: powerOfTwoTicks,
            ticks: { callback: (v) => bytesLabel(Number(v)), autoSkip: false, maxRotation: 0 },
          },
          y: { type: 'logarithmic', title: { display: true, text: yTitle }, ticks: { callback: compactTick, autoSkip: false } },
        },
      },
    });
    this.batch = new FrameBatcher(this.chart as unknown as Chart);
    if (offscreen) this.resize(offscreen.width, offscreen.height);
  }

  /** Sets the drawing size of a chart on an OffscreenCanvas (CSS px; the page observes its box). */
  resize(width: number, height: number): void {
    if (width > 0 && height > 0) this.chart.resize(width, height);
  }

  /** Hands a forwarded pointer event to chart.js (tooltips of a chart in a worker). */
  pointer(p: ForwardedPointer): void {
    const platform = this.chart.platform as unknown as ForwardedEventsPlatform;
    platform.listeners.get(p.type)?.({ type: p.type, native: { type: p.type } as unknown as Event, x: p.x, y: p.y });
  }

  /** Measured series so far: colours follow runs, so both charts give a run the same colour. */
  private runs = 0;

  addSeries(label: string): number {
    const colour = SERIES_COLOURS[this.runs++ % SERIES_COLOURS.length]!;
    this.chart.data.datasets.push({ label, data: [], borderColor: colour, backgroundColor: colour, pointRadius: 3, borderWidth: 2 });
    this.batch.request();
    return this.chart.data.datasets.length - 1;
  }

  addRow(series: number, row: BenchRow): void {
    const y = this.metric === 'busbw' ? row.busbwGBps : row.timeUs;
    // A log axis cannot show 0 (1-rank busbw); leave such points out rather than fake them.
    if (y > 0) this.chart.data.datasets[series]?.data.push({ x: row.bytes, y });
    this.batch.request();
  }

  /** A model curve (dashed, no points) in the colour of `series`, with an optional marked point. */
  addModel(series: number, label: string, points: { x: number; y: number }[], mark?: { x: number; y: number; label: string }): void {
    const colour = this.chart.data.datasets[series]?.borderColor as string | undefined;
    this.chart.data.datasets.push({ label, data: points.filter((p) => p.y > 0), borderColor: colour, borderDash: [5, 4], borderWidth: 1.5, pointRadius: 0 });
    if (drawsMark(mark)) {
      this.chart.data.datasets.push({
        label: mark.label,
        data: [mark],
        borderColor: colour,
        backgroundColor: '#fff',
        pointStyle: 'triangle',
        pointRadius: 7,
        borderWidth: 2,
        showLine: false,
      });
    }
    this.batch.request();
  }

  clear(): void {
    this.runs = 0;
    this.chart.data.datasets = [];
    this.chart.update('none');
  }

  /** Measured points drawn (model curves and markers not counted). */
  points(): Promise<number> {
    return Promise.resolve(this.chart.data.datasets.filter((d) => !d.borderDash && d.showLine !== false).reduce((a, d) => a + d.data.length, 0));
  }

  destroy(): void {
    this.batch.cancel();
    this.chart.destroy();
  }
}

const TITLES: Record<Metric, [title: string, yTitle: string]> = {
  busbw: ['Bus bandwidth vs message size (measured clock)', 'busbw (GB/s, 1 GB = 10⁹ B, log scale)'],
  time: ['Time per operation vs message size (measured clock, slowest rank)', 'time (µs, log scale)'],
};
