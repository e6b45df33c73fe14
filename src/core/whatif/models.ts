/**
 * Models the what-if can project: named transformer sizes, a custom one, and the MLP just
 * measured on the training tab. Training a dense transformer costs about 6·P FLOPs per token
 * (2·P forward, 4·P backward: Kaplan et al. 2020, "Scaling Laws for Neural Language Models",
 * §2.1; attention's extra FLOPs are ignored, a few percent at these sizes), timed at a model
 * FLOPs utilization (MFU) of the GPU's tensor peak.
 */

export const MODEL_IDS = ['measured', '124m', '1.3b', '8b', '70b', '405b', '1t', 'custom'] as const;
export type ModelId = (typeof MODEL_IDS)[number];
export type PresetModelId = Exclude<ModelId, 'measured' | 'custom'>;

export interface ModelPreset {
  name: string;
  params: number;
  /** Sequence length the model was trained with: tokens per sample. */
  tokensPerSample: number;
  source: string;
}

export const MODEL_PRESETS: Readonly<Record<PresetModelId, ModelPreset>> = {
  '124m': { name: 'GPT-2 small (124 M)', params: 124e6, tokensPerSample: 1024, source: 'Radford et al. 2019 (GPT-2); 124 M as counted by nanoGPT, context 1024' },
  '1.3b': { name: 'GPT-3 XL (1.3 B)', params: 1.3e9, tokensPerSample: 2048, source: 'Brown et al. 2020 (GPT-3), Table 2.1: 1.3 B, context 2048' },
  '8b': { name: 'Llama 3 8B', params: 8.03e9, tokensPerSample: 8192, source: 'Llama 3 Herd of Models (2024): 8.03 B, context 8192' },
  '70b': { name: 'Llama 3 70B', params: 70.6e9, tokensPerSample: 8192, source: 'Llama 3 Herd of Models (2024): 70.6 B, context 8192' },
  '405b': { name: 'Llama 3.1 405B', params: 405e9, tokensPerSample: 8192, source: 'Llama 3 Herd of Models (2024): 405 B, context 8192' },
  '1t': { name: '1 T (Megatron-LM)', params: 1.008e12, tokensPerSample: 2048, source: 'Narayanan et al. 2021 (Megatron-LM at scale, SC21), Table 1: 1,008 B, sequence 2048' },
};

/** Training FLOPs per token of a dense transformer: 6·P. */
export const FLOPS_PER_TOKEN_PER_PARAM = 6;
/** Share of those FLOPs in the backward pass: 4·P of 6·P. */
export const TRANSFORMER_BACKWARD_FRACTION = 2 / 3;

/**
 * Default MFU: Llama 3 (2024), Table 4: 38–43 % BF16 MFU training the 405 B model on 8,192 to
 * 16,384 H100s. PaLM (Chowdhery et al. 2022) reports 46.2 % on 6,144 TPU v4.
 */
export const DEFAULT_MFU = 0.4;
export const MFU_SOURCE = 'Llama 3 (2024) Table 4: 38–43 % BF16 MFU for the 405 B run on 8–16 K H100s; PaLM (2022): 46.2 %';

/** A measured step from the training tab, already scaled to the real GPU. */
export interface MeasuredModel {
  /** Parameters of the MLP. */
  params: number;
  /** Forward + backward of one sample on the real GPU, s (measured × similarity ratio). */
  computePerSampleS: number;
  /** Backward share of that compute, measured. */
  backwardFraction: number;
  /** Optimizer step after the all-reduce, s. */
  tailS: number;
}

/** The parts of a training calibration the what-if reads (src/rank/train-calibrate.ts). */
export interface CalibrationTimes {
  /** Forward time per layer, s, for the rank's batch. */
  fwdS: readonly number[];
  bwdS: readonly number[];
  optimizerS: number;
}

/**
 * A measured step as the what-if projects it: per-sample compute and optimizer time on this
 * GPU × `ratio` (the similarity ratio, this GPU's FLOP/s over the real GPU's peak), so the
 * durations are the real GPU's (at FP32 peak: optimistic).
 */
export function measuredModel(cal: CalibrationTimes, perRankBatch: number, params: number, ratio: number): MeasuredModel {
  const fwd = cal.fwdS.reduce((a, b) => a + b, 0);
  const bwd = cal.bwdS.reduce((a, b) => a + b, 0);
  return { params, computePerSampleS: ((fwd + bwd) / perRankBatch) * ratio, backwardFraction: bwd / (fwd + bwd), tailS: cal.optimizerS * ratio };
}

/** What the projection needs to know about a model, whatever its source. */
export interface ResolvedModel {
  id: ModelId;
  name: string;
  params: number;
  tokensPerSample: number;
  bytesPerGrad: number;
  /** Bytes of optimizer state per parameter (Adam with FP32 master weights: 12; FP32 Adam: 8). */
  optimizerBytesPerParam: number;
  computePerSampleS: number;
  backwardFraction: number;
  tailS: number;
  /** How compute was obtained, one line. */
  computeNote: string;
}

/** Forward + backward time of one sample: 6·P·T / (peak · MFU). */
export function transformerSampleS(params: number, tokensPerSample: number, peakFlops: number, mfu: number): number {
  if (!(params > 0)) throw new Error(`params must be positive, got ${params}`);
  if (!(mfu > 0 && mfu <= 1)) throw new Error(`mfu must be in (0, 1], got ${mfu}`);
  return (FLOPS_PER_TOKEN_PER_PARAM * params * tokensPerSample) / (peakFlops * mfu);
}

/**
 * Adam state per parameter (Ultra-Scale Playbook, "Memory usage in Transformers"): with mixed
 * precision (gradients under 4 bytes) an FP32 master copy plus two FP32 moments, 12 bytes;
 * in plain FP32 the two moments only, 8 bytes.
 */
export function adamBytesPerParam(bytesPerGrad: number): number {
  return bytesPerGrad < 4 ? 12 : 8;
}

const SUFFIX: Record<string, number> = { '': 1, k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

/** Reads a parameter count: 7e10, 70B, 1.3b, 124M, 1T. */
export function parseParamCount(text: string): number | { error: string } {
  const m = /^\s*((?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([kmbgt]?)\s*$/i.exec(text);
  const v = m ? Number(m[1]) * SUFFIX[m[2]!.toLowerCase()]! : NaN;
  if (!(v >= 1) || !Number.isFinite(v)) return { error: `'${text}' is not a parameter count ≥ 1 (e.g. 7e10, 70B, 1.3B, 124M)` };
  return Math.round(v);
}

/** 70.6e9 → "70.6 B". */
export function formatParamCount(p: number): string {
  const [d, u] = p >= 1e12 ? [1e12, 'T'] : p >= 1e9 ? [1e9, 'B'] : p >= 1e6 ? [1e6, 'M'] : p >= 1e3 ? [1e3, 'K'] : [1, ''];
  return `${Number((p / d).toPrecision(3))}${u ? ` ${u}` : ''}`;
}
