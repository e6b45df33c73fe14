/**
 * "What if": the measured training step projected to 1..1024 GPUs of a real cluster (a model,
 * labelled as one). Compute per sample comes from this run's calibration, scaled to the real
 * GPU by the similarity ratio; communication is the α-β cost of the gradient all-reduce on the
 * chosen interconnect and topology (src/core/cluster-projection.ts).
 */
import { largestOverlapN, projectCluster, type ProjectionInput, type ProjectionPoint } from '../core/cluster-projection';
import { GPUS, GPU_IDS, LINK_IDS, LINK_PRESETS, similarityRatio, type GpuId, type LinkId } from '../core/link';
import { paramLayout } from '../core/model';
import { ALGORITHMS, type Algorithm } from '../core/schedule/types';
import { formatBytes } from '../core/units';
import type { TrainResult } from '../cluster/train';
import { Chart, SERIES_COLOURS } from './charts/chart-setup';
import { el } from './dom';

interface Choice {
  inter: LinkId;
  intra: LinkId;
  ranksPerNode: number;
  gpu: GpuId;
  overlap: boolean;
}

export class WhatIfPanel {
  readonly root: HTMLElement;
  private readonly text: HTMLElement;
  private readonly chart: Chart<'line', { x: number; y: number }[]>;
  private run: TrainResult | undefined;
  private scaling: 'strong' | 'weak' = 'strong';
  private choice: Choice = { inter: 'ib-ndr400', intra: 'nvlink', ranksPerNode: 8, gpu: 'h100', overlap: true };

