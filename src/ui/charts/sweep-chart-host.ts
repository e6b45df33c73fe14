/**
 * The page side of the chart worker (sweep-chart.worker.ts): each sweep chart's canvas hands
 * its drawing to the worker (transferControlToOffscreen); the page forwards the data, the
 * canvas's size (ResizeObserver) and pointer events (tooltips). Where a browser lacks
 * OffscreenCanvas the charts draw on the page as before.
 */
import { releaseProxy, transfer, wrap, type Remote } from 'comlink';
import type { BenchRow } from '../../core/nccl-format';
import { chartFontScale } from './chart-setup';
import type { ChartWorkerApi } from './sweep-chart.worker';
import { drawsMark, SizeChart, type ForwardedPointer, type Metric, type SweepChart } from './sweep-charts';

/** Owns the chart worker and the charts drawn in it; `destroy` frees them all. */
class SweepChartWorker {
  private readonly worker: Worker;
  private readonly api: Remote<ChartWorkerApi>;
  private readonly charts = new Set<RemoteSizeChart>();
  private next = 0;

  constructor() {
    this.worker = new Worker(new URL('./sweep-chart.worker.ts', import.meta.url), { type: 'module', name: 'charts' });
    this.worker.addEventListener('error', (e) => console.error(`ringlab: the chart worker failed (${e.message || 'no message'}); the sweep charts will not update`));
    this.api = wrap<ChartWorkerApi>(this.worker);
  }

  /** A chart drawn in the worker on `canvas` (which must not have a context yet). */
  chart(canvas: HTMLCanvasElement, metric: Metric): SweepChart {
    const c = new RemoteSizeChart(this.api, this.next++, canvas, metric, (gone) => this.charts.delete(gone));
    this.charts.add(c);
    return c;
  }

  destroy(): void {
    for (const c of [...this.charts]) c.destroy();
    this.api[releaseProxy]();
    this.worker.terminate();
  }
}

/** True when this browser can draw charts in a worker. */
function canDrawInWorker(): boolean {
  return typeof Worker !== 'undefined' && typeof HTMLCanvasElement !== 'undefined' && 'transferControlToOffscreen' in HTMLCanvasElement.prototype;
}

/** The bench view's two sweep charts: in the chart worker where the browser can, else on the page. */
export function sweepCharts(bwCanvas: HTMLCanvasElement, timeCanvas: HTMLCanvasElement): { bw: SweepChart; time: SweepChart; destroy(): void } {
  if (!canDrawInWorker()) {
    const [bw, time] = [new SizeChart(bwCanvas, 'busbw'), new SizeChart(timeCanvas, 'time')];
    return { bw, time, destroy: () => [bw, time].forEach((c) => c.destroy()) };
  }
  const w = new SweepChartWorker();
  return { bw: w.chart(bwCanvas, 'busbw'), time: w.chart(timeCanvas, 'time'), destroy: () => w.destroy() };
}

class RemoteSizeChart implements SweepChart {
  /** Datasets in the worker's chart, counted here so addSeries can answer without a round trip. */
  private datasets = 0;
  private readonly resizeObserver: ResizeObserver;
  private readonly detachPointer: () => void;

  constructor(
    private readonly api: Remote<ChartWorkerApi>,
    private readonly id: number,
    canvas: HTMLCanvasElement,
    metric: Metric,
    private readonly gone: (c: RemoteSizeChart) => void,
  ) {
    // The placeholder canvas fills its box; the worker draws at that size.
    canvas.style.width = '100%';
    canvas.style.height = '100%';
    canvas.style.display = 'block';
    const box = canvas.getBoundingClientRect();
    const offscreen = canvas.transferControlToOffscreen();
    void api.create(id, transfer(offscreen, [offscreen]), metric, { width: box.width, height: box.height, devicePixelRatio: globalThis.devicePixelRatio || 1 }, chartFontScale());
    this.resizeObserver = new ResizeObserver(([entry]) => {
      if (entry) void api.resize(id, entry.contentRect.width, entry.contentRect.height);
    });
    this.resizeObserver.observe(canvas);
    const forward = (type: ForwardedPointer['type']) => (e: MouseEvent) => void api.pointer(id, { type, x: e.offsetX, y: e.offsetY });
    const handlers = [
      ['mousemove', forward('mousemove')],
      ['mouseout', forward('mouseout')],
      ['click', forward('click')],
    ] as const;
    for (const [type, h] of handlers) canvas.addEventListener(type, h);
    this.detachPointer = () => {
      for (const [type, h] of handlers) canvas.removeEventListener(type, h);
    };
  }

  addSeries(label: string): number {
    void this.api.addSeries(this.id, label);
    return this.datasets++;
  }

  addRow(series: number, row: BenchRow): void {
    void this.api.addRow(this.id, series, row);
  }

  addModel(series: number, label: string, points: { x: number; y: number }[], mark?: { x: number; y: number; label: string }): void {
    void this.api.addModel(this.id, series, label, points, mark);
    this.datasets += drawsMark(mark) ? 2 : 1;
  }

  clear(): void {
    void this.api.clear(this.id);
    this.datasets = 0;
  }

  points(): Promise<number> {
    return this.api.points(this.id);
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.detachPointer();
    void this.api.destroy(this.id);
    this.gone(this);
  }
}
