/**
 * "What if": data-parallel training at datacenter scale, a model (src/core/whatif). A preset
 * transformer, a custom one or the MLP just trained, on 1 to 131,072 GPUs of a fabric: nodes
 * with an intra-node link, a fat-tree with hops and oversubscription. Every algorithm on one
 * chart, the answers per configuration, memory with ZeRO, and an optional second
 * configuration side by side. Its state is one typed table in the URL (`wi-*`); until the user
 * changes the interconnect here, it follows the training tab's.
 */
import type { TrainConfig } from '../core/config';
import { similarityRatio } from '../core/link';
import { paramLayout } from '../core/model';
import {
  comparedConfig,
  decimalBytes,
  describeFabric,
  FLOPS_PER_TOKEN_PER_PARAM,
  GPU_TRAINING,
  linkFromNcclLog,
  measuredModel,
  MFU_SOURCE,
  projectWhatIf,
  WHATIF_FIELDS,
  type MeasuredModel,
  type WhatIfConfig,
  type WhatIfContext,
  type WhatIfProjection,
} from '../core/whatif';
import { answerLines } from '../core/whatif/report';
import { formatDuration } from '../core/units';
import type { TrainResult } from '../cluster/train';
import { WhatIfChart, type WhatIfCurve } from './charts/whatif-chart';
import { Controls } from './controls';
import { BUNDLED_LOGS, fetchBundledLog } from './bundled-logs';
import { el } from './dom';
import type { UrlState } from './url-state';

/** The bundled nccl-tests logs, fitted on demand for link nccl-log. */
/** The bundled all-reduce logs a link can be fitted to. */
const LOGS = BUNDLED_LOGS.filter((n) => /allreduce.*\.txt$/.test(n));
const DEFAULT_LOG = '01-h100-16rank-2node-allreduce.txt';

const MODEL_FIELDS: (keyof WhatIfConfig & string)[] = [
  'model',
  'params',
  'tokensPerSample',
  'bytesPerGrad',
  'mfu',
  'gpu',
  'scaling',
  'globalBatch',
  'perGpuBatch',
  'zero',
  'algo',
  'bucketMb',
  'overlap',
];
const FABRIC_FIELDS: (keyof WhatIfConfig & string)[] = [
  'gpus',
  'at',
  'gpusPerNode',
  'intraLink',
  'link',
  'alphaUs',
  'bandwidth',
  'fabric',
  'radix',
  'levels',
  'hopLatencyUs',
  'oversubscription',
  'compare',
];
/** The fields that come from the training tab until the user sets one here. */
const TAB_FIELDS: (keyof WhatIfConfig & string)[] = ['link', 'intraLink', 'gpusPerNode', 'gpu', 'alphaUs', 'bandwidth'];
const LABELS: Partial<Record<keyof WhatIfConfig & string, string>> = {
  tokensPerSample: 'tokens per sample',
  bytesPerGrad: 'bytes per gradient',
  mfu: 'MFU (0–1)',
  globalBatch: 'global batch (samples)',
  perGpuBatch: 'samples per GPU',
  zero: 'ZeRO stage',
  bucketMb: 'bucket (MiB)',
  gpus: 'GPU counts',
  at: 'answers at (GPUs)',
  gpusPerNode: 'GPUs per node',
  intraLink: 'inside a node',
  link: 'between nodes (per GPU)',
  alphaUs: 'α override (µs)',
  hopLatencyUs: 'per hop (µs)',
  oversubscription: 'oversubscription (n:1)',
  compare: 'compare with (flags)',
};

export class WhatIfPanel {
  readonly root: HTMLElement;
  private readonly chart: WhatIfChart;
  private readonly columns: HTMLElement;
  private readonly notes: HTMLElement;
  private readonly follow: HTMLElement;
  private readonly controls: Controls<WhatIfConfig>[];
  private readonly logPick: HTMLSelectElement;
  private measured: MeasuredModel | undefined;
  private ncclLink: WhatIfContext['ncclLink'];
  private logName = DEFAULT_LOG;
  private followTab: boolean;
  /** Applies a change as if a control had made it (the one-click ZeRO stages use it). */
  private readonly patch: (patch: Partial<WhatIfConfig>) => void;
  /** Over the chart when it has nothing to draw: why, in words. */
  private readonly chartNote: HTMLElement;

