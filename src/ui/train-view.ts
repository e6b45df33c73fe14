/**
 * The training tab: a real MLP trained data-parallel on the ranks. Live loss and accuracy, the
 * timeline of one step per rank on either clock, the compute / communication / idle breakdown,
 * and the scaling charts (step time, throughput, efficiency) over the rank counts asked for.
 */
import {
  TRAIN_FIELDS,
  TRAIN_TABLE,
  fieldKeys,
  formatValue,
  parseCompare,
  sameValue,
  urlName,
  variantConfigs,
  type FieldError,
  type FieldValue,
  type TrainConfig,
  type Variant,
} from '../core/config';
import { toChromeTrace } from '../core/chrome-trace';
import { ScalingRun, type ScalingPoint, type ScalingResult } from '../cluster/scaling';
import { scalingRequestFromConfig } from '../cluster/train-config';
import type { TrainResult } from '../cluster/train';
import { BreakdownChart, LossChart, ScalingChart, type BreakdownEntry, type ScalingSeriesPoint, type ScalingStudy } from './charts/train-charts';
import { Controls } from './controls';
import { download, el, markPart, yieldToPage } from './dom';
import { TimelineView } from './timeline-view';
import { LinkInfo } from './link-info';
import { WhatIfPanel } from './whatif-panel';
import { DdpPanel } from './real-cluster';
import { ddpMedianStepMs, ddpReportLabel, type DdpReport } from '../core/export/ddp-report';
import { explainScalingCell, pct, type ScalingCell } from '../cluster/scaling-explain';
import { UrlState } from './url-state';
import { isWhatIfParam, WHATIF_TABLE } from '../core/whatif';
import { guardedRun, RunGate } from './run-guard';

/** One kept training study (a scaling run over the rank counts), drawn until Clear. */
export interface TrainStudy {
  label: string;
  config: TrainConfig;
  result: ScalingResult;
}

const MAIN: (keyof TrainConfig & string)[] = [
  'ranks',
  'scaling',
  'layers',
  'globalBatch',
  'steps',
  'algo',
  'bucketMb',
  'firstBucketMb',
  'overlap',
  'proto',
  'lr',
  'momentum',
  'dataset',
  'seed',
];
const LINK: (keyof TrainConfig & string)[] = ['link', 'intraLink', 'alphaUs', 'bandwidth', 'nodes', 'ranksPerNode', 'straggler', 'slowLink', 'gpu', 'scaled'];

export class TrainView {
  readonly root: HTMLElement;
  private readonly controls: Controls<TrainConfig>[];
  private readonly status: HTMLElement;
  private readonly progress: HTMLProgressElement;
  private readonly runBtn: HTMLButtonElement;
  private readonly cancelBtn: HTMLButtonElement;
  private readonly loss: LossChart;
  private readonly breakdown: BreakdownChart;
  private readonly stepTime: ScalingChart;
  private readonly throughput: ScalingChart;
  private readonly efficiency: ScalingChart;
  private readonly timeline = new TimelineView();
  private readonly runPick: HTMLSelectElement;
  private readonly clockPick: HTMLSelectElement;
  private readonly summary: HTMLElement;
  private readonly why = el(
    'div',
    { class: 'why', 'data-testid': 'train-why' },
    'Click an efficiency or overlap figure in the table: its formula appears here with the measured values filled in.',
  );
  private current: ScalingRun | undefined;
  private running = false;
  /** Bumped by each renderAll, so an older redraw still in progress stops. */
  private renderGeneration = 0;
  private readonly studies: TrainStudy[] = [];
  private variants: Variant<TrainConfig>[] = [];
  private readonly compareInput: HTMLInputElement;
  private readonly runReason = el('span', { class: 'run-reason', 'data-testid': 'train-run-reason' });
  private readonly compareError = el('div', { class: 'field-error', role: 'alert', 'data-testid': 'train-compare-error' });

  private readonly linkInfo = new LinkInfo();
  private readonly whatIf: WhatIfPanel;
  /** PyTorch DDP reports loaded from real clusters, overlaid until Clear. */
  private readonly ddpReports: DdpReport[] = [];
  readonly ddp: DdpPanel;

