/**
 * The one chart of a lesson: draws a LessonChart (computed by the lesson from its outcomes)
 * with every experiment's series together; model curves dashed, markers as vertical lines.
 * Redraws in place, so streaming results do not make the layout jump.
 */
import type { LessonChart as LessonChartData } from '../../core/lessons';
import type { Plugin } from 'chart.js';
import { Chart, FrameBatcher, SERIES_COLOURS, bytesLabel, compactTick, fontPx, powerOfTwoTicks } from './chart-setup';

type Point = { x: number; y: number };

export class LessonChart {
  private readonly chart: Chart<'line', Point[]>;
  private readonly batch: FrameBatcher;
  private markers: { x: number; label: string }[] = [];

  constructor(canvas: HTMLCanvasElement) {
    const markerPlugin: Plugin<'line'> = {
      id: 'lessonMarkers',
      afterDatasetsDraw: (c) => {
        const x = c.scales.x;
        const area = c.chartArea;
        if (!x || !area) return;
        const ctx = c.ctx;
        for (const m of this.markers) {
          const px = x.getPixelForValue(m.x);
          if (!(px >= area.left && px <= area.right)) continue;
          ctx.save();
          ctx.strokeStyle = '#555';
          ctx.setLineDash([4, 4]);
          ctx.beginPath();
          ctx.moveTo(px, area.top);
          ctx.lineTo(px, area.bottom);
          ctx.stroke();
          ctx.setLineDash([]);
          ctx.fillStyle = '#333';
          ctx.font = `${fontPx(13)}px system-ui, sans-serif`;
          ctx.fillText(m.label, Math.min(px + 4, area.right - ctx.measureText(m.label).width), area.top + 14);
          ctx.restore();
        }
      },
    };
    this.chart = new Chart<'line', Point[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        parsing: false,
        plugins: { title: { display: true, text: '' }, legend: { labels: { boxWidth: 14 } } },
        scales: { x: { type: 'linear' }, y: { type: 'linear' } },
      },
      plugins: [markerPlugin],
    });
    this.batch = new FrameBatcher(this.chart as unknown as Chart);
  }

  /** Shows `data`: same series labels keep their colours across updates. */
  show(data: LessonChartData): void {
    const o = this.chart.options;
    o.plugins!.title!.text = data.title;
    // Presenter mode scales chart text through chart-setup's font scale.
    o.plugins!.title!.font = { size: fontPx(14) };
    o.scales!.x = data.x.bytes
      ? {
          type: 'logarithmic',
          title: { display: true, text: `${data.x.label} (log scale)` },
          afterBuildTicks: powerOfTwoTicks,
          ticks: { callback: (v) => bytesLabel(Number(v)), autoSkip: false, maxRotation: 0 },
        }
      : {
          type: data.x.log ? 'logarithmic' : 'linear',
          title: { display: true, text: data.x.log ? `${data.x.label} (log scale)` : data.x.label },
          ...(data.x.log ? { ticks: { callback: compactTick } } : {}),
        };
    o.scales!.y = {
      type: data.y.log ? 'logarithmic' : 'linear',
      title: { display: true, text: data.y.log ? `${data.y.label} (log scale)` : data.y.label },
      ...(data.y.log ? { ticks: { callback: compactTick, autoSkip: false } } : { beginAtZero: true }),
    };
    // Colour by experiment: a measured series and its model share the colour of the part before " (".
    const keys: string[] = [];
    const colourOf = (label: string): string => {
      const key = label.replace(/ \(.*\)$/, '');
      if (!keys.includes(key)) keys.push(key);
      return SERIES_COLOURS[keys.indexOf(key) % SERIES_COLOURS.length]!;
    };
    this.chart.data.datasets = data.series.map((s) => {
      const colour = colourOf(s.label);
      const points = s.points.filter((p) => Number.isFinite(p.y) && (!data.y.log || p.y > 0));
      return {
        label: s.label,
        data: points,
        borderColor: colour,
        backgroundColor: colour,
        borderDash: s.dashed ? [6, 4] : [],
        pointRadius: s.dashed ? 0 : 4,
        borderWidth: s.dashed ? 1.5 : 2.5,
      };
    });
    this.markers = data.markers ?? [];
    this.batch.request();
  }

  /** Series drawn and their point counts (tests). */
  seriesPoints(): { label: string; points: number }[] {
    return this.chart.data.datasets.map((d) => ({ label: d.label ?? '', points: d.data.length }));
  }

  destroy(): void {
    this.batch.cancel();
    this.chart.destroy();
  }
}