  constructor(
    private readonly state: UrlState<WhatIfConfig>,
    private readonly tab: () => TrainConfig,
    urlSearch: string,
  ) {
    const given = new URLSearchParams(urlSearch);
    this.followTab = !TAB_FIELDS.some((k) => given.has(WHATIF_FIELDS[k].url ?? ''));
    const onPatch = (patch: Partial<WhatIfConfig>): void => {
      const wasFollowing = this.followTab;
      if (TAB_FIELDS.some((k) => k in patch)) this.followTab = false;
      // Leaving the tab's interconnect: keep what it was showing, change only what was set here.
      const errors = state.setState(wasFollowing && !this.followTab ? { ...this.tabPatch(), ...patch } : patch);
      for (const c of this.controls) c.show(this.config());
      this.notes.textContent = errors.map((e) => e.message).join(' ');
      void this.render();
    };
    this.patch = onPatch;
    this.controls = [
      new Controls(WHATIF_FIELDS, state.value, onPatch, { idPrefix: 'wi', only: MODEL_FIELDS, labels: LABELS }),
      new Controls(WHATIF_FIELDS, state.value, onPatch, { idPrefix: 'wi', only: FABRIC_FIELDS, labels: LABELS }),
    ];
    this.logPick = el('select', { 'data-testid': 'whatif-log' }, ...LOGS.map((n) => el('option', { value: n }, n)));
    this.logPick.value = DEFAULT_LOG;
    this.logPick.addEventListener('change', () => {
      this.logName = this.logPick.value;
      this.ncclLink = undefined;
      void this.render();
    });
    const file = el('input', { type: 'file', accept: '.txt,.log,.json' });
    file.addEventListener('change', () => {
      const f = file.files?.[0];
      if (f) void f.text().then((text) => this.useLog(f.name, text));
      file.value = '';
    });
    const canvas = el('canvas', { 'data-testid': 'whatif-chart' });
    this.chartNote = el('div', { class: 'chart-note', 'data-testid': 'whatif-chart-note', hidden: true });
    this.chart = new WhatIfChart(canvas);
    this.columns = el('div', { class: 'whatif-columns', 'data-testid': 'whatif-text' });
    this.notes = el('div', { class: 'field-error', role: 'alert', 'data-testid': 'whatif-error' });
    this.follow = el('div', { class: 'hint', 'data-testid': 'whatif-follow' });
    this.root = el(
      'div',
      { class: 'whatif', 'data-testid': 'whatif' },
      el('h3', {}, 'What if: data-parallel training on 1 to 131,072 GPUs (a model, not a measurement)'),
      el(
        'details',
        { class: 'whatif-honesty', open: true },
        el('summary', {}, 'What this is: a model, its assumptions, and how it relates to the projected clock'),
        el(
          'ul',
          {},
          el(
            'li',
            {},
            'It is the projected clock’s cost model (each message costs α + bytes·β on its link; a collective step waits for its slowest message; gradients go in buckets, overlapping the backward pass) fed with a datacenter’s numbers instead of this tab’s: nothing here is measured except, with model “measured”, the step you just trained (scaled to the real GPU by the similarity ratio).',
          ),
          el(
            'li',
            {},
            `Compute: ${FLOPS_PER_TOKEN_PER_PARAM}·P FLOPs per token (2·P forward, 4·P backward; attention ignored) at the MFU you set, of the GPU’s dense BF16 tensor peak. Default MFU 0.4: ${MFU_SOURCE}.`,
          ),
          el(
            'li',
            {},
            'Fabric: every GPU has its own NIC at the link’s bandwidth; the job is placed compactly and spans the smallest subtree that holds it; a message between GPUs whose lowest common switch is at level ℓ crosses 2ℓ−1 switches (α grows by the per-hop latency each), and traffic leaving a leaf switch shares its up-links (β × oversubscription). No congestion beyond that, no in-network reduction (SHARP), no NVLS.',
          ),
          el(
            'li',
            {},
            'Training: pure data parallelism (no tensor or pipeline parallelism), every GPU holds the batch share shown, ZeRO per the Ultra-Scale Playbook (ZeRO-3 moves 1.5× the bytes and can hide behind forward and backward). Activations are not counted in memory. Closed forms are exact for powers of two.',
          ),
          el(
            'li',
            {},
            'By default it follows the training tab’s interconnect (link between nodes, link inside a node, GPUs per node, GPU); change one here and it stops following.',
          ),
        ),
      ),
      this.follow,
      el('div', { class: 'whatif-controls' }, ...this.controls.map((c) => c.root)),
      el('label', { class: 'control whatif-log' }, el('span', { class: 'control-name' }, 'nccl-tests log for link nccl-log'), this.logPick, file),
      this.notes,
      el('div', { class: 'chart' }, canvas, this.chartNote),
      this.columns,
    );
    for (const c of this.controls) c.show(this.config());
    void this.render().then(() => {
      if (state.errors.length) this.notes.textContent = `${state.errors.map((e) => e.message).join(' ')} ${this.notes.textContent ?? ''}`.trim();
    });
  }

