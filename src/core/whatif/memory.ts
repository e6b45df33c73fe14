/**
 * Memory per GPU for data parallelism with ZeRO sharding, as the Ultra-Scale Playbook
 * (Hugging Face, 2025, "ZeRO (Zero Redundancy Optimizer)") counts it, with Ψ parameters:
 *   DP:     2Ψ + 2Ψ + kΨ          (BF16 parameters, BF16 gradients, k bytes of optimizer state)
 *   ZeRO-1: 2Ψ + 2Ψ + kΨ/N
 *   ZeRO-2: 2Ψ + (2Ψ + kΨ)/N
 *   ZeRO-3: (2Ψ + 2Ψ + kΨ)/N
 * with k = 12 for mixed-precision Adam (FP32 master weights and two FP32 moments). Here the 2
 * is the bytes per gradient element (BF16 2, FP32 4; parameters are kept in the same type).
 * Activations are not counted (they depend on batch, sequence and recomputation).
 *
 * Communication per step, in bytes each GPU sends (Playbook, same section): DP and ZeRO-1/2
 * move what one all-reduce of the gradients moves (ZeRO-1/2 replace it by a reduce-scatter of
 * the gradients and an all-gather of the parameters: the same volume); ZeRO-3 adds an
 * all-gather of the parameters in the backward pass, 3Ψ instead of 2Ψ: 1.5×.
 */

export const ZERO_STAGES = [0, 1, 2, 3] as const;
export type ZeroStage = (typeof ZERO_STAGES)[number];

export interface MemoryInput {
  params: number;
  bytesPerGrad: number;
  /** Optimizer state bytes per parameter (k). */
  optimizerBytesPerParam: number;
}

export interface MemoryBreakdown {
  stage: ZeroStage;
  paramsBytes: number;
  gradsBytes: number;
  optimizerBytes: number;
  totalBytes: number;
  /** Communication per step relative to one all-reduce of the gradients. */
  commFactor: number;
}

/** Memory per GPU at `stage` on n GPUs (Playbook formulas above). */
export function zeroMemory(m: MemoryInput, stage: ZeroStage, n: number): MemoryBreakdown {
  if (!Number.isInteger(n) || n < 1) throw new Error(`GPU count must be an integer ≥ 1, got ${n}`);
  const p = m.params * m.bytesPerGrad;
  const g = m.params * m.bytesPerGrad;
  const o = m.params * m.optimizerBytesPerParam;
  const paramsBytes = stage >= 3 ? p / n : p;
  const gradsBytes = stage >= 2 ? g / n : g;
  const optimizerBytes = stage >= 1 ? o / n : o;
  return { stage, paramsBytes, gradsBytes, optimizerBytes, totalBytes: paramsBytes + gradsBytes + optimizerBytes, commFactor: stage === 3 ? 1.5 : 1 };
}

/**
 * The fewest GPUs at which `stage` fits in `memoryBytes`, or null when no count does (DP
 * never shards; ZeRO-1/2 keep their unsharded part on every GPU).
 */
export function minGpusToFit(m: MemoryInput, stage: ZeroStage, memoryBytes: number): number | null {
  const at1 = zeroMemory(m, stage, 1);
  const fixed = (stage >= 3 ? 0 : at1.paramsBytes) + (stage >= 2 ? 0 : at1.gradsBytes) + (stage >= 1 ? 0 : at1.optimizerBytes);
  const sharded = at1.totalBytes - fixed;
  if (fixed >= memoryBytes) return null;
  if (sharded === 0) return 1;
  return Math.max(1, Math.ceil(sharded / (memoryBytes - fixed) - 1e-12));
}
