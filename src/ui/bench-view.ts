/**
 * The benchmark tab: controls for every nccl-tests flag, Run / Cancel, progress, the live
 * table, busbw and time charts (one series per run), export, and the explanation of the
 * numbers.
 */
import { BENCH_FIELDS, BENCH_TABLE, parseCompare, variantConfigs, type BenchConfig, type FieldError, type Variant } from '../core/config';
import { emulatedLinks, pairLinkList, type AlphaBeta } from '../core/link';
import { busbwFactor } from '../core/metrics';
import { formatFooter, formatReport } from '../core/nccl-format';
import { SweepRun, type SweepRequest, type SweepResult } from '../cluster/sweep';
import { describeSizes, predictSweep, sweepSizes } from '../cluster/sweep-prediction';
import { guardedRun, RunGate } from './run-guard';
import { interconnectKey } from '../core/crossover-statements';
import { sweepRequestFromConfig } from '../cluster/bench-config';
import { sweepCharts } from './charts/sweep-chart-host';
import type { SweepChart } from './charts/sweep-charts';
import { Controls } from './controls';
import { download, el, markPart, sliced, yieldToPage } from './dom';
import { runsToCsv, runsToJson, type RunRecord } from './export';
import { ResultsTable } from './results-table';
import { LinkInfo } from './link-info';
import { FloorPanel } from './floor-panel';
import { ReferencePicker } from './reference-runs';
import { benchExportButton } from './real-cluster';
import { ScheduleAnimation } from './schedule-animation';
import { ALGORITHMS } from '../core/schedule/types';
import { FitPanel } from './fit-panel';
import { fitSweepSteps, type SweepIdentity } from '../core/sweep-fit';
import { mapSteps } from '../core/steps';
import type { AlgorithmFit } from '../core/fit';
import { formatBytes, formatDurationHuman } from '../core/units';
import type { UrlState } from './url-state';

const MAIN_FIELDS: (keyof BenchConfig & string)[] = [
  'ranks',
  'collective',
  'algo',
  'op',
  'datatype',
  'minBytes',
  'maxBytes',
  'stepFactor',
  'iters',
  'warmupIters',
  'check',
  'root',
  'average',
  'placement',
  'timeoutMs',
  'proto',
];
const LINK_FIELDS_SHOWN: (keyof BenchConfig & string)[] = ['link', 'intraLink', 'alphaUs', 'bandwidth', 'nodes', 'ranksPerNode', 'slowLink', 'gpu', 'scaled'];

export class BenchView {
  readonly root: HTMLElement;
  private readonly table = new ResultsTable();
  private readonly fits = new FitPanel();
  private readonly animation = new ScheduleAnimation();
  private readonly bw: SweepChart;
  private readonly time: SweepChart;
  private readonly runs: RunRecord[] = [];
  private current: SweepRun | undefined;
  private readonly runBtn: HTMLButtonElement;
  private readonly cancelBtn: HTMLButtonElement;
  private readonly progress: HTMLProgressElement;
  private readonly status: HTMLElement;
  private readonly explain: HTMLElement;
  private readonly controls: Controls<BenchConfig>[];
  private readonly runReason = el('span', { class: 'run-reason', 'data-testid': 'run-reason' });
  private variants: Variant<BenchConfig>[] = [];
  private readonly compareInput: HTMLInputElement;
  private readonly compareError = el('div', { class: 'field-error', role: 'alert', 'data-testid': 'bench-compare-error' });

  private readonly linkInfo = new LinkInfo();
  private readonly floorPanel = new FloorPanel();
  private readonly reference = new ReferencePicker((ref) => {
    const series = [this.bw.addSeries(ref.label), this.time.addSeries(ref.label)] as const;
    for (const row of ref.rows) {
      this.bw.addRow(series[0], row);
      this.time.addRow(series[1], row);
    }
  });