  constructor(
    private readonly state: UrlState<TrainConfig>,
    private readonly webgpuOk: boolean,
    private readonly flopsPerS: () => number | null,
  ) {
    // The what-if's own table lives beside the training table in this tab's URL (wi-*).
    const search = new URLSearchParams(location.search).get('tab') === 'train' ? location.search : '';
    this.whatIf = new WhatIfPanel(new UrlState(WHATIF_TABLE, 'train', search, isWhatIfParam), () => this.state.value, search);
    const onPatch = (patch: Partial<TrainConfig>): void => {
      const errors = state.setState(patch);
      for (const c of this.controls) c.show(state.value);
      this.showMessages(errors.map((e) => e.message));
      this.refreshLink();
    };
    const main = new Controls(TRAIN_FIELDS, state.value, onPatch, {
      idPrefix: 'train',
      only: MAIN,
      labels: {
        ranks: 'rank counts',
        layers: 'layers (in,…,classes)',
        globalBatch: 'global batch',
        bucketMb: 'bucket (MiB)',
        firstBucketMb: 'first bucket (MiB)',
        proto: 'protocol (--proto)',
        lr: 'learning rate',
      },
    });
    const link = new Controls(TRAIN_FIELDS, state.value, onPatch, {
      idPrefix: 'train',
      only: LINK,
      labels: {
        link: 'interconnect',
        intraLink: 'intra-node link',
        alphaUs: 'latency α (µs)',
        ranksPerNode: 'ranks per node',
        straggler: 'straggler RANK:FACTOR',
        slowLink: 'slow link A-B:FACTOR',
        gpu: 'real GPU',
        scaled: 'scale to GPU',
      },
    });
    this.controls = [main, link];
    this.runBtn = el('button', { class: 'primary', 'data-testid': 'train-run', onclick: () => void this.run() }, 'Train');
    this.cancelBtn = el('button', { disabled: true, 'data-testid': 'train-cancel', onclick: () => this.current?.cancel() }, 'Cancel');
    this.compareInput = el('input', {
      id: 'train-compare',
      type: 'text',
      spellcheck: false,
      placeholder: 'e.g. strong,weak',
      title: 'Runs to overlay, each a change to the settings above: strong,weak · algo:ring,algo:tree · overlap:off,overlap:on+bucket-mb:1',
    });
    this.compareInput.addEventListener('change', () => void this.setCompare(this.compareInput.value));
    this.ddp = new DdpPanel(
      () => this.state.value,
      (r) => this.addDdpReport(r),
    );
    this.progress = el('progress', { max: 1, value: 0 });
    this.status = el('div', { class: 'status', role: 'status', 'data-testid': 'train-status' });
    this.summary = el('div', { class: 'summary', 'data-testid': 'train-summary' });
    this.runPick = el('select', { 'data-testid': 'timeline-run', onchange: () => this.showTimeline() });
    this.clockPick = el(
      'select',
      { 'data-testid': 'timeline-clock', onchange: () => this.showTimeline() },
      el('option', { value: 'measured' }, 'measured clock'),
      el('option', { value: 'projected' }, 'projected clock'),
    );
    const canvases = { loss: el('canvas', { 'data-testid': 'loss-chart' }), breakdown: el('canvas'), stepTime: el('canvas'), throughput: el('canvas'), efficiency: el('canvas') };
    this.root = el(
      'section',
      { class: 'view train' },
      el(
        'aside',
        { class: 'panel' },
        el('h2', {}, 'Data-parallel training'),
        el(
          'p',
          { class: 'hint', 'data-part': 'controls' },
          'Every rank holds a replica of the MLP and a shard of each global batch; gradients are averaged bucket by bucket with the chosen all-reduce.',
        ),
        markPart(main.root, 'controls'),
        el(
          'details',
          { 'data-part': 'controls', open: state.value.link !== 'none' || state.value.straggler !== null },
          el('summary', {}, 'Interconnect and stragglers'),
          link.root,
          this.linkInfo.root,
        ),
        el(
          'label',
          { for: 'train-compare', class: 'control compare', 'data-part': 'controls' },
          el('span', { class: 'control-name' }, 'compare (runs to overlay)'),
          this.compareInput,
          this.compareError,
        ),
        el('div', { class: 'buttons run-bar' }, this.runBtn, this.cancelBtn, el('button', { 'data-testid': 'train-clear', onclick: () => this.clear() }, 'Clear'), this.runReason),
        this.progress,
        this.status,
        el(
          'div',
          { class: 'buttons', 'data-part': 'export' },
          el('button', { onclick: () => this.exportTrace(), title: 'Chrome Trace Event JSON: open in ui.perfetto.dev' }, 'Export trace (Perfetto)'),
          el('button', { onclick: () => this.exportJson() }, 'Export JSON'),
        ),
        markPart(this.ddp.root, 'export'),
      ),
      el(
        'div',
        { class: 'main' },
        el(
          'div',
          { class: 'charts' },
          el('div', { class: 'chart', 'data-part': 'loss' }, canvases.loss),
          el('div', { class: 'chart', 'data-part': 'breakdown' }, canvases.breakdown),
        ),
        el('div', { class: 'timeline-bar', 'data-part': 'timeline' }, el('strong', {}, 'Timeline of the last step '), this.runPick, this.clockPick),
        markPart(this.timeline.root, 'timeline'),
        el(
          'div',
          { class: 'charts three', 'data-part': 'scaling' },
          el('div', { class: 'chart' }, canvases.stepTime),
          el('div', { class: 'chart' }, canvases.throughput),
          el('div', { class: 'chart' }, canvases.efficiency),
        ),
        markPart(this.summary, 'table'),
        markPart(this.why, 'table'),
        markPart(this.whatIf.root, 'whatif'),
        el(
          'div',
          { class: 'explain', 'data-part': 'explain' },
          el('strong', {}, 'Reading scaling. '),
          'Strong scaling keeps the global batch fixed: N ranks each do 1/N of the work, so ideally the step takes T₁/N and efficiency T₁/(N·T_N) stays 100 %. ',
          'Weak scaling keeps the per-rank batch fixed: the global batch grows with N, ideally the step time stays T₁ and efficiency is T₁/T_N. ',
          'Communication is what pulls efficiency down: the all-reduce grows with N (2(N−1)/N of the gradient bytes per rank over the ring) while compute per rank shrinks (strong) or stays (weak). ',
          "The measured clock is this browser, where all ranks share one GPU and a few CPU cores, so it cannot speed up with N; the projected clock replays the same step with each rank's calibrated, uncontended compute and the link cost α + bytes·β, as N separate GPUs would.",
        ),
      ),
    );
    this.loss = new LossChart(canvases.loss);
    this.breakdown = new BreakdownChart(canvases.breakdown);
    this.stepTime = new ScalingChart(canvases.stepTime, 'Step time vs ranks', 'ms per step', idealTime);
    this.throughput = new ScalingChart(canvases.throughput, 'Throughput vs ranks', 'samples / s', idealThroughput);
    this.efficiency = new ScalingChart(canvases.efficiency, `Scaling efficiency vs ranks`, 'efficiency (%)', () => ({ measured: 100, projected: 100 }));
    this.refreshLink();
    this.gate = new RunGate(this.runBtn, this.runReason);
    if (!webgpuOk) this.runBtn.disabled = true;
  }

