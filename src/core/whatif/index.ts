/**
 * The what-if at datacenter scale (DESIGN.md §8): `projectWhatIf(config, context)` turns the
 * typed config (config.ts: the panel, its URL and `npm run whatif` share it) into rows per GPU
 * count and algorithm, the named answers and the crossovers. Pure.
 */
import { LINK_PRESETS, type LinkSpec } from '../link';
import { ALGORITHMS, type Algorithm } from '../schedule/types';
import { MAX_GPUS, type WhatIfConfig } from './config';
import { checkFits, describeFabric, fabricCapacity, type Fabric } from './fabric';
import { GPU_TRAINING } from './gpus';
import { minGpusToFit, type ZeroStage } from './memory';
import {
  adamBytesPerParam,
  formatParamCount,
  MODEL_PRESETS,
  parseParamCount,
  TRANSFORMER_BACKWARD_FRACTION,
  transformerSampleS,
  type MeasuredModel,
  type ResolvedModel,
} from './models';
import { answers, checkInput, crossovers, projectRow, type Crossover, type WhatIfAnswers, type WhatIfInput, type WhatIfRow } from './project';

export * from './config';
export * from './models';
export * from './fabric';
export * from './memory';
export * from './project';
export { fabricAllReduceS } from './allreduce';
export { GPU_TRAINING } from './gpus';
export { linkFromNcclLog } from './nccl-fabric';

/** What the config cannot say by itself: a measured step, a fitted link. */
export interface WhatIfContext {
  /** The MLP just trained (model 'measured'), scaled to the real GPU. */
  measured?: MeasuredModel;
  /** The inter-node link fitted to nccl-tests output (link 'nccl-log'), with its source line. */
  ncclLink?: { link: LinkSpec; source: string };
}

export interface WhatIfProjection {
  model: ResolvedModel;
  fabric: Fabric;
  /** Where the inter-node link's numbers come from. */
  linkSource: string;
  input: WhatIfInput;
  /** GPU counts projected (the requested ones the fabric can connect, ascending). */
  gpus: number[];
  /** The chosen algorithm's rows. */
  rows: WhatIfRow[];
  /** Every algorithm's rows (hierarchical only with more than one GPU per node). */
  curves: { algorithm: Algorithm; rows: WhatIfRow[] }[];
  answers: WhatIfAnswers;
  crossovers: Crossover[];
  /** Things the reader must know (counts beyond the fabric, a replica that does not fit…). */
  notes: string[];
}

/** The model the config names, or why it cannot be used. */
export function resolveModel(config: WhatIfConfig, context: WhatIfContext = {}): ResolvedModel | { error: string } {
  const chip = GPU_TRAINING[config.gpu];
  if (config.model === 'measured') {
    const m = context.measured;
    if (!m) return { error: 'model measured: train first (the page projects the MLP it just trained); from the command line use a preset or --model custom' };
    const bytesPerGrad = config.bytesPerGrad ?? 4;
    return {
      id: 'measured',
      name: 'the MLP just trained',
      params: m.params,
      tokensPerSample: config.tokensPerSample ?? 1,
      bytesPerGrad,
      // SGD with momentum: one FP32 buffer per parameter.
      optimizerBytesPerParam: 4,
      computePerSampleS: m.computePerSampleS,
      backwardFraction: m.backwardFraction,
      tailS: m.tailS,
      computeNote: 'measured on this tab, scaled to the real GPU by the similarity ratio (FP32 peak: optimistic)',
    };
  }
  const preset = config.model === 'custom' ? null : MODEL_PRESETS[config.model];
  let params: number;
  if (preset) params = preset.params;
  else {
    const p = parseParamCount(config.params ?? '');
    if (typeof p !== 'number') return { error: `params: ${p.error}` };
    params = p;
  }
  const tokensPerSample = config.tokensPerSample ?? preset?.tokensPerSample ?? 2048;
  const bytesPerGrad = config.bytesPerGrad ?? 2;
  return {
    id: config.model,
    name: preset?.name ?? `custom (${formatParamCount(params)})`,
    params,
    tokensPerSample,
    bytesPerGrad,
    optimizerBytesPerParam: adamBytesPerParam(bytesPerGrad),
    computePerSampleS: transformerSampleS(params, tokensPerSample, chip.peakTensorFlops, config.mfu),
    backwardFraction: TRANSFORMER_BACKWARD_FRACTION,
    tailS: 0,
    computeNote: `6·P FLOPs per token × ${tokensPerSample} tokens at ${(config.mfu * 100).toFixed(0)} % MFU of ${(chip.peakTensorFlops / 1e12).toFixed(0)} TFLOP/s`,
  };
}

/** The inter-node link the config names. */
export function resolveInterLink(config: WhatIfConfig, context: WhatIfContext = {}): { link: LinkSpec; source: string } | { error: string } {
  if (config.link === 'nccl-log') {
    return context.ncclLink ?? { error: 'link nccl-log: no nccl-tests log was fitted (give --nccl-log FILE, or pick one on the page)' };
  }
  if (config.link === 'custom') {
    if (config.alphaUs === null || config.bandwidth === null) return { error: 'link custom needs --alpha-us and --bandwidth' };
    return { link: { alphaS: config.alphaUs / 1e6, bandwidthBytesPerS: config.bandwidth }, source: 'custom' };
  }
  const p = LINK_PRESETS[config.link];
  const link = { alphaS: config.alphaUs !== null ? config.alphaUs / 1e6 : p.alphaS, bandwidthBytesPerS: config.bandwidth ?? p.bandwidthBytesPerS };
  const overridden = config.alphaUs !== null || config.bandwidth !== null;
  return { link, source: `${p.name}${overridden ? ' (overridden)' : ''}: ${p.source}` };
}

