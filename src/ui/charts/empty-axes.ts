/**
 * A chart with no data shows no axes (issue 10, defect 6: empty charts drew made-up 0–1 and
 * 1–10 axes) and says what will appear instead. A chart.js plugin, written against the few
 * members it uses so that it is unit-tested without chart.js.
 */

/** The parts of a chart.js chart the plugin touches. */
export interface ChartLike {
  data: { datasets: { data?: unknown[] }[] };
  options: { scales?: Record<string, { display?: boolean | 'auto' } | undefined> };
  ctx: { save(): void; restore(): void; fillText(text: string, x: number, y: number): void; textAlign: string; fillStyle: unknown; font: string };
  chartArea?: { left: number; right: number; top: number; bottom: number };
  width: number;
  height: number;
}

/** True when no dataset has a point. */
export function isEmpty(chart: Pick<ChartLike, 'data'>): boolean {
  return chart.data.datasets.every((d) => !d.data || d.data.length === 0);
}

/** Registered once in chart-setup.ts. */
export const emptyAxesPlugin = {
  id: 'ringlabEmptyAxes',
  beforeUpdate(chart: ChartLike): void {
    const show = !isEmpty(chart);
    for (const scale of Object.values(chart.options.scales ?? {})) if (scale) scale.display = show;
  },
  afterDraw(chart: ChartLike): void {
    if (!isEmpty(chart)) return;
    const { ctx } = chart;
    ctx.save();
    ctx.textAlign = 'center';
    ctx.fillStyle = '#889';
    ctx.font = '14px system-ui, sans-serif';
    ctx.fillText('No data yet: run an experiment and its results appear here.', chart.width / 2, chart.height / 2);
    ctx.restore();
  },
};
