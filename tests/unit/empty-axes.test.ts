/** Issue 10, defect 6: empty charts showed made-up axes. */
import { describe, expect, it } from 'vitest';
import { emptyAxesPlugin, type ChartLike } from '../../src/ui/charts/empty-axes';

function chart(points: number[][]): ChartLike & { texts: string[] } {
  const texts: string[] = [];
  return {
    texts,
    data: { datasets: points.map((p) => ({ data: p })) },
    options: { scales: { x: {}, y: {} } },
    ctx: { save() {}, restore() {}, fillText: (t: string) => void texts.push(t), textAlign: '', fillStyle: '', font: '' },
    width: 400,
    height: 300,
  };
}

describe('a chart without data has no axes', () => {
  it('hides the axes and says what will appear; shows them with the first point', () => {
    for (const empty of [chart([]), chart([[], []])]) {
      emptyAxesPlugin.beforeUpdate(empty);
      emptyAxesPlugin.afterDraw(empty);
      expect(Object.values(empty.options.scales!).map((s) => s!.display)).toEqual([false, false]);
      expect(empty.texts).toEqual(['No data yet: run an experiment and its results appear here.']);
    }
    const full = chart([[], [1]]);
    emptyAxesPlugin.beforeUpdate(full);
    emptyAxesPlugin.afterDraw(full);
    expect(Object.values(full.options.scales!).map((s) => s!.display)).toEqual([true, true]);
    expect(full.texts).toEqual([]);
  });
});
