/**
 * The page the CLI drives (runner.html): no UI, no chart.js. It exposes `window.ringlabRunner`
 * (RunnerApi) and streams sweep progress to the Node function the CLI exposed under
 * RUNNER_EVENT_FN; without it (a person opening the page), progress goes to the console.
 */
import { SweepRun, type SweepResult } from '../cluster/sweep';
import { ScalingRun, type ScalingRequest, type ScalingResult } from '../cluster/scaling';
import { linkOfFromConfig } from '../cluster/link-of';
import { RUNNER_EVENT_FN, type RunnerApi, type RunnerEvent, type RunnerRequest, type TrainRunnerEvent, type WebGpuProbe } from './runner-protocol';

let current: SweepRun | ScalingRun | undefined;

function emit(event: RunnerEvent | TrainRunnerEvent): void {
  const fn = (window as unknown as Record<string, unknown>)[RUNNER_EVENT_FN];
  if (typeof fn === 'function') void (fn as (e: RunnerEvent | TrainRunnerEvent) => Promise<void>)(event);
  else console.log(`ringlab ${event.kind} ${JSON.stringify(event)}`);
}

/** Asks for an adapter only (no device): enough to tell "no WebGPU" from "WebGPU works". */
async function probeWebGpu(): Promise<WebGpuProbe> {
  const gpu = navigator.gpu;
  if (!gpu) return { ok: false, reason: 'navigator.gpu is missing (no WebGPU in this browser or context)' };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { ok: false, reason: 'navigator.gpu.requestAdapter() returned no adapter' };
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const name = [info.vendor, info.architecture || info.device || info.description].filter(Boolean).join(' ') || 'unknown adapter';
  return { ok: true, adapter: name, isFallback: Boolean(info.isFallbackAdapter) || /swiftshader/i.test(name) };
}

async function runSweep(request: RunnerRequest): Promise<SweepResult> {
  if (current) throw new Error('a sweep is already running in this page');
  const { link, ...rest } = request;
  const linkOf = linkOfFromConfig(link, request.ranks);
  const run = new SweepRun(
    { ...rest, ...(linkOf ? { linkOf } : {}) },
    {
      onEnvironment: (environment) => emit({ kind: 'environment', environment }),
      onRow: (row, index, total) => emit({ kind: 'row', row, index, total }),
    },
  );
  current = run;
  try {
    return await run.result;
  } finally {
    current = undefined;
  }
}

async function runTraining(request: ScalingRequest): Promise<ScalingResult> {
  if (current) throw new Error('a run is already going in this page');
  const run = new ScalingRun(request, {
    onEnvironment: (environment) => emit({ kind: 'environment', environment }),
    onRunStart: (ranks, index, total) => emit({ kind: 'train-run', ranks, index, total }),
    onStep: (record, total) => emit({ kind: 'train-step', record, total }),
    onPoint: (point) => emit({ kind: 'train-point', point }),
  });
  current = run;
  try {
    return await run.result;
  } finally {
    current = undefined;
  }
}

const api: RunnerApi = { probeWebGpu, runSweep, runTraining, cancel: () => current?.cancel() };
(window as unknown as { ringlabRunner: RunnerApi }).ringlabRunner = api;
