/**
 * The page: checks for WebGPU, restores the experiment from the URL (naming every invalid
 * parameter), and mounts the tab it asks for.
 */
import './style.css';
import { BENCH_TABLE } from '../core/config';
import { NO_WEBGPU_HELP, adapterLabel, requestDevice } from '../gpu/device';
import { BenchView } from './bench-view';
import { el } from './dom';
import { UrlState, tabFromUrl } from './url-state';

async function main(): Promise<void> {
  const app = document.getElementById('app')!;
  const banner = el('div', { class: 'banner', 'data-testid': 'env' }, 'Checking WebGPU…');
  const { tab, error: tabError } = tabFromUrl(location.search);
  app.append(
    el(
      'header',
      {},
      el('h1', {}, 'ringlab'),
      el('span', { class: 'tagline' }, 'a GPU cluster in a browser tab: Web Workers as GPUs, real WebGPU compute, real collectives'),
      banner,
    ),
  );
  const probe = await requestDevice('page.probe');
  let webgpuOk = false;
  if (!probe.ok) {
    banner.classList.add('bad');
    banner.textContent = probe.reason === 'no-webgpu' ? NO_WEBGPU_HELP : `${probe.message}`;
  } else {
    webgpuOk = true;
    const a = probe.adapter;
    banner.textContent = `Adapter: ${adapterLabel(a)} · cross-origin isolated: ${crossOriginIsolated ? 'yes' : 'NO (SharedArrayBuffer unavailable)'} · timestamp-query: ${probe.hasTimestamps ? 'yes' : 'no'}`;
    if (!crossOriginIsolated) {
      banner.classList.add('bad');
      webgpuOk = false;
    }
    probe.device.destroy();
  }
  void tab;
  const state = new UrlState(BENCH_TABLE, 'bench', location.search);
  const view = new BenchView(state, webgpuOk);
  app.append(view.root);
  const messages = [...(tabError ? [tabError.message] : []), ...state.errors.map((e) => e.message)];
  if (messages.length) view.showMessages(messages);
  (window as unknown as { ringlab: unknown }).ringlab = { bench: view };
}

void main();