  /** Projects the MLP of a finished training run when model is 'measured'; re-reads the tab's link. */
  show(run: TrainResult): void {
    const cal = run.calibration;
    if (cal) {
      const perRank = run.request.globalBatch / run.request.ranks;
      this.measured = measuredModel(cal, perRank, paramLayout({ layers: run.request.layers }).count, similarityRatio(cal.flopsPerS, this.config().gpu));
    }
    void this.render();
  }

  /** The training tab changed: follow its interconnect if still following. */
  tabChanged(): void {
    if (!this.followTab) return;
    for (const c of this.controls) c.show(this.config());
    void this.render();
  }

  private useLog(name: string, text: string): void {
    const fitted = linkFromNcclLog(name, text);
    if ('error' in fitted) {
      this.notes.textContent = fitted.error;
      return;
    }
    this.logName = name;
    this.ncclLink = fitted;
    void this.render();
  }

  /** The interconnect of the training tab, as what-if fields. */
  private tabPatch(): Partial<WhatIfConfig> {
    const t = this.tab();
    const patch: Partial<WhatIfConfig> = { intraLink: t.intraLink, gpu: t.gpu, gpusPerNode: t.ranksPerNode ?? WHATIF_FIELDS.gpusPerNode.default };
    if (t.link === 'custom') Object.assign(patch, { link: 'custom', alphaUs: t.alphaUs, bandwidth: t.bandwidth });
    else if (t.link !== 'none') Object.assign(patch, { link: t.link, alphaUs: t.alphaUs, bandwidth: t.bandwidth });
    return patch;
  }

  private config(): WhatIfConfig {
    return this.followTab ? { ...this.state.value, ...this.tabPatch() } : this.state.value;
  }

  private async context(configs: WhatIfConfig[]): Promise<WhatIfContext> {
    if (configs.some((c) => c.link === 'nccl-log') && !this.ncclLink) {
      if (LOGS.includes(this.logName)) {
        const fitted = linkFromNcclLog(this.logName, await fetchBundledLog(this.logName));
        if (!('error' in fitted)) this.ncclLink = fitted;
        else this.notes.textContent = fitted.error;
      }
    }
    return { measured: this.measured, ncclLink: this.ncclLink };
  }

  private async render(): Promise<void> {
    const a = this.config();
    const t = this.tab();
    this.follow.textContent = this.followTab
      ? `Follows the training tab’s interconnect: ${t.link === 'none' ? `the tab uses no emulated link (shared memory), so between nodes this uses ${a.link}` : a.link} between nodes, ${a.intraLink} inside nodes of ${a.gpusPerNode}, ${a.gpu}. Change one here to stop following.`
      : 'Uses its own interconnect (set here), not the training tab’s.';
    const b = comparedConfig(a);
    const configs = b && 'config' in b ? [a, b.config] : [a];
    const ctx = await this.context(configs);
    const results = configs.map((c) => projectWhatIf(c, ctx));
    const problems = [b && 'error' in b ? b.error : null, ...results.map((r, i) => ('error' in r ? `${i === 0 ? '' : 'compare: '}${r.error}` : null))].filter(
      (x): x is string => x !== null,
    );
    this.notes.textContent = problems.join(' ');
    const ok = results.map((r, i) => ({ config: configs[i]!, p: r })).filter((x): x is { config: WhatIfConfig; p: WhatIfProjection } => !('error' in x.p));
    const first = ok[0];
    if (!first || 'error' in results[0]!) {
      this.chart.show([], []);
      this.showChartNote(problems.length ? `Nothing to draw: ${problems.join(' ')}` : null);
      this.columns.replaceChildren();
      return;
    }
    const curves = this.curves(ok);
    this.chart.show(curves, this.markers(first.config, first.p));
    const chip = GPU_TRAINING[first.config.gpu];
    this.showChartNote(
      curves.some((c) => c.points.some((pt) => pt.y !== null))
        ? null
        : `Nothing to draw: with ZeRO-${first.config.zero}, ${first.p.model.name} does not fit in the ${decimalBytes(chip.memoryBytes)} of a ${first.config.gpu.toUpperCase()} at any GPU count shown, and a run that does not fit is not projected. Plain data parallelism keeps a whole replica (weights, gradients, optimizer state) on every GPU: that is why ZeRO shards it. Pick a stage below.`,
    );
    this.columns.replaceChildren(...ok.map((x, i) => this.column(x.config, x.p, ok.length > 1 ? (i === 0 ? 'A' : 'B') : null)));
  }

  private showChartNote(text: string | null): void {
    this.chartNote.hidden = text === null;
    this.chartNote.textContent = text ?? '';
  }