  private readonly gate: RunGate;

  /** Disables Run and says why (RunGate): no WebGPU, not cross-origin isolated, measuring the GPU. */
  blockRun(reason: string, transient = false): void {
    this.gate.block(reason, transient);
  }

  /** Lifts blockRun (the FLOP/s measurement is in). */
  unblockRun(): void {
    this.gate.unblock(this.webgpuOk && this.current === undefined);
  }

  /** Re-renders the link figures for the largest rank count asked for. */
  refreshLink(): void {
    const c = this.state.value;
    this.linkInfo.update(c, Math.max(...c.ranks), this.flopsPerS());
    this.whatIf.tabChanged();
  }

  showMessages(messages: string[]): void {
    this.status.replaceChildren(...messages.map((m) => el('div', { class: 'error' }, m)));
  }

  /** For tests: loss points drawn. */
  chartPoints(): number {
    return this.loss.points();
  }

  /** What is overlaid now: the kept studies, the loss series and the scaling series (tests, lessons). */
  overlays(): { studies: string[]; lossSeries: string[]; scalingSeries: number } {
    return { studies: this.studies.map((s) => s.label), lossSeries: this.loss.runLabels(), scalingSeries: this.stepTime.seriesCount() };
  }

  /** Every kept study, oldest first (results stay until Clear). */
  get results(): readonly TrainStudy[] {
    return this.studies;
  }

  /** Sets the comparison the Train button runs (`compare=` text; empty for a single run). */
  setCompare(text: string): FieldError[] {
    this.compareInput.value = text;
    this.state.setExtra('compare', text.trim() || null);
    const { variants, errors } = parseCompare(TRAIN_TABLE, text);
    this.variants = variants;
    this.compareError.textContent = errors.map((e) => e.message).join(' ');
    return errors;
  }

