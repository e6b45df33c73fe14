/**
 * The chart worker: draws the sweep charts (sweep-charts.ts) on OffscreenCanvases, so that
 * chart.js's layout and drawing (10–50 ms a redraw on a busy two-core machine) stay off the
 * page's main thread while a sweep streams rows in (issue 8: no main-thread task over 50 ms).
 * The page side is sweep-chart-host.ts.
 */
import { expose } from 'comlink';
import type { BenchRow } from '../../core/nccl-format';
import { setChartFontScale } from './chart-setup';
import { SizeChart, type ForwardedPointer, type Metric, type OffscreenSize } from './sweep-charts';

const charts = new Map<number, SizeChart>();

function chart(id: number): SizeChart {
  const c = charts.get(id);
  if (!c) throw new Error(`chart worker: no chart ${id}`);
  return c;
}

const api = {
  create(id: number, canvas: OffscreenCanvas, metric: Metric, size: OffscreenSize, fontScale: number): void {
    setChartFontScale(fontScale);
    charts.set(id, new SizeChart(canvas, metric, size));
  },
  addSeries(id: number, label: string): number {
    return chart(id).addSeries(label);
  },
  addRow(id: number, series: number, row: BenchRow): void {
    chart(id).addRow(series, row);
  },
  addModel(id: number, series: number, label: string, points: { x: number; y: number }[], mark?: { x: number; y: number; label: string }): void {
    chart(id).addModel(series, label, points, mark);
  },
  clear(id: number): void {
    chart(id).clear();
  },
  points(id: number): Promise<number> {
    return chart(id).points();
  },
  resize(id: number, width: number, height: number): void {
    chart(id).resize(width, height);
  },
  pointer(id: number, p: ForwardedPointer): void {
    chart(id).pointer(p);
  },
  destroy(id: number): void {
    charts.get(id)?.destroy();
    charts.delete(id);
  },
};

export type ChartWorkerApi = typeof api;

expose(api);
