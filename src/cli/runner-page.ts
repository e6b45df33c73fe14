/**
 * The page the CLI drives (runner.html): no UI, no chart.js. It exposes `window.ringlabRunner`
 * (RunnerApi) and streams sweep progress to the Node function the CLI exposed under
 * RUNNER_EVENT_FN; without it (a person opening the page), progress goes to the console.
 */
import { Cluster } from '../cluster/cluster';
import { SweepRun, type SweepResult } from '../cluster/sweep';
import type { StageRates } from '../core/floor';
import { ScalingRun, type ScalingRequest, type ScalingResult } from '../cluster/scaling';
import { adapterName, describeAdapter, isSoftwareAdapter } from '../core/adapter';
import { defaults } from '../core/config';
import { emulatedLinks, LINK_FIELDS, type LinkConfig } from '../core/link';
import { RUNNER_EVENT_FN, toWire, type RunnerApi, type RunnerEvent, type RunnerRequest, type TrainRunnerEvent, type WebGpuProbe } from './runner-protocol';

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
  const a = describeAdapter(adapter);
  return { ok: true, adapter: adapterName(a), isFallback: isSoftwareAdapter(a) };
}

async function runSweep(request: RunnerRequest): Promise<SweepResult> {
  if (current) throw new Error('a sweep is already running in this page');
  const { link, ...rest } = request;
  const { linkOf } = emulatedLinks(link, request.ranks);
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

async function contendedStageRates(ranks: number, bytes: number, reps: number): Promise<StageRates[]> {
  if (current) throw new Error('a run is already going in this page');
  const cluster = await Cluster.create(ranks, { timeoutMs: 60_000 });
  try {
    return await cluster.contendedStageRates(bytes, reps);
  } finally {
    await cluster.destroy();
  }
}

const api: RunnerApi = { probeWebGpu, runSweep, runTraining, contendedStageRates, wire: toWire, cancel: () => current?.cancel() };
(window as unknown as { ringlabRunner: RunnerApi }).ringlabRunner = api;

/**
 * Autorun, for machines without Node (scripts/device/run.sh): `runner.html?autorun=<JSON plan,
 * URL-encoded>` (or `?autorun=<path of a JSON plan on this server>`) runs the plan's sweeps and
 * training studies one after another and POSTs each result to `/results/<index>.json`, the probe
 * to `/results/probe.json` first and a summary to `/results/done.json` last
 * (scripts/device/serve.py stores them). Link fields the plan leaves out take their defaults.
 */
interface AutorunPlan {
  label?: string;
  /** Post done.json right after the probe when the adapter is software (the caller retries). */
  stopIfFallback?: boolean;
  sweeps?: (Omit<RunnerRequest, 'link'> & { link?: Partial<LinkConfig> })[];
  training?: (Omit<ScalingRequest, 'link'> & { link?: Partial<LinkConfig> })[];
}

async function post(name: string, body: unknown): Promise<void> {
  await fetch(`/results/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).catch((e: unknown) =>
    console.error(`ringlab autorun: POST ${name} failed: ${String(e)}`),
  );
}

/** Adapter details beyond the probe: info fields, features and the limits that bound a sweep. */
async function adapterDetails(): Promise<Record<string, unknown> | null> {
  const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
  if (!adapter) return null;
  const i = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const l = adapter.limits;
  return {
    info: { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter },
    features: [...adapter.features].sort(),
    limits: { maxBufferSize: l.maxBufferSize, maxStorageBufferBindingSize: l.maxStorageBufferBindingSize, maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX },
  };
}

async function autorun(spec: string): Promise<void> {
  const t0 = performance.now();
  const started = new Date().toISOString();
  const items: { index: number; kind: 'sweep' | 'training'; status: string; ms: number; error?: string }[] = [];
  const summary = (status: string, extra: Record<string, unknown> = {}) => ({
    status,
    started,
    totalMs: performance.now() - t0,
    userAgent: navigator.userAgent,
    crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
    items,
    ...extra,
  });
  let plan: AutorunPlan;
  try {
    plan = spec.trim().startsWith('{') ? (JSON.parse(spec) as AutorunPlan) : ((await (await fetch(spec)).json()) as AutorunPlan);
  } catch (e) {
    return post('done.json', summary('bad-plan', { error: String(e) }));
  }
  const probe = await probeWebGpu();
  const adapter = await adapterDetails();
  await post('probe.json', { probe, adapter, userAgent: navigator.userAgent, label: plan.label });
  if (!probe.ok || (probe.isFallback && plan.stopIfFallback)) {
    return post('done.json', summary(probe.ok ? 'stopped-fallback' : 'no-webgpu', { probe, adapter, label: plan.label }));
  }
  const linkDefaults = defaults(LINK_FIELDS);
  const jobs = [
    ...(plan.sweeps ?? []).map((s) => ({ kind: 'sweep' as const, run: () => runSweep({ ...s, link: { ...linkDefaults, ...s.link } }), request: s })),
    ...(plan.training ?? []).map((t) => ({ kind: 'training' as const, run: () => runTraining({ ...t, link: { ...linkDefaults, ...t.link } }), request: t })),
  ];
  for (const [index, job] of jobs.entries()) {
    const t = performance.now();
    console.log(`ringlab autorun ${index + 1}/${jobs.length}: ${job.kind} ${JSON.stringify(job.request)}`);
    try {
      const result = await job.run();
      const ms = performance.now() - t;
      items.push({ index, kind: job.kind, status: result.status, ms, ...(result.error ? { error: result.error } : {}) });
      await post(`${index}.json`, { index, kind: job.kind, request: job.request, ms, result });
    } catch (e) {
      items.push({ index, kind: job.kind, status: 'threw', ms: performance.now() - t, error: String(e) });
      await post(`${index}.json`, { index, kind: job.kind, request: job.request, error: String(e) });
    }
    console.log(`ringlab autorun ${index + 1}/${jobs.length}: ${items.at(-1)!.status} in ${items.at(-1)!.ms.toFixed(0)} ms`);
  }
  await post('done.json', summary('done', { probe, adapter, label: plan.label }));
}

const autorunSpec = new URLSearchParams(location.search).get('autorun');
if (autorunSpec) void autorun(autorunSpec);