  constructor() {
    const select = <T extends string>(values: readonly T[], value: T, on: (v: T) => void, label: (v: T) => string = (v) => v): HTMLSelectElement => {
      const s = el('select', {}, ...values.map((v) => el('option', { value: v }, label(v))));
      s.value = value;
      s.addEventListener('change', () => {
        on(s.value as T);
        this.render();
      });
      return s;
    };
    const rpn = el('input', { type: 'text', value: String(this.choice.ranksPerNode), size: 3 });
    rpn.addEventListener('change', () => {
      const v = Number(rpn.value);
      if (Number.isInteger(v) && v >= 1 && v <= 1024) {
        this.choice.ranksPerNode = v;
        rpn.classList.remove('invalid');
        this.render();
      } else rpn.classList.add('invalid');
    });
    const canvas = el('canvas', { 'data-testid': 'whatif-chart' });
    this.text = el('div', { class: 'whatif-text', 'data-testid': 'whatif-text' }, 'Train first: the projection starts from the measured step.');
    this.root = el(
      'div',
      { class: 'whatif' },
      el('h3', {}, 'What if: this step on a real cluster of 1 to 1024 GPUs (projected model, not a measurement)'),
      el(
        'div',
        { class: 'whatif-controls' },
        el('label', {}, 'between nodes ', select(LINK_IDS, this.choice.inter, (v) => (this.choice.inter = v), (v) => LINK_PRESETS[v].name)),
        el('label', {}, 'inside a node ', select(LINK_IDS, this.choice.intra, (v) => (this.choice.intra = v), (v) => LINK_PRESETS[v].name)),
        el('label', {}, 'GPUs per node ', rpn),
        el('label', {}, 'GPU ', select(GPU_IDS, this.choice.gpu, (v) => (this.choice.gpu = v), (v) => GPUS[v].name)),
        el('label', {}, 'overlap ', select(['on', 'off'] as const, 'on', (v) => (this.choice.overlap = v === 'on'))),
      ),
      el('div', { class: 'chart' }, canvas),
      this.text,
    );
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        plugins: { title: { display: true, text: 'Projected scaling efficiency vs GPUs (model; projected clock)' }, legend: { position: 'bottom', labels: { boxWidth: 12 } } },
        scales: {
          x: { type: 'logarithmic', title: { display: true, text: 'GPUs (log scale)' }, ticks: { callback: (v) => (Number.isInteger(Math.log2(Number(v))) ? String(v) : '') } },
          y: { type: 'linear', min: 0, max: 100, title: { display: true, text: 'efficiency (%)' } },
        },
      },
    });
  }

  /** Projects from a finished run of this training. */
  show(run: TrainResult, scaling: 'strong' | 'weak'): void {
    this.run = run;
    this.scaling = scaling;
    this.render();
  }

  private input(algorithm: Algorithm): ProjectionInput | { error: string } {
    const run = this.run;
    const cal = run?.calibration;
    if (!run || !cal) return { error: 'Train first: the projection starts from the measured step.' };
    const perRankBatch = run.request.globalBatch / run.request.ranks;
    const fwd = cal.fwdS.reduce((a, b) => a + b, 0);
    const bwd = cal.bwdS.reduce((a, b) => a + b, 0);
    const ratio = similarityRatio(cal.flopsPerS, this.choice.gpu);
    const inter = LINK_PRESETS[this.choice.inter];
    const intra = LINK_PRESETS[this.choice.intra];
    return {
      // The real GPU is 1/ratio times faster than this one (at peak: an optimistic bound).
      computePerSampleS: ((fwd + bwd) / perRankBatch) * ratio,
      backwardFraction: bwd / (fwd + bwd),
      tailS: cal.optimizerS * ratio,
      scaling: this.scaling,
      globalBatch: run.request.globalBatch,
      perRankBatch,
      paramBytes: paramLayout({ layers: run.request.layers }).count * 4,
      algorithm,
      topology: { ranksPerNode: this.choice.ranksPerNode, intra: { alphaS: intra.alphaS, bandwidthBytesPerS: intra.bandwidthBytesPerS }, inter: { alphaS: inter.alphaS, bandwidthBytesPerS: inter.bandwidthBytesPerS } },
      overlap: this.choice.overlap,
      bucketBytes: run.request.bucketCapBytes,
    };
  }

  private render(): void {
    const main = this.input(this.run?.request.algorithm ?? 'ring');
    if ('error' in main) {
      this.text.textContent = main.error;
      return;
    }
    const algos = ALGORITHMS.filter((a) => a !== 'hierarchical' || this.choice.ranksPerNode > 1);
    const curves: { algorithm: Algorithm; points: ProjectionPoint[] }[] = [];
    for (const algorithm of algos) {
      const input = { ...main, algorithm };
      try {
        curves.push({ algorithm, points: projectCluster(input) });
      } catch (e) {
        console.warn(`what-if: ${algorithm}: ${String(e)}`);
      }
    }
    this.chart.data.datasets = curves.map((c, i) => ({
      label: c.algorithm,
      data: c.points.map((p) => ({ x: p.n, y: p.efficiency * 100 })),
      borderColor: SERIES_COLOURS[i % SERIES_COLOURS.length],
      backgroundColor: SERIES_COLOURS[i % SERIES_COLOURS.length],
      borderWidth: c.algorithm === main.algorithm ? 3 : 1.5,
      pointRadius: 2,
    }));
    this.chart.update('none');
    const mine = curves.find((c) => c.algorithm === main.algorithm)?.points ?? [];
    const collapse = mine.find((p) => p.efficiency < 0.5);
    const at1024 = mine.at(-1);
    const overlapN = largestOverlapN(main);
    const perSampleUs = main.computePerSampleS * 1e6;
    this.text.replaceChildren(
      el('div', {}, `Model: ${formatBytes(main.paramBytes)} of gradients per step; compute ${perSampleUs.toPrecision(3)} µs per sample on a ${GPUS[this.choice.gpu].name} (measured here × similarity ratio, i.e. at peak FP32: optimistic); ${this.scaling} scaling; ${LINK_PRESETS[this.choice.inter].name} between nodes of ${this.choice.ranksPerNode}, ${LINK_PRESETS[this.choice.intra].name} inside.`),
      el('div', {}, collapse ? `${main.algorithm}: efficiency falls below 50 % at ${collapse.n} GPUs (communication ${(collapse.commFraction * 100).toFixed(0)} % of the step there).` : `${main.algorithm}: efficiency stays above 50 % up to 1024 GPUs${at1024 ? ` (${(at1024.efficiency * 100).toFixed(0)} % at 1024)` : ''}.`),
      el('div', {}, `Overlap condition (Ultra-Scale Playbook A3: 2(N−1)/N · P / B ≤ t_backward): holds up to N = ${overlapN}${overlapN >= 1024 ? ' (all N shown)' : ''}; beyond it the gradient all-reduce cannot hide behind the backward pass.`),
    );
  }
}