/** The fabric the config describes around an inter-node link. */
export function fabricOf(config: WhatIfConfig, inter: LinkSpec): Fabric {
  const intra = LINK_PRESETS[config.intraLink];
  return {
    gpusPerNode: config.gpusPerNode,
    intra: { alphaS: intra.alphaS, bandwidthBytesPerS: intra.bandwidthBytesPerS },
    inter,
    kind: config.fabric,
    radix: config.radix,
    levels: config.levels,
    hopLatencyS: config.hopLatencyUs / 1e6,
    oversubscription: config.oversubscription,
  };
}

const MiB = 1024 * 1024;

/**
 * Projects the config: every algorithm at every requested GPU count, the chosen algorithm's
 * answers, the crossovers. Returns `{ error }` (naming the value and what is allowed) for
 * input that cannot be projected: no GPU count, a GPU count of 0, radix 1, oversubscription
 * below 1, a model that does not fit even fully sharded on the most GPUs asked for.
 */
export function projectWhatIf(config: WhatIfConfig, context: WhatIfContext = {}): WhatIfProjection | { error: string } {
  const model = resolveModel(config, context);
  if ('error' in model) return model;
  const inter = resolveInterLink(config, context);
  if ('error' in inter) return inter;
  const fabric = fabricOf(config, inter.link);
  const chip = GPU_TRAINING[config.gpu];
  if (!ZERO_OK(config.zero)) return { error: `zero: ${config.zero} is not a ZeRO stage; allowed 0, 1, 2, 3` };
  const input: WhatIfInput = {
    params: model.params,
    tokensPerSample: model.tokensPerSample,
    bytesPerGrad: model.bytesPerGrad,
    optimizerBytesPerParam: model.optimizerBytesPerParam,
    computePerSampleS: model.computePerSampleS,
    backwardFraction: model.backwardFraction,
    tailS: model.tailS,
    gpuMemoryBytes: chip.memoryBytes,
    fabric,
    bucketBytes: config.bucketMb * MiB,
    overlap: config.overlap === 'on',
    scaling: config.scaling,
    globalBatch: config.globalBatch,
    perGpuBatch: config.perGpuBatch,
    zero: config.zero as ZeroStage,
  };
  try {
    checkInput(input, config.gpus);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  const notes: string[] = [];
  const requested = [...new Set(config.gpus)].sort((a, b) => a - b);
  const cap = fabricCapacity(fabric);
  const gpus = requested.filter((n) => n <= cap);
  if (gpus.length < requested.length) {
    notes.push(`${requested.filter((n) => n > cap).join(', ')} GPUs do not fit this fabric (it connects at most ${cap.toLocaleString('en-US')}): not projected`);
  }
  if (gpus.length === 0) return { error: `none of the GPU counts fits: ${describeFabric(fabric)}` };
  const largest = gpus[gpus.length - 1]!;
  const at = config.at ?? largest;
  try {
    checkFits(fabric, at);
  } catch (e) {
    return { error: `at: ${e instanceof Error ? e.message : String(e)}` };
  }
  const full = minGpusToFit(input, 3, chip.memoryBytes);
  if (full === null || full > largest) {
    const need = model.params * (2 * model.bytesPerGrad + model.optimizerBytesPerParam);
    return {
      error: `${model.name} does not fit even fully sharded: weights, gradients and optimizer state take ${decimalBytes(need)}; ZeRO-3 over ${largest.toLocaleString('en-US')} GPUs leaves ${decimalBytes(need / largest)} per GPU, more than the ${(chip.memoryBytes / 1e9).toFixed(0)} GB of a ${config.gpu.toUpperCase()}; it needs at least ${full?.toLocaleString('en-US') ?? 'more'} GPUs (activations not counted)`,
    };
  }
  const algorithms = ALGORITHMS.filter((a) => a !== 'hierarchical' || fabric.gpusPerNode > 1);
  const curves = algorithms.map((algorithm) => ({ algorithm, rows: gpus.map((n) => projectRow(input, algorithm, n)) }));
  const chosen = curves.find((c) => c.algorithm === config.algo);
  if (!chosen) return { error: `algo: hierarchical needs more than one GPU per node (gpus-per-node ${config.gpusPerNode})` };
  const mine = minGpusToFit(input, input.zero, chip.memoryBytes);
  if (mine === null || mine > 1) {
    notes.push(
      mine === null
        ? `with ZeRO-${input.zero} a replica does not fit in ${(chip.memoryBytes / 1e9).toFixed(0)} GB at any GPU count: see what ZeRO-1/2/3 would need`
        : `with ZeRO-${input.zero} the model fits from ${mine.toLocaleString('en-US')} GPUs; fewer are not projected as runs`,
    );
  }
  if (config.scaling === 'strong' && largest > config.globalBatch)
    notes.push(`beyond ${config.globalBatch} GPUs the global batch of ${config.globalBatch} samples leaves GPUs idle`);
  return {
    model,
    fabric,
    linkSource: inter.source,
    input,
    gpus,
    rows: chosen.rows,
    curves,
    answers: answers(input, config.algo, at, Math.min(MAX_GPUS, Math.max(largest, at))),
    crossovers: crossovers(curves),
    notes,
  };
}

/** Decimal bytes: 1.61e13 → "16.1 TB". */
export function decimalBytes(bytes: number): string {
  for (const [u, f] of [
    ['TB', 1e12],
    ['GB', 1e9],
    ['MB', 1e6],
    ['kB', 1e3],
  ] as const)
    if (bytes >= f) return `${Number((bytes / f).toPrecision(3))} ${u}`;
  return `${Math.round(bytes)} B`;
}

function ZERO_OK(z: number): boolean {
  return z === 0 || z === 1 || z === 2 || z === 3;
}
