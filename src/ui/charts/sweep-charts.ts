/**
 * Bus bandwidth and time against message size, log-log, one series per run (STYLE.md 11:
 * chart.js stays behind `addSeries` / `addRow`).
 */
import type { BenchRow } from '../../core/nccl-format';
import { Chart, FrameBatcher, SERIES_COLOURS, bytesLabel, compactTick, powerOfTwoTicks } from './chart-setup';

type Metric = 'busbw' | 'time';

class SizeChart {
  private readonly chart: Chart<'line', { x: number; y: number }[]>;
  private readonly batch: FrameBatcher;

  constructor(
    canvas: HTMLCanvasElement,
    private readonly metric: Metric,
    title: string,
    yTitle: string,
  ) {
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        parsing: false,
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
    if (mark && mark.y > 0) {
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
  points(): number {
    return this.chart.data.datasets.filter((d) => !d.borderDash && d.showLine !== false).reduce((a, d) => a + d.data.length, 0);
  }

  destroy(): void {
    this.batch.cancel();
    this.chart.destroy();
  }
}

export class BandwidthChart extends SizeChart {
  constructor(canvas: HTMLCanvasElement) {
    super(canvas, 'busbw', 'Bus bandwidth vs message size (measured clock)', 'busbw (GB/s, 1 GB = 10⁹ B, log scale)');
  }
}

export class TimeChart extends SizeChart {
  constructor(canvas: HTMLCanvasElement) {
    super(canvas, 'time', 'Time per operation vs message size (measured clock, slowest rank)', 'time (µs, log scale)');
  }
}
