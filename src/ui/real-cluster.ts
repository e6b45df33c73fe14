/**
 * "Run it on a real cluster" on both tabs (DESIGN.md §8): the training tab downloads the
 * experiment as a PyTorch DDP program and loads its report back; the benchmark tab downloads
 * the nccl-tests command lines and the torch.distributed sweep (its JSON comes back through
 * "Compare with a real cluster").
 */
import ddpTemplate from '../../python/ringlab_ddp.py?raw';
import collectivesScript from '../../python/ringlab_collectives.py?raw';
import type { BenchConfig, TrainConfig } from '../core/config';
import { benchCommandsText } from '../core/export/bench-export';
import { ddpExportConfig, ddpRunHint, ddpScript } from '../core/export/ddp-export';
import { ddpReportLabel, parseDdpReport, type DdpReport } from '../core/export/ddp-report';
import { download, el } from './dom';

/** Training tab: export the DDP program; load a DDP report (handed to `onReport`). */
export class DdpPanel {
  readonly root: HTMLElement;
  private readonly status = el('div', { class: 'hint', role: 'status', 'data-testid': 'ddp-status' });

  constructor(config: () => TrainConfig, onReport: (r: DdpReport) => void) {
    const file = el('input', { type: 'file', accept: '.json,application/json', 'data-testid': 'ddp-report-file' });
    file.addEventListener('change', () => {
      const f = file.files?.[0];
      if (f) void f.text().then((text) => this.load(f.name, text, onReport));
      file.value = '';
    });
    this.root = el(
      'details',
      { class: 'real-cluster', 'data-testid': 'ddp-panel' },
      el('summary', {}, 'Run it on a real cluster (PyTorch DDP)'),
      el(
        'p',
        { class: 'hint' },
        'The same MLP, initial weights, data set, shards, loss, SGD with momentum and gradient buckets as a PyTorch DistributedDataParallel program. Run it with torchrun on GPUs (NCCL) or CPUs (gloo), then load its report to overlay its loss and step time here.',
      ),
      el(
        'div',
        { class: 'buttons' },
        el('button', { 'data-testid': 'ddp-export', onclick: () => this.export(config()) }, 'Download ringlab_ddp.py'),
        el('label', { class: 'control' }, el('span', { class: 'control-name' }, 'load a DDP report'), file),
      ),
      this.status,
    );
  }

  private export(c: TrainConfig): void {
    download('ringlab_ddp.py', ddpScript(ddpTemplate, ddpExportConfig(c)), 'text/x-python');
    this.status.replaceChildren(...ddpRunHint('.').map((l) => el('div', {}, el('code', {}, l))));
  }

  /** Parses a report (also for tests); shows the problem, or hands the report on. */
  load(name: string, text: string, onReport: (r: DdpReport) => void): DdpReport | { error: string } {
    const r = parseDdpReport(text);
    if ('error' in r) this.status.replaceChildren(el('div', { class: 'error' }, `${name}: ${r.error}`));
    else {
      this.status.textContent = `${name}: ${ddpReportLabel(r)}, ${r.losses.length} steps, final loss ${r.losses.at(-1)!.toFixed(4)}; replicas ${new Set(r.paramHashes).size === 1 ? 'identical' : 'DIFFER'}.`;
      onReport(r);
    }
    return r;
  }
}

/** Benchmark tab: download commands.txt and ringlab_collectives.py for the current sweep. */
export function benchExportButton(config: () => BenchConfig): HTMLElement {
  return el(
    'button',
    {
      'data-testid': 'bench-export',
      title:
        'commands.txt: nccl-tests command lines (mpirun, srun, torchrun) for this sweep; ringlab_collectives.py: the same sweep on torch.distributed. Load their JSON with "Compare with a real cluster".',
      onclick: () => {
        download('commands.txt', benchCommandsText(config()), 'text/plain');
        download('ringlab_collectives.py', collectivesScript, 'text/x-python');
      },
    },
    'Run it on a real cluster',
  );
}
