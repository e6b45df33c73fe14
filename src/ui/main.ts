/**
 * The page: checks for WebGPU, restores the experiment from the URL (naming every invalid
 * parameter), and mounts the benchmark and training tabs. Only the active tab reads the URL;
 * switching tabs writes the new tab's state into it.
 */
import { isWhatIfParam } from '../core/whatif';
import './style.css';
import { BENCH_TABLE, TRAIN_TABLE, parsePageParams, serializePageParams } from '../core/config';
import { NO_WEBGPU_HELP, adapterLabel, isSoftwareAdapter } from '../core/adapter';
import { probeGpu } from '../cluster/probe';
import { BenchView } from './bench-view';
import { el } from './dom';
import { applyPresentation, pushKeyHandlers } from './presenter';
import { TrainView } from './train-view';
import { LessonsView } from './lessons/lessons-view';
import { UrlState, setPageParams, tabFromUrl, type Tab } from './url-state';

async function main(): Promise<void> {
  const app = document.getElementById('app')!;
  const banner = el('div', { class: 'banner', 'data-testid': 'env' }, 'Checking WebGPU…');
  const { tab, error: tabError } = tabFromUrl(location.search);
  const { page, errors: pageErrors } = parsePageParams(new URLSearchParams(location.search));
  // Every link the page writes carries this GPU's FLOP/s (flops=), so it reproduces a scaled link.
  let pinnedFlops: () => number | null = () => page.flops;
  setPageParams(() => serializePageParams({ ...page, flops: pinnedFlops() }));
  applyPresentation(page);
  const tabs = el('nav', { class: 'tabs', 'data-part': 'tabs' });
  app.append(
    el(
      'header',
      { 'data-part': 'header' },
      el('h1', {}, 'ringlab'),
      el('span', { class: 'tagline' }, 'a GPU cluster in a browser tab: Web Workers as GPUs, real WebGPU compute, real collectives'),
      banner,
    ),
    tabs,
  );
  const probe = await probeGpu('page.probe');
  let webgpuOk = false;
  /** Why Run is disabled, in words for beside the button (null: it is not). */
  let blocked: string | null = null;
  let flopsPerS: number | null = null;
  pinnedFlops = () => flopsPerS;
  let measure: Promise<void> = Promise.resolve();
  if (!probe.ok) {
    banner.classList.add('bad');
    banner.textContent = probe.reason === 'no-webgpu' ? NO_WEBGPU_HELP : `${probe.message}`;
    blocked =
      probe.reason === 'no-webgpu' ? 'Disabled: this browser has no WebGPU (use Chrome or Edge 113+, or Chromium with --enable-unsafe-webgpu).' : `Disabled: ${probe.message}`;
  } else {
    webgpuOk = crossOriginIsolated;
    const a = probe.adapter;
    banner.textContent = `Adapter: ${adapterLabel(a)}${isSoftwareAdapter(a) ? ' (software: figures are not GPU figures)' : ''} · cross-origin isolated: ${crossOriginIsolated ? 'yes' : 'NO: SharedArrayBuffer unavailable, serve with COOP/COEP headers'} · timestamp-query: ${probe.hasTimestamps ? 'yes' : 'no'}`;
    if (!crossOriginIsolated) {
      banner.classList.add('bad');
      blocked = `Disabled: the page is not cross-origin isolated, so SharedArrayBuffer (the ranks' links) is unavailable. ${isSecureContext ? 'The host must send COOP/COEP headers, or let the service worker add them (reload once).' : 'This is not a secure context (plain HTTP on a non-localhost address): serve it over HTTPS.'}`;
    }
    // This GPU's FLOP/s sets the similarity ratio of scaled links; measured once, in the background,
    // unless the URL pins it (flops=): every link the page writes carries it (issue 10, defect 6).
    if (page.flops !== null) {
      flopsPerS = page.flops;
      banner.append(` · FLOP/s pinned by the link: ${(page.flops / 1e9).toPrecision(4)} GFLOP/s (similarity ratio basis)`);
      void probe.flops.catch(() => undefined);
    } else {
      measure = probe.flops
        .then((m) => {
          // Rounded as the link will carry it, so this page and the link's reader use the same ratio.
          flopsPerS = Number(m.flopsPerS.toPrecision(4));
          banner.append(` · matmul ${(m.flopsPerS / 1e9).toPrecision(3)} GFLOP/s (${m.size}³, similarity ratio basis; pinned in every link as flops=)`);
        })
        .catch((e: unknown) => console.warn('FLOP/s measurement failed', e));
    }
  }
  const searchFor = (t: 'bench' | 'train'): string => (t === tab ? location.search : '');
  const benchState = new UrlState(BENCH_TABLE, 'bench', searchFor('bench'));
  const trainState = new UrlState(TRAIN_TABLE, 'train', searchFor('train'), (name) => !isWhatIfParam(name));
  // A software adapter's similarity ratio (about 1e-7) makes every scaled preset take hours:
  // unscaled unless the URL says scaled (issue 10, defect 6).
  const softwareNote: string[] = [];
  if (probe.ok && isSoftwareAdapter(probe.adapter)) {
    for (const st of [benchState, trainState] as const) {
      if (!new URLSearchParams(st === benchState ? searchFor('bench') : searchFor('train')).has('scaled')) st.adjust({ scaled: false });
    }
    softwareNote.push(
      'Software adapter: links are applied unscaled by default (scaled by the similarity ratio of about 1e-7, every preset would take hours); tick "scale to GPU" or add scaled=true to compare ratios.',
    );
  }
  const bench = new BenchView(benchState, webgpuOk, () => flopsPerS);
  const train = new TrainView(trainState, webgpuOk, () => flopsPerS);
  if (blocked) for (const v of [bench, train]) v.blockRun(blocked);
  else if (webgpuOk && page.flops === null) {
    // Run waits for the FLOP/s measurement: before it, a scaled link would run unscaled.
    for (const v of [bench, train]) v.blockRun('Measuring this GPU (matmul FLOP/s for the similarity ratio)…', true);
    void measure.then(() => {
      for (const v of [bench, train]) v.unblockRun();
    });
  }
  const lessons = new LessonsView({ search: tab === 'lessons' ? location.search : '', webgpuOk, blocked, present: page.present, autorun: page.autorun });
  void measure.then(() => {
    bench.refreshLink();
    train.refreshLink();
  });
  const views: Record<Tab, { root: HTMLElement; href(): string; label: string }> = {
    bench: { root: bench.root, href: () => benchState.href(), label: 'Benchmark (nccl-tests)' },
    train: { root: train.root, href: () => trainState.href(), label: 'Data-parallel training' },
    lessons: { root: lessons.root, href: () => lessons.href(), label: 'Lessons' },
  };
  const buttons = (Object.keys(views) as Tab[]).map((t) => el('button', { 'data-tab': t, 'data-testid': `tab-${t}`, onclick: () => show(t) }, views[t].label));
  tabs.append(...buttons);
  function show(t: Tab): void {
    for (const [k, v] of Object.entries(views)) v.root.hidden = k !== t;
    for (const b of buttons) b.classList.toggle('active', b.dataset.tab === t);
    history.replaceState(null, '', views[t].href());
  }
  app.append(bench.root, train.root, lessons.root);
  show(tab);
  let shown = tab;
  const order = Object.keys(views) as Tab[];
  const step = (d: number): void => {
    shown = order[(order.indexOf(shown) + d + order.length) % order.length]!;
    show(shown);
  };
  const active = (): BenchView | TrainView => (shown === 'bench' ? bench : train);
  for (const b of buttons) b.addEventListener('click', () => (shown = b.dataset.tab as Tab));
  // Keyboard: → / ← switch tabs, r runs, c clears; an open lesson takes → / ← / r over these.
  const tabKeys = { next: () => step(1), prev: () => step(-1), run: () => void active().run(), clear: () => active().clear() };
  pushKeyHandlers(tabKeys);
  lessons.takeKeys(tabKeys);
  if (tab === 'lessons') {
    // The lessons tab reads lesson= and step= itself, and runs on its own (autorun=1).
    lessons.addMessages([...(tabError ? [tabError.message] : []), ...pageErrors.map((e) => e.message)]);
    void measure.then(() => lessons.ready());
    (window as unknown as { ringlab: unknown }).ringlab = { bench, train, lessons, page };
    return;
  }
  const state = tab === 'bench' ? benchState : trainState;
  const view = tab === 'bench' ? bench : train;
  const compareErrors = page.algos !== null && tab === 'bench' ? bench.setCompare(page.algos, true) : page.compare !== null ? view.setCompare(page.compare) : [];
  if (page.algos !== null && tab !== 'bench')
    pageErrors.push({
      field: 'algos',
      value: page.algos,
      message: `algos: only the bench tab takes a list of algorithms; on the training tab write compare=algo:${page.algos.split(',')[0]},…`,
    });
  const messages = [...(tabError ? [tabError.message] : []), ...pageErrors.map((e) => e.message), ...state.errors.map((e) => e.message), ...compareErrors.map((e) => e.message)];
  if (messages.length || softwareNote.length) view.showMessages([...messages, ...softwareNote]);
  (window as unknown as { ringlab: unknown }).ringlab = { bench, train, lessons, page };
  // autorun=1: start once the FLOP/s measurement (which scaled links need) is in.
  if (page.autorun && webgpuOk) void measure.then(async () => void (await view.run()));
  else if (page.autorun) view.showMessages([...messages, 'autorun=1: not started, Run is disabled (see the reason beside it).']);
}

void main();
