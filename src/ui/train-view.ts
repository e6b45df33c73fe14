/**
 * The training tab: a real MLP trained data-parallel on the ranks. Live loss and accuracy, the
 * timeline of one step per rank on either clock, the compute / communication / idle breakdown,
 * and the scaling charts (step time, throughput, efficiency) over the rank counts asked for.
 */
import { TRAIN_FIELDS, type TrainConfig } from '../core/config';
import { toChromeTrace } from '../core/chrome-trace';
import { ScalingRun, type ScalingPoint, type ScalingResult } from '../cluster/scaling';
import { scalingRequestFromConfig } from '../cluster/train-config';
import type { TrainResult } from '../cluster/train';
import { BreakdownChart, LossChart, ScalingChart, type BreakdownEntry } from './charts/train-charts';
import { Controls } from './controls';
import { download, el } from './dom';
import { TimelineView } from './timeline-view';
import { LinkInfo } from './link-info';
import { WhatIfPanel } from './whatif-panel';
import { explainEfficiency, explainOverlap, type Explanation } from '../core/explain';
import type { UrlState } from './url-state';

const MAIN: (keyof TrainConfig & string)[] = ['ranks', 'scaling', 'layers', 'globalBatch', 'steps', 'algo', 'bucketMb', 'firstBucketMb', 'overlap', 'lr', 'momentum', 'dataset', 'seed'];
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
  private readonly why = el('div', { class: 'why', 'data-testid': 'train-why' }, 'Click an efficiency or overlap figure in the table: its formula appears here with the measured values filled in.');
  private current: ScalingRun | undefined;
  private result: ScalingResult | undefined;

  private readonly linkInfo = new LinkInfo();
  private readonly whatIf = new WhatIfPanel();

  constructor(private readonly state: UrlState<TrainConfig>, private readonly webgpuOk: boolean, private readonly flopsPerS: () => number | null) {
    const onPatch = (patch: Partial<TrainConfig>): void => {
      const errors = state.setState(patch);
      for (const c of this.controls) c.show(state.value);
      this.showMessages(errors.map((e) => e.message));
      this.refreshLink();
    };
    const main = new Controls(TRAIN_FIELDS, state.value, onPatch, { idPrefix: 'train', only: MAIN, labels: { ranks: 'rank counts', layers: 'layers (in,…,classes)', globalBatch: 'global batch', bucketMb: 'bucket (MiB)', firstBucketMb: 'first bucket (MiB)', lr: 'learning rate' } });
    const link = new Controls(TRAIN_FIELDS, state.value, onPatch, { idPrefix: 'train', only: LINK, labels: { link: 'interconnect', intraLink: 'intra-node link', alphaUs: 'latency α (µs)', ranksPerNode: 'ranks per node', straggler: 'straggler RANK:FACTOR', slowLink: 'slow link A-B:FACTOR', gpu: 'real GPU', scaled: 'scale to GPU' } });
    this.controls = [main, link];
    this.runBtn = el('button', { class: 'primary', 'data-testid': 'train-run', onclick: () => void this.run() }, 'Train');
    this.cancelBtn = el('button', { disabled: true, 'data-testid': 'train-cancel', onclick: () => this.current?.cancel() }, 'Cancel');
    this.progress = el('progress', { max: 1, value: 0 });
    this.status = el('div', { class: 'status', role: 'status', 'data-testid': 'train-status' });
    this.summary = el('div', { class: 'summary', 'data-testid': 'train-summary' });
    this.runPick = el('select', { 'data-testid': 'timeline-run', onchange: () => this.showTimeline() });
    this.clockPick = el('select', { 'data-testid': 'timeline-clock', onchange: () => this.showTimeline() }, el('option', { value: 'measured' }, 'measured clock'), el('option', { value: 'projected' }, 'projected clock'));
    const canvases = { loss: el('canvas', { 'data-testid': 'loss-chart' }), breakdown: el('canvas'), stepTime: el('canvas'), throughput: el('canvas'), efficiency: el('canvas') };
    this.root = el(
      'section',
      { class: 'view train' },
      el(
        'aside',
        { class: 'panel' },
        el('h2', {}, 'Data-parallel training'),
        el('p', { class: 'hint' }, 'Every rank holds a replica of the MLP and a shard of each global batch; gradients are averaged bucket by bucket with the chosen all-reduce.'),
        main.root,
        el('details', { open: state.value.link !== 'none' || state.value.straggler !== null }, el('summary', {}, 'Interconnect and stragglers'), link.root, this.linkInfo.root),
        el('div', { class: 'buttons' }, this.runBtn, this.cancelBtn),
        this.progress,
        this.status,
        el('div', { class: 'buttons' }, el('button', { onclick: () => this.exportTrace(), title: 'Chrome Trace Event JSON: open in ui.perfetto.dev' }, 'Export trace (Perfetto)'), el('button', { onclick: () => this.exportJson() }, 'Export JSON')),
      ),
      el(
        'div',
        { class: 'main' },
        el('div', { class: 'charts' }, el('div', { class: 'chart' }, canvases.loss), el('div', { class: 'chart' }, canvases.breakdown)),
        el('div', { class: 'timeline-bar' }, el('strong', {}, 'Timeline of the last step '), this.runPick, this.clockPick),
        this.timeline.root,
        el('div', { class: 'charts three' }, el('div', { class: 'chart' }, canvases.stepTime), el('div', { class: 'chart' }, canvases.throughput), el('div', { class: 'chart' }, canvases.efficiency)),
        this.summary,
        this.why,
        this.whatIf.root,
        el(
          'div',
          { class: 'explain' },
          el('strong', {}, 'Reading scaling. '),
          'Strong scaling keeps the global batch fixed: N ranks each do 1/N of the work, so ideally the step takes T₁/N and efficiency T₁/(N·T_N) stays 100 %. ',
          'Weak scaling keeps the per-rank batch fixed: the global batch grows with N, ideally the step time stays T₁ and efficiency is T₁/T_N. ',
          'Communication is what pulls efficiency down: the all-reduce grows with N (2(N−1)/N of the gradient bytes per rank over the ring) while compute per rank shrinks (strong) or stays (weak). ',
          'The measured clock is this browser, where all ranks share one GPU and a few CPU cores, so it cannot speed up with N; the projected clock replays the same step with each rank\'s calibrated, uncontended compute and the link cost α + bytes·β, as N separate GPUs would.',
        ),
      ),
    );
    this.loss = new LossChart(canvases.loss);
    this.breakdown = new BreakdownChart(canvases.breakdown);
    this.stepTime = new ScalingChart(canvases.stepTime, 'Step time vs ranks', 'ms per step', (n, f) => this.idealTime(n, f));
    this.throughput = new ScalingChart(canvases.throughput, 'Throughput vs ranks', 'samples / s', (n, f) => this.idealThroughput(n, f));
    this.efficiency = new ScalingChart(canvases.efficiency, `Scaling efficiency vs ranks`, 'efficiency (%)', () => ({ measured: 100, projected: 100 }));
    this.refreshLink();
    if (!webgpuOk) this.runBtn.disabled = true;
  }

  /** Re-renders the link figures for the largest rank count asked for. */
  refreshLink(): void {
    const c = this.state.value;
    this.linkInfo.update(c, Math.max(...c.ranks), this.flopsPerS());
  }

  private idealTime(n: number, first: { ranks: number; measured: number; projected: number }): { measured: number; projected: number } {
    const k = this.state.value.scaling === 'strong' ? first.ranks / n : 1;
    return { measured: first.measured * k, projected: first.projected * k };
  }

  private idealThroughput(n: number, first: { ranks: number; measured: number; projected: number }): { measured: number; projected: number } {
    return { measured: (first.measured * n) / first.ranks, projected: (first.projected * n) / first.ranks };
  }

  showMessages(messages: string[]): void {
    this.status.replaceChildren(...messages.map((m) => el('div', { class: 'error' }, m)));
  }

  /** For tests: loss points drawn. */
  chartPoints(): number {
    return this.loss.points();
  }

  async run(): Promise<ScalingResult | undefined> {
    if (this.current) return undefined;
    const c = this.state.value;
    const req = scalingRequestFromConfig(c);
    if ('error' in req) {
      this.showMessages([req.error]);
      return undefined;
    }
    this.loss.clear();
    this.setRunning(true);
    this.progress.value = 0;
    const totalSteps = c.ranks.length * c.steps;
    let done = 0;
    let series = -1;
    const run = new ScalingRun(req, {
      onRunStart: (ranks, i, total) => {
        series = this.loss.addRun(`${ranks} rank${ranks > 1 ? 's' : ''}`);
        this.showMessages([`Run ${i + 1} of ${total}: ${ranks} rank(s), calibrating compute (ranks take turns on the GPU)…`]);
      },
      onStep: (rec, total) => {
        done++;
        this.loss.addPoint(series, rec.step, rec.loss, rec.accuracy);
        this.progress.value = done / totalSteps;
        this.status.firstChild && (this.status.firstChild.textContent = `step ${rec.step + 1}/${total}: loss ${rec.loss.toFixed(4)}, accuracy ${(rec.accuracy * 100).toFixed(1)} %, ${rec.stepMs.toFixed(1)} ms (measured)`);
      },
      onPoint: () => undefined,
    });
    this.current = run;
    const result = await run.result;
    this.current = undefined;
    this.setRunning(false);
    this.result = result;
    this.render(result);
    if (result.status === 'done') this.showMessages([`Done: ${result.points.length} rank count(s), ${c.scaling} scaling.`]);
    else if (result.status === 'cancelled') this.showMessages(['Cancelled; every worker and buffer was freed.']);
    else this.showMessages([`Training failed${result.failedAtRankCount ? ` at ${result.failedAtRankCount} ranks` : ''}: ${result.error ?? 'unknown error'}`]);
    return result;
  }

  private render(r: ScalingResult): void {
    const pts = r.points;
    const entries: BreakdownEntry[] = [];
    for (const p of pts) {
      entries.push({ label: `${p.ranks}r M`, computeMs: p.measured.computeMs, exposedCommMs: p.measured.exposedCommMs, idleMs: p.measured.idleMs });
      entries.push({ label: `${p.ranks}r P`, computeMs: p.projected.computeMs, exposedCommMs: p.projected.exposedCommMs, idleMs: p.projected.idleMs });
    }
    this.breakdown.set(entries);
    this.stepTime.set(pts.map((p) => ({ ranks: p.ranks, measured: p.measured.stepMs, projected: p.projected.stepMs })));
    this.throughput.set(pts.map((p) => ({ ranks: p.ranks, measured: p.measured.samplesPerS, projected: p.projected.samplesPerS })));
    this.efficiency.set(pts.map((p) => ({ ranks: p.ranks, measured: p.measured.efficiency * 100, projected: p.projected.efficiency * 100 })));
    this.runPick.replaceChildren(...r.runs.map((run, i) => el('option', { value: String(i) }, `${run.request.ranks} rank(s)`)));
    this.runPick.value = String(Math.max(0, r.runs.length - 1));
    this.showTimeline();
    this.summary.replaceChildren(summaryTable(pts, (p, what) => this.explain(r, p, what)));
    const last = r.runs.filter((x) => x.status === 'done').at(-1);
    if (last) this.whatIf.show(last, this.state.value.scaling);
  }

  /** "Why this number?" for an efficiency or overlap cell of the summary table. */
  private explain(r: ScalingResult, p: ScalingPoint, what: 'effM' | 'effP' | 'overlap'): void {
    const base = r.points[0]!;
    let e: Explanation;
    if (what === 'overlap') {
      const run = r.runs.find((x) => x.request.ranks === p.ranks);
      const proj = run?.projected;
      if (!proj) return;
      const computeS = Math.max(...proj.perRank.map((x) => x.computeS));
      const commS = Math.max(...proj.perRank.map((x) => x.commS));
      e = explainOverlap(proj.stepS, computeS, commS);
    } else {
      const clock = what === 'effM' ? 'measured' : 'projected';
      // Efficiency is relative to the first rank count N₀: strong T₁ ≈ N₀·T_N₀, weak T₁ = T_N₀.
      const t0 = base[clock].stepMs / 1e3;
      e = explainEfficiency(r.scaling, r.scaling === 'strong' ? t0 * base.ranks : t0, p[clock].stepMs / 1e3, p.ranks);
      e = { ...e, note: `${e.note} (${clock} clock${base.ranks !== 1 ? `; T₁ taken as ${base.ranks}·T at ${base.ranks} ranks` : ''})` };
    }
    this.why.replaceChildren(el('div', { class: 'formula' }, e.formula), el('div', { class: 'substituted' }, e.substituted), el('div', { class: 'note' }, e.note));
  }

  private selectedRun(): TrainResult | undefined {
    return this.result?.runs[Number(this.runPick.value)];
  }

  private showTimeline(): void {
    const run = this.selectedRun();
    const t = run?.timelines?.[this.clockPick.value as 'measured' | 'projected'];
    if (run && t) this.timeline.show(t, `${run.request.ranks} rank(s), ${run.request.algorithm}, overlap ${run.request.overlap ? 'on' : 'off'}, step ${run.steps.length}`);
  }

  private exportTrace(): void {
    const run = this.selectedRun();
    if (!run?.timelines) return this.showMessages(['Nothing to export yet: run a training first.']);
    download(`ringlab-trace-${run.request.ranks}ranks.json`, JSON.stringify(toChromeTrace(run.timelines.measured, run.timelines.projected)), 'application/json');
  }

  private exportJson(): void {
    if (!this.result) return this.showMessages(['Nothing to export yet: run a training first.']);
    download('ringlab-train.json', JSON.stringify({ config: this.state.value, result: this.result }, null, 2), 'application/json');
  }

  private setRunning(running: boolean): void {
    this.runBtn.disabled = running || !this.webgpuOk;
    this.cancelBtn.disabled = !running;
    for (const c of this.controls) c.setDisabled(running);
  }
}

