/**
 * Model FLOPs utilization (MFU), as the Ultra-Scale Playbook and the scaling book use it: the
 * FLOP/s a training step needs (model FLOPs over step time) over the peak FLOP/s of the GPUs it
 * ran on. Here the peak is this adapter's measured matmul throughput (src/gpu/flops.ts), not a
 * datasheet figure, so MFU says how much of what this GPU demonstrably can do the step used.
 *
 * It splits into two factors, so a learner sees what eats the rest:
 *   MFU = compute share × kernel utilization
 *   compute share  = compute time of the slowest rank / step time (communication, idle and
 *                    waiting take the remainder),
 *   kernel utilization = MFU / compute share: how well the kernels use the GPU while computing
 *                    (a tiny model is dispatch-bound: each kernel launch costs more than its maths).
 */
import { paramLayout } from './model';

/** Model FLOPs of one training step: 6 per parameter per sample (2 forward, 4 backward). */
export function modelFlopsPerStep(layers: readonly number[], globalBatch: number): number {
  return 6 * paramLayout({ layers: [...layers] }).count * globalBatch;
}

/** MFU on one clock, with its two factors. */
export interface Utilization {
  /** Model FLOP/s achieved by the whole step. */
  achievedFlopsPerS: number;
  /** achievedFlopsPerS / (gpus × peak), 0..1. */
  mfu: number;
  /** Slowest rank's compute time over the step time, 0..1. */
  computeShare: number;
  /** mfu / computeShare: utilization while computing. */
  kernelUtilization: number;
}

/**
 * @param gpus how many GPUs the step ran on: 1 on the measured clock (every rank shares this
 *   adapter), the rank count on the projected clock (separate GPUs).
 */
export function utilizationOf(a: { flopsPerStep: number; stepS: number; computeS: number; gpus: number; peakFlopsPerS: number }): Utilization {
  const achievedFlopsPerS = a.flopsPerStep / a.stepS;
  const mfu = achievedFlopsPerS / (a.gpus * a.peakFlopsPerS);
  const computeShare = Math.min(1, Math.max(0, a.computeS / a.stepS));
  return { achievedFlopsPerS, mfu, computeShare, kernelUtilization: computeShare > 0 ? mfu / computeShare : 0 };
}