  /** One button per ZeRO stage that fits somewhere, for the first column (the URL keeps the choice). */
  private zeroChoices(config: WhatIfConfig, p: WhatIfProjection): HTMLElement[] {
    const stages = p.answers.zero.filter((z) => z.stage !== config.zero && z.minGpus !== null && z.minGpus <= p.answers.scannedUpTo);
    if (stages.length === 0) return [];
    return [
      el(
        'div',
        { class: 'whatif-zero-choices', 'data-testid': 'whatif-zero-choices' },
        'Shard it: ',
        ...stages.map((z) => {
          const b = el(
            'button',
            { type: 'button', 'data-testid': `whatif-zero-${z.stage}` },
            `ZeRO-${z.stage} (fits from ${z.minGpus!.toLocaleString('en-US')} GPUs${z.commFactor !== 1 ? `, ${z.commFactor}× the communication` : ''})`,
          );
          b.addEventListener('click', () => this.patch({ zero: z.stage }));
          return b;
        }),
      ),
    ];
  }

  private curves(ok: { config: WhatIfConfig; p: WhatIfProjection }[]): WhatIfCurve[] {
    const curves: WhatIfCurve[] = [];
    ok.forEach(({ config, p }, i) => {
      for (const c of p.curves) {
        if (i > 0 && c.algorithm !== config.algo) continue;
        curves.push({
          label: `${i > 0 ? 'B: ' : ok.length > 1 ? 'A: ' : ''}${c.algorithm}`,
          algorithm: c.algorithm,
          points: c.rows.map((r) => ({ x: r.gpus, y: r.fits ? r.efficiency : null })),
          emphasis: i === 0 && c.algorithm === config.algo,
          secondary: i > 0,
        });
      }
    });
    return curves;
  }

  private markers(config: WhatIfConfig, p: WhatIfProjection): { x: number; y: number; label: string }[] {
    return p.crossovers
      .filter((c) => c.faster === config.algo || c.slower === config.algo)
      .flatMap((c) => {
        const rows = p.curves.find((k) => k.algorithm === c.faster)!.rows;
        const [lo, hi] = [rows.find((r) => r.gpus === c.between[0])!, rows.find((r) => r.gpus === c.between[1])!];
        // Only where the run is drawn: a crossing among counts that do not fit has no curve to sit on.
        if (!lo.fits || !hi.fits) return [];
        return [{ x: Math.sqrt(lo.gpus * hi.gpus), y: (lo.efficiency + hi.efficiency) / 2, label: `${c.faster} overtakes ${c.slower}` }];
      });
  }

  private column(config: WhatIfConfig, p: WhatIfProjection, tag: string | null): HTMLElement {
    const row = p.rows.find((r) => r.gpus === p.answers.at);
    const chip = GPU_TRAINING[config.gpu];
    const table = el(
      'table',
      { class: 'whatif-rows' },
      el('thead', {}, el('tr', {}, ...['GPUs', 'compute', 'exposed comm', 'step', 'efficiency', 'memory/GPU', 'fits'].map((h) => el('th', {}, h)))),
      el(
        'tbody',
        {},
        ...p.rows
          .filter((r) => (r.gpus >= 8 && Math.log2(r.gpus) % 2 === 1) || r.gpus === p.answers.at)
          .map((r) =>
            el(
              'tr',
              r.gpus === p.answers.at ? { class: 'at' } : {},
              ...[
                r.gpus.toLocaleString('en-US'),
                formatDuration(r.computeS),
                formatDuration(r.exposedCommS),
                formatDuration(r.stepS),
                r.fits ? `${(r.efficiency * 100).toFixed(1)} %` : '—',
                decimalBytes(r.memoryPerGpuBytes),
                r.fits ? 'yes' : 'NO',
              ].map((v) => el('td', {}, v)),
            ),
          ),
      ),
    );
    return el(
      'div',
      { class: 'whatif-column', 'data-testid': tag ? `whatif-column-${tag}` : 'whatif-column' },
      el('h4', {}, `${tag ? `${tag}: ` : ''}${p.model.name} on ${describeFabric(p.fabric)}`),
      el('div', { class: 'hint' }, `between nodes: ${p.linkSource}; ${chip.source}`),
      ...(row && !row.fits
        ? [
            el(
              'div',
              { class: 'bad' },
              `At ${p.answers.at.toLocaleString('en-US')} GPUs a replica with ZeRO-${config.zero} needs ${decimalBytes(row.memoryPerGpuBytes)} per GPU, more than ${decimalBytes(chip.memoryBytes)}: not projected as a run. See what ZeRO-1/2/3 would need below.`,
            ),
            ...(tag === 'B' ? [] : this.zeroChoices(config, p)),
          ]
        : []),
      el('ul', {}, ...answerLines(config, p).map((l) => el('li', {}, l))),
      ...p.notes.map((n) => el('div', { class: 'hint' }, n)),
      table,
    );
  }
}
