/**
 * What a real GPU brings to a datacenter projection: memory and dense BF16 (or FP16) tensor
 * peak. The similarity ratio (src/core/links.ts) compares with FP32 because the browser runs
 * FP32 shaders; a transformer trained at scale runs its matmuls on tensor cores, so the
 * what-if's 6·P FLOPs per token are timed against the tensor peak.
 */
import type { GpuId } from '../link';

export interface GpuTraining {
  /** Memory per GPU, bytes (decimal GB as the datasheets print them). */
  memoryBytes: number;
  /** Dense (no sparsity) BF16 tensor peak, FLOP/s; FP16 where the GPU has no BF16. */
  peakTensorFlops: number;
  source: string;
}

export const GPU_TRAINING: Readonly<Record<GpuId, GpuTraining>> = {
  a100: { memoryBytes: 80e9, peakTensorFlops: 312e12, source: 'NVIDIA A100 datasheet: 80 GB HBM2e, BF16 tensor 312 TFLOPS dense' },
  h100: { memoryBytes: 80e9, peakTensorFlops: 989e12, source: 'NVIDIA H100 datasheet (SXM): 80 GB HBM3, BF16 tensor 989 TFLOPS dense (1,979 with sparsity)' },
  h200: { memoryBytes: 141e9, peakTensorFlops: 989e12, source: 'NVIDIA H200 datasheet (SXM): 141 GB HBM3e, BF16 tensor 989 TFLOPS dense' },
  v100: { memoryBytes: 32e9, peakTensorFlops: 125e12, source: 'NVIDIA V100 datasheet (SXM2): 32 GB HBM2, FP16 tensor 125 TFLOPS (no BF16)' },
  t4: { memoryBytes: 16e9, peakTensorFlops: 65e12, source: 'NVIDIA T4 datasheet: 16 GB GDDR6, FP16 tensor 65 TFLOPS (no BF16)' },
  rtx4090: {
    memoryBytes: 24e9,
    peakTensorFlops: 165.2e12,
    source: 'NVIDIA Ada Lovelace whitepaper: RTX 4090 24 GB GDDR6X, FP16/BF16 tensor with FP32 accumulate 165.2 TFLOPS dense',
  },
};
