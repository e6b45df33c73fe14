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
  type ChartConfiguration,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, CategoryScale, BarController, BarElement, Legend, Tooltip, Title, Filler);
Chart.defaults.font.family = 'system-ui, sans-serif';
Chart.defaults.color = '#334';
Chart.defaults.animation = false;

export { Chart, type ChartConfiguration };

/** Distinct colours for successive series. */
export const SERIES_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

/** Redraws at most once per animation frame however many points arrive. */
export class FrameBatcher {
  private pending = false;
  constructor(private readonly chart: Chart) {}
  request(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.chart.update('none');
    });
  }
}

/** "1 KiB"-style tick labels for byte axes. */
export function byteTick(v: number | string): string {
  const n = Number(v);
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  let x = n;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  // Log axes offer ticks at 1, 2, 5 × 10^k; keep only powers of two so labels stay readable.
  return Number.isInteger(Math.log2(n)) ? `${x} ${units[i]}` : '';
}