  /**
   * @param flopsPerS this GPU's measured matmul FLOP/s for the similarity ratio (null until
   *   measured); read at every run.
   */
  constructor(
    private readonly state: UrlState<BenchConfig>,
    private readonly webgpuOk: boolean,
    private readonly flopsPerS: () => number | null,
  ) {
    const onPatch = (patch: Partial<BenchConfig>): void => {
      const errors = state.setState(patch);
      for (const c of this.controls) c.show(state.value);
      this.showMessages(errors.map((e) => e.message));
      this.renderExplain();
      this.refreshLink();
    };
    const main = new Controls(BENCH_FIELDS, state.value, onPatch, {
      idPrefix: 'bench',
      only: MAIN_FIELDS,
      labels: {
        ranks: 'ranks (-g)',
        minBytes: 'min bytes (-b)',
        maxBytes: 'max bytes (-e)',
        stepFactor: 'step factor (-f)',
        iters: 'iters (-n)',
        warmupIters: 'warm-up (-w)',
        check: 'check (-c)',
        op: 'op (-o)',
        datatype: 'type (-d)',
        root: 'root (-r)',
        average: 'time across ranks (-a)',
        placement: 'blocks',
        proto: 'protocol (--proto)',
        algo: 'algorithm',
        timeoutMs: 'timeout (ms)',
      },
    });
    const link = new Controls(BENCH_FIELDS, state.value, onPatch, {
      idPrefix: 'bench',
      only: LINK_FIELDS_SHOWN,
      labels: {
        link: 'interconnect',
        intraLink: 'intra-node link',
        alphaUs: 'latency α (µs)',
        bandwidth: 'bandwidth',
        ranksPerNode: 'ranks per node',
        slowLink: 'slow link A-B:FACTOR',
        gpu: 'real GPU',
        scaled: 'scale to GPU',
      },
    });
    this.controls = [main, link];
    this.runBtn = el('button', { class: 'primary', 'data-testid': 'run', onclick: () => void this.run() }, 'Run sweep');
    this.cancelBtn = el('button', { disabled: true, 'data-testid': 'cancel', onclick: () => this.current?.cancel() }, 'Cancel');
    this.compareInput = el('input', {
      id: 'bench-compare',
      type: 'text',
      spellcheck: false,
      placeholder: 'e.g. ring,tree',
      title: 'Sweeps to overlay, each a change to the settings above: ring,tree · ranks:4,ranks:8 · algo:star+ranks:8',
    });
    this.compareInput.addEventListener('change', () => void this.setCompare(this.compareInput.value));
    this.progress = el('progress', { max: 1, value: 0, 'data-testid': 'progress' });
    this.status = el('div', { class: 'status', role: 'status', 'data-testid': 'status' });
    this.explain = el('div', { class: 'explain' });
    const bwCanvas = el('canvas', { 'data-testid': 'busbw-chart' });
    const timeCanvas = el('canvas', { 'data-testid': 'time-chart' });
    this.root = el(
      'section',
      { class: 'view bench' },
      el(
        'aside',
        { class: 'panel' },
        el('h2', {}, 'All-reduce benchmark'),
        el('p', { class: 'hint', 'data-part': 'controls' }, 'Like nccl-tests all_reduce_perf: each rank is a Web Worker with its own WebGPU device.'),
        markPart(main.root, 'controls'),
        el(
          'details',
          { open: state.value.link !== 'none', 'data-part': 'controls' },
          el('summary', {}, 'Interconnect (emulated link)'),
          link.root,
          this.linkInfo.root,
          this.floorPanel.root,
        ),
        markPart(this.reference.root, 'controls'),
        el(
          'label',
          { for: 'bench-compare', class: 'control compare', 'data-part': 'controls' },
          el('span', { class: 'control-name' }, 'compare (sweeps to overlay)'),
          this.compareInput,
          this.compareError,
        ),
        el('div', { class: 'buttons run-bar' }, this.runBtn, this.cancelBtn, el('button', { 'data-testid': 'clear', onclick: () => this.clear() }, 'Clear'), this.runReason),
        this.progress,
        this.status,
        el(
          'div',
          { class: 'buttons', 'data-part': 'export' },
          el('button', { 'data-testid': 'copy-link', onclick: () => void this.copyLink(), title: 'Copy a link that reproduces this experiment' }, 'Copy link'),
          el('button', { onclick: () => download('ringlab-bench.json', runsToJson(this.runs), 'application/json'), 'data-testid': 'export-json' }, 'Export JSON'),
          el('button', { onclick: () => download('ringlab-bench.csv', runsToCsv(this.runs), 'text/csv'), 'data-testid': 'export-csv' }, 'Export CSV'),
          benchExportButton(() => this.state.value),
        ),
      ),
      el(
        'div',
        { class: 'main' },
        el('div', { class: 'charts' }, el('div', { class: 'chart' }, bwCanvas), el('div', { class: 'chart' }, timeCanvas)),
        el('div', { class: 'explain-row' }, markPart(this.explain, 'explain'), markPart(this.animation.root, 'animation')),
        markPart(this.table.root, 'table'),
        markPart(this.fits.root, 'fit'),
      ),
    );
    // Drawn in a worker (charts/sweep-chart-host.ts): the page's main thread only forwards data.
    // The view, and so the chart worker, lives as long as the page (the document frees it).
    ({ bw: this.bw, time: this.time } = sweepCharts(bwCanvas, timeCanvas));
    this.renderExplain();
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

  /** Re-renders the link figures (call when the FLOP/s measurement arrives). */
  refreshLink(): void {
    this.linkInfo.update(this.state.value, this.state.value.ranks, this.flopsPerS());
    this.floorPanel.render(this.emulatedLinks());
  }

  /** The distinct links the current configuration would emulate (none when it fails to resolve). */
  private emulatedLinks(): AlphaBeta[] {
    const c = this.state.value;
    try {
      return pairLinkList(emulatedLinks(c, c.ranks, c.scaled ? this.flopsPerS() : null).linkOf, c.ranks);
    } catch {
      return [];
    }
  }

  /** Points drawn on the busbw and time charts (for tests and the e2e check). */
  async chartPoints(): Promise<{ busbw: number; time: number }> {
    const [busbw, time] = await Promise.all([this.bw.points(), this.time.points()]);
    return { busbw, time };
  }

  showMessages(messages: string[]): void {
    this.status.replaceChildren(...messages.map((m) => el('div', { class: 'error' }, m)));
  }

  private renderExplain(): void {
    const c = this.state.value;
    const f = busbwFactor(c.collective, c.ranks);
    const formula = c.collective === 'all_reduce' ? '2(n−1)/n' : c.collective === 'broadcast' ? '1' : '(n−1)/n';
    this.explain.replaceChildren(
      el('strong', {}, 'Reading the numbers. '),
      `time = one ${c.collective} on the slowest rank, mean of ${c.iters} timed iterations after ${c.warmupIters} warm-up ones (min / median / p99 too). `,
      `algbw = S / time (GB/s, 10⁹ B). busbw = algbw × ${formula} = algbw × ${f.toFixed(4)} for n = ${c.ranks}: `,
      "the rate each rank's link must sustain, comparable across rank counts and with nccl-tests. ",
      '#wrong counts elements that differ from the CPU reference on any rank. ',
      'Every message is staged through host memory (GPU → MAP_READ buffer → SharedArrayBuffer → GPU), as NCCL does without GPUDirect. ',
      el('span', { 'data-testid': 'sizes' }, `Sizes: ${describeSizes(c.minBytes, c.maxBytes, c.stepFactor)}`),
    );
  }

  /**
   * Sets the comparison Run performs: `compare=` text (`ring,tree`, `ranks:4,ranks:8`), or with
   * `algosOnly` the `algos=` list (algorithm names only). Empty: one sweep of the settings.
   */
  setCompare(text: string, algosOnly = false): FieldError[] {
    const param = algosOnly ? 'algos' : 'compare';
    const parsed = algosOnly ? parseAlgos(text) : parseCompare(BENCH_TABLE, text);
    this.variants = parsed.variants;
    this.compareInput.value = algosOnly ? parsed.variants.map((v) => v.label).join(',') : text;
    this.state.setExtra('algos', null);
    this.state.setExtra('compare', null);
    this.state.setExtra(param, text.trim() || null);
    this.compareError.textContent = parsed.errors.map((e) => e.message).join(' ');
    return parsed.errors;
  }

  /**
   * Run: the comparison's sweeps when one is set, else one sweep of the current settings.
   * Whatever throws inside, the controls come back (guardedRun; issue 10, defect 1).
   */
  async run(): Promise<void> {
    if (this.current || !this.webgpuOk || this.gate.blocked !== null) return;
    await this.guarded<unknown>(() => (this.variants.length ? this.compareSweeps(this.variants) : this.runSweep(this.state.value)));
  }

  /** Runs one sweep per variant over the current settings; they overlay (kept until Clear). */
  async runComparison(variants: readonly Variant<BenchConfig>[]): Promise<SweepResult[]> {
    if (this.current) return [];
    return (await this.guarded(() => this.compareSweeps(variants))) ?? [];
  }

  private async guarded<T>(body: () => Promise<T>): Promise<T | undefined> {
    const r = await guardedRun({ setRunning: (on) => this.setRunning(on), showError: (m) => this.showMessages([m]) }, body);
    this.current = undefined;
    return r;
  }

  private async compareSweeps(variants: readonly Variant<BenchConfig>[]): Promise<SweepResult[]> {
    const out: SweepResult[] = [];
    const configs = variantConfigs(BENCH_TABLE, this.state.value, variants);
    const notes = configs.flatMap((c) => c.errors.map((e) => e.message));
    for (const [i, v] of configs.entries()) {
      const r = await this.runSweep(v.config, `Sweep ${i + 1} of ${configs.length} (${v.label}): `, notes);
      if (!r) break;
      out.push(r);
      if (r.status !== 'done') break;
    }
    return out;
  }

  /** Every kept sweep, oldest first (until Clear). */
  get results(): readonly RunRecord[] {
    return this.runs;
  }

  /**
   * Copies the link and says so; the link is shown in any case, so it can be copied by hand
   * where the clipboard is refused (plain HTTP, no permission) (issue 10, defect 6).
   */
  private async copyLink(): Promise<void> {
    const link = location.origin + this.state.href();
    let copied = false;
    try {
      if (navigator.clipboard) {
        await navigator.clipboard.writeText(link);
        copied = true;
      }
    } catch {
      copied = false;
    }
    const shown = el('input', { type: 'text', readonly: true, value: link, 'data-testid': 'copied-link', class: 'copied-link' });
    this.status.replaceChildren(
      el('div', {}, copied ? 'Link copied to the clipboard:' : 'The clipboard is not available here (it needs HTTPS and permission); select the link and copy it:'),
      shown,
    );
    shown.select();
  }

  /** Clears every kept sweep, the charts, table, fits and the animation. */
  clear(): void {
    if (this.current) return;
    this.animation.clear();
    this.runs.length = 0;
    this.table.clear();
    this.bw.clear();
    this.time.clear();
    this.fits.clear();
    this.showMessages([]);
  }

  /** Runs one sweep of `c`; resolves with its result when it ends (undefined: not started). */
  private async runSweep(c: BenchConfig, prefix = '', notes: string[] = []): Promise<SweepResult | undefined> {
    if (this.current) return undefined;
    let linkOf: SweepRequest['linkOf'];
    try {
      linkOf = emulatedLinks(c, c.ranks, c.scaled ? this.flopsPerS() : null).linkOf;
    } catch (e) {
      this.showMessages([`${prefix}${String(e instanceof Error ? e.message : e)}`, ...notes]);
      return undefined;
    }
    const req: SweepRequest = { ...sweepRequestFromConfig(c), ...(linkOf ? { linkOf } : {}) };
    const sizes = sweepSizes(c.minBytes, c.maxBytes, c.stepFactor);
    const total = sizes.length;
    this.progress.value = 0;
    const predicted = predictSweep(req, sizes).totalS;
    this.showMessages([
      `${prefix}starting ${c.ranks} ranks…`,
      ...notes,
      ...(predicted > 5 ? [`The emulated link alone will take about ${formatDurationHuman(predicted)} for this sweep (α-β model); Cancel stops it at any time.`] : []),
    ]);
    let series: [number, number] | undefined;
    const id: SweepIdentity = { collective: c.collective, algorithm: c.algo, ranks: c.ranks, root: c.root, ...(req.ranksPerNode ? { ranksPerNode: req.ranksPerNode } : {}) };
    let fit: AlgorithmFit | undefined;
    const baseLabel = `${c.algo} · ${c.ranks} ranks · ${c.collective}${c.link !== 'none' ? ` · ${c.link}` : ''}`;
    let label = baseLabel;
    const run = new SweepRun(req, {
      onEnvironment: (env) => {
        label = `${baseLabel} · ${env.adapterLabel}`;
        series = [this.bw.addSeries(label), this.time.addSeries(label)];
        this.table.startRun(label);
        this.table.setFloor(env.floor);
        this.floorPanel.setFloor(env.floor);
        this.refreshLink();
        this.showMessages([
          `${prefix}running on ${env.adapterLabel}${env.isFallbackAdapter ? ' — a software adapter: figures are not GPU figures' : ''}`,
          ...(predicted > 5 ? [`Emulated link: about ${formatDurationHuman(predicted)} in all (α-β model).`] : []),
        ]);
      },
      onRow: (row, i) => {
        this.table.addRow(row, (column) => this.fits.explain(row, column, id, fit));
        if (series) {
          this.bw.addRow(series[0], row);
          this.time.addRow(series[1], row);
        }
        this.progress.value = (i + 1) / total;
      },
    });
    this.current = run;
    const result = await run.result;
    this.current = undefined;
    // The summary below (fit, model line, animation, fit panel, report) runs in tasks of its own,
    // not inside the worker message that resolved the run (issue 8: main-thread tasks ≤ 50 ms).
    await yieldToPage();
    this.runs.push({ label, config: { ...c }, ...(result.environment ? { environment: result.environment } : {}), result });
    if (result.status === 'done') {
      this.progress.value = 1;
      const f = await sliced(fitSweepSteps(id, result.rows));
      if (result.rows.length) {
        await yieldToPage();
        this.animation.show(id, result.rows.at(-1)!.bytes, 'error' in f ? undefined : { alphaS: f.alphaS, betaSPerByte: f.betaSPerByte, gammaSPerByte: f.gammaSPerByte ?? 0 });
      }
      if (!('error' in f) && series) {
        await yieldToPage();
        fit = f;
        await this.fits.add({ label, id, fit: f, minBytes: result.rows[0]!.bytes, maxBytes: result.rows.at(-1)!.bytes, link: interconnectKey(c) });
        const xs = Array.from({ length: 41 }, (_, k) => c.minBytes * (c.maxBytes / c.minBytes) ** (k / 40));
        const nStar = f.nStarBytes;
        const model = await sliced(mapSteps(xs, (x) => ({ x, y: f.predictS(x) * 1e6 })));
        this.time.addModel(
          series[1],
          `model: ${c.algo}, α ${(f.alphaS * 1e6).toPrecision(3)} µs, 1/β ${(1 / f.betaSPerByte / 1e9).toPrecision(3)} GB/s`,
          model,
          nStar >= c.minBytes && nStar <= c.maxBytes ? { x: nStar, y: f.predictS(nStar) * 1e6, label: `n* = α/β = ${formatBytes(nStar)} (${c.algo})` } : undefined,
        );
      }
      await yieldToPage();
      // The CLI's footer lines, so both say "Out of bounds values" with nccl-tests' meaning.
      this.table.setFooter(formatFooter(result.rows).slice(0, 2).join('   '));
      this.showMessages([
        `Done: ${result.rows.length} sizes (${label}). Avg bus bandwidth ${result.avgBusbwGBps.toPrecision(4)} GB/s. ${this.runs.length} sweep(s) kept until Clear.`,
        ...notes,
      ]);
      console.info(
        formatReport(
          {
            ranks: c.ranks,
            collective: c.collective,
            algorithm: c.algo,
            adapter: result.environment?.adapterLabel ?? '?',
            minBytes: c.minBytes,
            maxBytes: c.maxBytes,
            stepFactor: c.stepFactor,
            iters: c.iters,
            warmupIters: c.warmupIters,
            check: c.check,
            placement: c.placement,
            average: c.average,
          },
          result.rows,
        ),
      );
    } else if (result.status === 'cancelled') {
      this.showMessages([`Cancelled after ${result.rows.length} of ${total} sizes; every worker and buffer was freed.`]);
    } else {
      this.showMessages([`Run failed: ${result.error ?? 'unknown error'}`]);
    }
    return result;
  }

  private setRunning(running: boolean): void {
    this.runBtn.disabled = running || !this.webgpuOk || this.gate.blocked !== null;
    this.cancelBtn.disabled = !running;
    for (const c of this.controls) c.setDisabled(running);
  }
}

/** `algos=ring,tree`: one sweep per algorithm name; unknown names are named with the allowed ones. */
function parseAlgos(text: string): { variants: Variant<BenchConfig>[]; errors: FieldError[] } {
  const allowed: readonly string[] = ALGORITHMS;
  const variants: Variant<BenchConfig>[] = [];
  const errors: FieldError[] = [];
  for (const name of text
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '')) {
    if (allowed.includes(name)) variants.push({ label: name, patch: { algo: name as BenchConfig['algo'] } });
    else errors.push({ field: 'algos', value: name, message: `algos: unknown algorithm '${name}'; allowed: ${allowed.join(', ')}` });
  }
  return { variants, errors };
}