function summaryTable(points: ScalingPoint[], onWhy: (p: ScalingPoint, what: 'effM' | 'effP' | 'overlap') => void): HTMLElement {
  const head = ['ranks', 'global batch', 'final loss', 'accuracy', 'step M (ms)', 'step P (ms)', 'samples/s M', 'samples/s P', 'efficiency M', 'efficiency P', 'overlap P'];
  return el(
    'table',
    { class: 'nccl' },
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
    el(
      'tbody',
      {},
      ...points.map((p) =>
        el(
          'tr',
          {},
          ...[p.ranks, p.globalBatch, p.finalLoss.toFixed(4), `${(p.finalAccuracy * 100).toFixed(1)} %`, p.measured.stepMs.toFixed(2), p.projected.stepMs.toFixed(3), p.measured.samplesPerS.toFixed(0), p.projected.samplesPerS.toFixed(0)].map((v) => el('td', {}, String(v))),
          ...([
            [`${(p.measured.efficiency * 100).toFixed(0)} %`, 'effM'],
            [`${(p.projected.efficiency * 100).toFixed(0)} %`, 'effP'],
            [`${p.overlapPct.toFixed(0)} %`, 'overlap'],
          ] as const).map(([v, what]) => el('td', { class: 'explainable', title: 'Why this number?', onclick: () => onWhy(p, what) }, v)),
        ),
      ),
    ),
  );
}
