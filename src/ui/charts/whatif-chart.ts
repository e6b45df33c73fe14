/**
 * The what-if chart: projected efficiency against GPU count (1 … 131,072, every power of two
 * labelled), one line per algorithm told apart by dash pattern and point shape as well as
 * colour, an optional second configuration in thin lines, and the crossovers as named points.
 */
import type { Algorithm } from '../../core/schedule/types';
import { Chart, SERIES_COLOURS } from './chart-setup';

type PointStyle = 'circle' | 'triangle' | 'rect' | 'rectRot' | 'crossRot' | 'star';

/** Dash, point shape and colour per algorithm: distinguishable in grey print too. */
export const ALGORITHM_STYLE: Readonly<Record<Algorithm, { dash: number[]; point: PointStyle; colour: string }>> = {
  ring: { dash: [], point: 'circle', colour: SERIES_COLOURS[0]! },
  tree: { dash: [8, 4], point: 'triangle', colour: SERIES_COLOURS[1]! },
  'recursive-doubling': { dash: [2, 3], point: 'rect', colour: SERIES_COLOURS[2]! },
  rabenseifner: { dash: [12, 3, 3, 3], point: 'rectRot', colour: SERIES_COLOURS[3]! },
  star: { dash: [1, 6], point: 'crossRot', colour: SERIES_COLOURS[4]! },
  hierarchical: { dash: [16, 6], point: 'star', colour: SERIES_COLOURS[5]! },
};

export interface WhatIfCurve {
  label: string;
  algorithm: Algorithm;
  /** y null: not projected there (the replica does not fit). */
  points: { x: number; y: number | null }[];
  /** The chosen algorithm is drawn thicker. */
  emphasis: boolean;
  /** A second configuration: thinner and paler. */
  secondary?: boolean;
}

/** 1024 → "1K", 131072 → "128K". */
export function gpuTick(v: number): string {
  return v >= 1024 && v % 1024 === 0 ? `${v / 1024}K` : String(v);
}

export class WhatIfChart {
  private readonly chart: Chart<'line', { x: number; y: number | null }[]>;
  /** Names of the crossover markers, in the order of their points. */
  private markerNames: string[] = [];

  constructor(canvas: HTMLCanvasElement) {
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        parsing: false,
        spanGaps: false,
        plugins: {
          title: { display: true, text: 'Projected efficiency vs GPUs (a model, on a datacenter fabric; not measured)' },
          legend: { labels: { usePointStyle: true, boxWidth: 28, font: { size: 11 } } },
          tooltip: {
            callbacks: {
              label: (c) =>
                c.dataset.label === 'crossovers'
                  ? `${this.markerNames[c.dataIndex] ?? 'crossover'} (between the neighbouring GPU counts)`
                  : `${c.dataset.label}: ${gpuTick(c.parsed.x ?? 0)} GPUs, ${(c.parsed.y ?? 0).toFixed(1)} %`,
            },
          },
        },
        scales: {
          x: {
            type: 'logarithmic',
            title: { display: true, text: 'GPUs (log scale)' },
            afterBuildTicks: (axis) => {
              const ticks: { value: number }[] = [];
              for (let v = 1; v <= axis.max * 1.0001; v *= 2) if (v >= axis.min * 0.9999) ticks.push({ value: v });
              axis.ticks = ticks;
            },
            ticks: { autoSkip: false, maxRotation: 0, font: { size: 10 }, callback: (v) => gpuTick(Number(v)) },
          },
          y: { type: 'linear', min: 0, max: 100, title: { display: true, text: 'efficiency (%): compute / step' } },
        },
      },
    });
  }

  /** Replaces every line and marker. */
  show(curves: readonly WhatIfCurve[], crossovers: readonly { x: number; y: number; label: string }[]): void {
    const xs = curves.flatMap((c) => c.points.map((p) => p.x));
    const lines = curves.map((c) => {
      const s = ALGORITHM_STYLE[c.algorithm];
      const colour = c.secondary ? `${s.colour}99` : s.colour;
      return {
        label: c.label,
        data: c.points.map((p) => ({ x: p.x, y: p.y === null ? null : p.y * 100 })),
        borderColor: colour,
        backgroundColor: colour,
        borderDash: s.dash,
        pointStyle: s.point,
        pointRadius: c.emphasis ? 4 : 3,
        borderWidth: c.emphasis ? 3 : c.secondary ? 1.5 : 1.8,
      };
    });
    const marks = {
      label: 'crossovers',
      data: crossovers.map((m) => ({ x: m.x, y: m.y * 100 })),
      borderColor: '#000',
      backgroundColor: '#fff',
      pointStyle: 'circle' as const,
      pointRadius: 6,
      pointBorderWidth: 2,
      showLine: false,
    };
    this.markerNames = crossovers.map((m) => m.label);
    this.chart.data.datasets = crossovers.length ? [...lines, marks] : lines;
    const x = this.chart.options.scales!.x!;
    x.min = xs.length ? Math.min(...xs) : 1;
    x.max = xs.length ? Math.max(...xs) : 1;
    this.chart.update('none');
  }
}
