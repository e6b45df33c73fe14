/** The one place chart.js is configured: register only what ringlab draws. */
import {
  Chart,
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  CategoryScale,
  BarController,
  BarElement,
  Legend,
  Tooltip,
  Title,
  Filler,
} from 'chart.js';
import type { Plugin } from 'chart.js';
import { emptyAxesPlugin } from './empty-axes';
import { logLabelsPlugin } from './log-labels';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  CategoryScale,
  BarController,
  BarElement,
  Legend,
  Tooltip,
  Title,
  Filler,
  emptyAxesPlugin as unknown as Plugin,
  logLabelsPlugin as unknown as Plugin,
);
Chart.defaults.font.family = 'system-ui, sans-serif';
Chart.defaults.color = '#334';
Chart.defaults.animation = false;
// What every ringlab chart shares: it fills its container (the CSS sets the height) and keeps
// its legend under the plot. Charts set only what differs.
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.plugins.legend.position = 'bottom';
Chart.defaults.plugins.legend.labels.boxWidth = 12;

export { Chart };

let fontScale = 1;

/**
 * Scales every chart's type (presenter mode: readable from the back of a room). Call before
 * the charts are built.
 */
export function setChartFontScale(scale: number): void {
  fontScale = scale;
  Chart.defaults.font.size = Math.round(12 * scale);
}

/** The presenter scale of chart type (1 unless presenter mode set it). */
export function chartFontScale(): number {
  return fontScale;
}

/** A font size in px after the presenter scale (for options that name a size). */
export function fontPx(px: number): number {
  return Math.round(px * fontScale);
}

/** Distinct colours for successive series. */
export const SERIES_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

/** A chart is redrawn at most this often while points stream in, ms. */
const MIN_REDRAW_MS = 250;

/** Charts with points not yet drawn, in the order they asked (shared by every chart of the page). */
const waiting = new Set<FrameBatcher>();
let frameRequested = false;

/**
 * Draws at most one chart per animation frame, the longest-waiting one that has not been drawn
 * in the last MIN_REDRAW_MS. A redraw costs 5–45 ms on a busy two-core machine, and a sweep
 * streams rows into two charts at once: with one requestAnimationFrame per chart, both redraws
 * (plus layout) landed in one frame and made main-thread tasks of 50–140 ms (issue 8).
 */
function drawNext(): void {
  frameRequested = false;
  const now = performance.now();
  for (const b of waiting) {
    if (now - b.drawnAt < MIN_REDRAW_MS) continue;
    waiting.delete(b);
    b.drawnAt = now;
    b.chart.update('none');
    break;
  }
  if (waiting.size > 0) requestFrame();
}

function requestFrame(): void {
  if (frameRequested) return;
  frameRequested = true;
  // Workers that draw on an OffscreenCanvas have requestAnimationFrame in Chromium and Firefox.
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(drawNext);
  else setTimeout(drawNext, 16);
}

/** Redraws its chart soon after points arrive, however many arrive (see drawNext). */
export class FrameBatcher {
  /** When the chart was last drawn (performance.now()). */
  drawnAt = -Infinity;
  constructor(readonly chart: Chart) {}
  request(): void {
    waiting.add(this);
    requestFrame();
  }
  /** Drops a pending redraw: call before the chart is destroyed (a queued one may wait 250 ms). */
  cancel(): void {
    waiting.delete(this);
  }
}

/** "1 KiB"-style label for a byte count. */
export function bytesLabel(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  let x = n;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${Number(x.toPrecision(3))} ${units[i]}`;
}

/**
 * Log-axis ticks at powers of two (every second or fourth one when the range is wide), since
 * message sizes are powers of two and chart.js would put ticks at 1, 2, 5 × 10^k.
 */
export function powerOfTwoTicks(axis: { min: number; max: number; ticks: { value: number }[] }): void {
  const lo = Math.ceil(Math.log2(Math.max(1, axis.min)));
  const hi = Math.floor(Math.log2(Math.max(1, axis.max)));
  const stride = Math.max(1, Math.ceil((hi - lo + 1) / 10));
  const ticks: { value: number }[] = [];
  for (let e = lo; e <= hi; e += stride) ticks.push({ value: 2 ** e });
  axis.ticks = ticks;
}

/**
 * Compact numbers for log axes: 0.001, 1e-6, 20 000. Beyond three decades only 1 × 10^k is
 * labelled; the log-labels plugin (./log-labels.ts) then drops what would still overlap.
 */
export function compactTick(v: number | string, _index: number, ticks: readonly unknown[]): string {
  const n = Number(v);
  const values = ticks as readonly { value: number }[];
  const decades = Math.log10((values.at(-1)?.value ?? 1) / (values[0]?.value || 1));
  const lead = n / 10 ** Math.floor(Math.log10(n) + 1e-9);
  if (decades > 3 && Math.abs(lead - 1) > 1e-6) return '';
  return n >= 1e-3 && n < 1e6 ? String(Number(n.toPrecision(3))) : n.toExponential(0);
}