  /** Train: the comparison's runs when `compare` is set, else one run of the current config. */
  async run(): Promise<ScalingResult | undefined> {
    if (this.running || !this.webgpuOk || this.gate.blocked !== null) return undefined;
    if (!this.variants.length) return this.guarded(() => this.runStudy(this.state.value, this.autoLabel(this.state.value)));
    return (await this.runComparison(this.variants)).at(-1);
  }

  /** Whatever throws inside a run, the controls come back (guardedRun; issue 10, defect 1). */
  private async guarded<T>(body: () => Promise<T>): Promise<T | undefined> {
    const r = await guardedRun({ setRunning: (on) => this.setRunning(on), showError: (m) => this.showMessages([m]) }, body);
    this.current = undefined;
    this.running = false;
    return r;
  }

  /**
   * Runs each variant over the current config in turn and overlays them (kept until Clear).
   * Resolves with one result per variant run (stops at the first that does not finish).
   */
  async runComparison(variants: readonly Variant<TrainConfig>[]): Promise<ScalingResult[]> {
    if (this.running) return [];
    return (await this.guarded(() => this.compareStudies(variants))) ?? [];
  }

  private async compareStudies(variants: readonly Variant<TrainConfig>[]): Promise<ScalingResult[]> {
    const configs = variantConfigs(TRAIN_TABLE, this.state.value, variants);
    const repairs = configs.flatMap((c) => c.errors.map((e) => e.message));
    const out: ScalingResult[] = [];
    for (const [i, v] of configs.entries()) {
      const r = await this.runStudy(v.config, v.label, `Run ${i + 1} of ${configs.length} (${v.label}): `, repairs);
      if (!r) break;
      out.push(r);
      if (r.status !== 'done') break;
    }
    return out;
  }

  /** Clears every kept run and its charts. */
  clear(): void {
    if (this.running) return;
    this.studies.length = 0;
    this.ddpReports.length = 0;
    this.loss.clear();
    void this.renderAll();
    this.showMessages([]);
  }

  /** Overlays a PyTorch DDP report: its loss curve, and its step time and throughput at its world size. */
  addDdpReport(r: DdpReport): void {
    this.ddpReports.push(r);
    const series = this.loss.addRun(ddpReportLabel(r));
    r.losses.forEach((loss, step) => this.loss.addPoint(series, step, loss, r.accuracies?.[step] ?? Number.NaN));
    void this.renderAll();
  }

  /** "#1 strong" for the first study; then what differs from the previous one. */
  private autoLabel(c: TrainConfig): string {
    const prev = this.studies.at(-1)?.config;
    const n = this.studies.length + 1;
    if (!prev) return `#${n} ${c.scaling}`;
    const diff = fieldKeys(TRAIN_FIELDS).filter((k) => !TRAIN_FIELDS[k].cliOnly && !sameValue(c[k] as FieldValue, prev[k] as FieldValue));
    const parts = diff.slice(0, 3).map((k) => `${urlName(TRAIN_FIELDS[k])} ${formatValue(TRAIN_FIELDS[k], c[k] as FieldValue) || 'unset'}`);
    return `#${n} ${parts.length ? parts.join(', ') + (diff.length > 3 ? ', …' : '') : c.scaling}`;
  }

