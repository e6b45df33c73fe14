import { describe, expect, it } from 'vitest';
import { compactTick } from '../../src/ui/charts/chart-setup';
import { thinLogLabels } from '../../src/ui/charts/log-labels';

/** A vertical log axis of `heightPx` from the first to the last value (pixels grow downwards). */
function axis(values: number[], heightPx: number): { ticks: { value: number; label: string }[]; pxOf: (v: number) => number } {
  const lo = Math.log10(values[0]!);
  const hi = Math.log10(values.at(-1)!);
  const ticks = values.map((value, i, all) => ({
    value,
    label: compactTick(
      value,
      i,
      all.map((v) => ({ value: v })),
    ),
  }));
  return { ticks, pxOf: (v) => heightPx * (1 - (Math.log10(v) - lo) / (hi - lo)) };
}
const shown = (ticks: { label: string }[]): string[] => ticks.map((t) => t.label).filter((l) => l !== '');

describe('log-axis labels', () => {
  it('drops the labels that would crowd the top of a decade (7 000 … 10 000 µs on the time chart), keeping 1, 2, 5 × 10^k first', () => {
    const a = axis([2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 20000, 30000], 180);
    thinLogLabels(a.ticks, a.pxOf, 15);
    const labels = shown(a.ticks);
    expect(labels).toEqual(expect.arrayContaining(['2000', '5000', '10000', '20000']));
    expect(labels).not.toContain('9000');
    const px = a.ticks.filter((t) => t.label !== '').map((t) => a.pxOf(t.value));
    for (let i = 1; i < px.length; i++) expect(Math.abs(px[i]! - px[i - 1]!)).toBeGreaterThanOrEqual(15);
  });

  it('keeps every label where there is room, and the foot of a short axis readable (2 800, 2 900, 3 000)', () => {
    const tall = axis([3000, 4000, 5000, 6000], 300);
    thinLogLabels(tall.ticks, tall.pxOf, 15);
    expect(shown(tall.ticks)).toEqual(['3000', '4000', '5000', '6000']);
    const short = axis([2800, 2900, 3000, 3500, 4000, 5000, 6000, 7000, 8000], 180);
    thinLogLabels(short.ticks, short.pxOf, 15);
    expect(shown(short.ticks)).toContain('5000');
    expect(shown(short.ticks).filter((l) => ['2800', '2900', '3000'].includes(l))).toEqual(['3000']); // the round one
  });

  it('labels only 1 × 10^k beyond three decades, and writes very small and large values in exponent form', () => {
    const a = axis([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000], 300);
    expect(shown(a.ticks)).toEqual(['1', '10', '100', '1000', '10000']);
    expect(shown(axis([1e-7, 1e-6], 100).ticks)).toEqual(['1e-7', '1e-6']);
    expect(shown(axis([1e6, 1e7, 1e8, 1e9, 1e10], 100).ticks)).toEqual(['1e+6', '1e+7', '1e+8', '1e+9', '1e+10']);
  });
});
