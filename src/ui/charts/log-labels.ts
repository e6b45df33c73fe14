/**
 * Readable log axes. chart.js puts a tick at every 1…9 × 10^k of a log axis, ever closer towards
 * the next decade, and ringlab's log axes label every tick (`autoSkip: false`, which would skip by
 * index, not by distance): 7 000, 8 000, 9 000 and 10 000 µs crowded the time chart, and 2 800,
 * 2 900 and 3 000 its foot. After layout, when every tick has its pixel, this drops the labels that
 * would sit closer than one and a half lines to one already kept, keeping 1 × 10^k first, then 2
 * and 5 × 10^k, then the other whole leads, then the rest, each from the bottom up. The grid lines
 * stay.
 */
interface LabelledTick {
  value: number;
  label?: string | string[] | number | null;
}

/** Which labels to keep first: 1 × 10^k, then 2 and 5 × 10^k, then 3, 4, 6…9 × 10^k, then the rest (an axis end such as 2 700). */
function priority(v: number): number {
  const lead = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  const is = (d: number): boolean => Math.abs(lead - d) < 1e-6;
  return is(1) ? 0 : is(2) || is(5) ? 1 : Math.abs(lead - Math.round(lead)) < 1e-6 ? 2 : 3;
}

/** Blanks the labels of `ticks` closer than `gapPx` (at `pxOf`) to a label of higher priority. */
export function thinLogLabels(ticks: LabelledTick[], pxOf: (value: number) => number, gapPx: number): void {
  const labelled = ticks.map((t, i) => ({ t, i, px: pxOf(t.value), p: priority(t.value) })).filter((x) => x.t.label !== '' && x.t.label != null && x.t.value > 0);
  labelled.sort((a, b) => a.p - b.p || a.i - b.i);
  const kept: number[] = [];
  for (const x of labelled) {
    if (kept.some((px) => Math.abs(px - x.px) < gapPx)) x.t.label = '';
    else kept.push(x.px);
  }
}

interface ScaleLike {
  type: string;
  ticks: LabelledTick[];
  isHorizontal(): boolean;
  getPixelForValue(v: number): number;
  options: { ticks?: { font?: { size?: number } } };
}

/** chart.js plugin: thins every vertical log axis once the layout has placed it. */
export const logLabelsPlugin = {
  id: 'ringlabLogLabels',
  afterLayout(chart: { scales: Record<string, ScaleLike>; options: { font?: { size?: number } } }): void {
    for (const scale of Object.values(chart.scales)) {
      if (scale.type !== 'logarithmic' || scale.isHorizontal()) continue;
      const fontPx = scale.options.ticks?.font?.size ?? 12;
      thinLogLabels(scale.ticks, (v) => scale.getPixelForValue(v), 1.5 * fontPx);
    }
  },
};