  private async runStudy(c: TrainConfig, label: string, prefix = '', notes: string[] = []): Promise<ScalingResult | undefined> {
    const req = scalingRequestFromConfig(c);
    if ('error' in req) {
      this.showMessages([`${prefix}${req.error}`, ...notes]);
      return undefined;
    }
    this.running = true;
    this.loss.setScaling(c.scaling);
    this.progress.value = 0;
    const totalSteps = c.ranks.length * c.steps;
    let done = 0;
    let series = -1;
    const run = new ScalingRun(req, {
      onRunStart: (ranks, i, total) => {
        series = this.loss.addRun(`${label} · ${ranks} rank${ranks > 1 ? 's' : ''}`);
        this.showMessages([`${prefix}${ranks} rank(s) (${i + 1} of ${total}), calibrating compute (ranks take turns on the GPU)…`, ...notes]);
      },
      onStep: (rec, total) => {
        done++;
        this.loss.addPoint(series, rec.step, rec.loss, rec.accuracy);
        this.progress.value = done / totalSteps;
        if (this.status.firstChild)
          this.status.firstChild.textContent = `${prefix}step ${rec.step + 1}/${total}: loss ${rec.loss.toFixed(4)}, accuracy ${(rec.accuracy * 100).toFixed(1)} %, ${rec.stepMs.toFixed(1)} ms (measured)`;
      },
      onPoint: () => undefined,
    });
    this.current = run;
    const result = await run.result;
    this.current = undefined;
    this.running = false;
    this.studies.push({ label, config: { ...c }, result });
    await this.renderAll();
    const top = result.points.at(-1);
    const mfu = top ? ` Model FLOPs utilization at ${top.ranks} rank(s): ${pct(top.measured.utilization.mfu)} measured, ${pct(top.projected.utilization.mfu)} projected.` : '';
    if (result.status === 'done')
      this.showMessages([`Done: ${result.points.length} rank count(s), ${c.scaling} scaling (${label}); ${this.studies.length} run(s) kept until Clear.${mfu}`, ...notes]);
    else if (result.status === 'cancelled') this.showMessages(['Cancelled; every worker and buffer was freed.']);
    else this.showMessages([`Training failed${result.failedAtRankCount ? ` at ${result.failedAtRankCount} ranks` : ''}: ${result.error ?? 'unknown error'}`]);
    return result;
  }

  /**
   * Redraws every chart, table and picker from the kept studies, a few charts per main-thread
   * task (each chart's layout costs 5–15 ms on a slow machine; all at once made a 50+ ms task).
   * A newer call supersedes one still in progress.
   */
  private async renderAll(): Promise<void> {
    const generation = ++this.renderGeneration;
    const superseded = async (): Promise<boolean> => {
      await yieldToPage();
      return generation !== this.renderGeneration;
    };
    const studies = this.studies;
    const lone = studies.length === 1;
    const entries: BreakdownEntry[] = [];
    for (const [i, st] of studies.entries()) {
      const tag = lone ? '' : `#${i + 1} `;
      for (const p of st.result.points) {
        entries.push({ label: `${tag}${p.ranks}r M`, computeMs: p.measured.computeMs, exposedCommMs: p.measured.exposedCommMs, idleMs: p.measured.idleMs });
        entries.push({ label: `${tag}${p.ranks}r P`, computeMs: p.projected.computeMs, exposedCommMs: p.projected.exposedCommMs, idleMs: p.projected.idleMs });
      }
    }
    this.breakdown.set(entries);
    if (await superseded()) return;
    const scalingOf = (f: (p: ScalingPoint) => ScalingSeriesPoint): ScalingStudy[] =>
      studies.map((st) => ({ label: lone ? '' : st.label, scaling: st.result.scaling, points: st.result.points.map(f) }));
    this.stepTime.set(scalingOf((p) => ({ ranks: p.ranks, measured: p.measured.stepMs, projected: p.projected.stepMs })));
    if (await superseded()) return;
    this.throughput.set(scalingOf((p) => ({ ranks: p.ranks, measured: p.measured.samplesPerS, projected: p.projected.samplesPerS })));
    this.efficiency.set(scalingOf((p) => ({ ranks: p.ranks, measured: p.measured.efficiency * 100, projected: p.projected.efficiency * 100 })));
    this.stepTime.setReal(this.ddpReports.map((r) => ({ label: ddpReportLabel(r), points: [{ ranks: r.worldSize, value: ddpMedianStepMs(r) }] })));
    this.throughput.setReal(
      this.ddpReports
        .filter((r) => r.globalBatch !== null)
        .map((r) => ({ label: ddpReportLabel(r), points: [{ ranks: r.worldSize, value: (r.globalBatch! / ddpMedianStepMs(r)) * 1e3 }] })),
    );
    if (await superseded()) return;
    const runs = studies.flatMap((st, si) => st.result.runs.map((run, ri) => ({ si, ri, label: `${lone ? '' : `${st.label}: `}${run.request.ranks} rank(s)` })));
    this.runPick.replaceChildren(...runs.map((x) => el('option', { value: `${x.si}.${x.ri}` }, x.label)));
    const lastRun = runs.at(-1);
    if (lastRun) this.runPick.value = `${lastRun.si}.${lastRun.ri}`;
    this.showTimeline();
    if (await superseded()) return;
    this.summary.replaceChildren(...(studies.length ? [summaryTable(studies, (st, p, what) => this.explain(st.result, p, what))] : []));
    const last = studies.at(-1);
    const lastDone = last?.result.runs.filter((x) => x.status === 'done').at(-1);
    if (last && lastDone) this.whatIf.show(lastDone);
  }

  /** "Why this number?" for an efficiency, overlap or MFU cell of the summary table. */
  private explain(r: ScalingResult, p: ScalingPoint, what: ScalingCell): void {
    const e = explainScalingCell(r, p, what);
    if (!e) return;
    this.why.replaceChildren(el('div', { class: 'formula' }, e.formula), el('div', { class: 'substituted' }, e.substituted), el('div', { class: 'note' }, e.note));
  }

  private selectedRun(): TrainResult | undefined {
    const [si, ri] = this.runPick.value.split('.').map(Number);
    return this.studies[si ?? -1]?.result.runs[ri ?? -1];
  }

  private showTimeline(): void {
    const run = this.selectedRun();
    const t = run?.timelines?.[this.clockPick.value as 'measured' | 'projected'];
    if (!run || !t) this.timeline.clear();
    else this.timeline.show(t, `${run.request.ranks} rank(s), ${run.request.algorithm}, overlap ${run.request.overlap ? 'on' : 'off'}, step ${run.steps.length}`);
  }

  private exportTrace(): void {
    const run = this.selectedRun();
    if (!run?.timelines) {
      this.showMessages(['Nothing to export yet: run a training first.']);
      return;
    }
    download(`ringlab-trace-${run.request.ranks}ranks.json`, JSON.stringify(toChromeTrace(run.timelines.measured, run.timelines.projected)), 'application/json');
  }

  private exportJson(): void {
    if (!this.studies.length) {
      this.showMessages(['Nothing to export yet: run a training first.']);
      return;
    }
    download('ringlab-train.json', JSON.stringify({ runs: this.studies.map((s) => ({ label: s.label, config: s.config, result: s.result })) }, null, 2), 'application/json');
  }

  private setRunning(running: boolean): void {
    this.runBtn.disabled = running || !this.webgpuOk || this.gate.blocked !== null;
    this.cancelBtn.disabled = !running;
    for (const c of this.controls) c.setDisabled(running);
  }
}

/** Ideal step time at n ranks from the first point: strong T·N₀/N, weak T. */
function idealTime(n: number, first: ScalingSeriesPoint, scaling: 'strong' | 'weak'): { measured: number; projected: number } {
  const k = scaling === 'strong' ? first.ranks / n : 1;
  return { measured: first.measured * k, projected: first.projected * k };
}

/** Ideal throughput at n ranks: linear in n from the first point. */
function idealThroughput(n: number, first: ScalingSeriesPoint): { measured: number; projected: number } {
  return { measured: (first.measured * n) / first.ranks, projected: (first.projected * n) / first.ranks };
}

function summaryTable(studies: readonly TrainStudy[], onWhy: (st: TrainStudy, p: ScalingPoint, what: ScalingCell) => void): HTMLElement {
  const head = [
    'run',
    'ranks',
    'global batch',
    'final loss',
    'accuracy',
    'step M (ms)',
    'step P (ms)',
    'samples/s M',
    'samples/s P',
    'efficiency M',
    'efficiency P',
    'overlap P',
    'MFU M',
    'MFU P',
  ];
  return el(
    'table',
    { class: 'nccl' },
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
    el(
      'tbody',
      {},
      ...studies.flatMap((st) =>
        st.result.points.map((p) =>
          el(
            'tr',
            {},
            el('td', { class: 'run-label' }, st.label),
            ...[
              p.ranks,
              p.globalBatch,
              p.finalLoss.toFixed(4),
              `${(p.finalAccuracy * 100).toFixed(1)} %`,
              p.measured.stepMs.toFixed(2),
              p.projected.stepMs.toFixed(3),
              p.measured.samplesPerS.toFixed(0),
              p.projected.samplesPerS.toFixed(0),
            ].map((v) => el('td', {}, String(v))),
            ...(
              [
                [`${(p.measured.efficiency * 100).toFixed(0)} %`, 'effM'],
                [`${(p.projected.efficiency * 100).toFixed(0)} %`, 'effP'],
                [`${p.overlapPct.toFixed(0)} %`, 'overlap'],
                [pct(p.measured.utilization.mfu), 'mfuM'],
                [pct(p.projected.utilization.mfu), 'mfuP'],
              ] as const
            ).map(([v, what]) => el('td', { class: 'explainable', title: 'Why this number?', onclick: () => onWhy(st, p, what) }, v)),
          ),
        ),
      ),
    ),
  );
}
