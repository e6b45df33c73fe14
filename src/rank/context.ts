/**
 * What a rank's device and links are, handed to the bench and train code of this folder. Its own
 * file so that rank.ts, bench.ts and train.ts do not import each other in a circle.
 */
import type { ReduceKernel, ReduceKernelOp } from '../gpu/kernels/reduce';
import type { Barrier } from '../transport/barrier';
import type { AbortFlag } from '../transport/wait';
import type { CollectiveExecutor } from './collective-executor';
import type { TraceRecorder } from './trace';
import type { TransportFloor } from '../core/floor';

/** What a rank's device and links are; handed to bench/train code in this folder. */
export interface RankContext {
  rank: number;
  ranks: number;
  device: GPUDevice;
  executor: CollectiveExecutor;
  barrier: Barrier;
  abort: AbortFlag;
  trace: TraceRecorder;
  slotBytes: number;
  timeoutMs: number;
  reduceKernel(op: ReduceKernelOp): ReduceKernel;
  /** The cluster's measured transport floor, once it has shared it: what `auto` decides from. */
  floor: TransportFloor | null;
  /** The queue's fence (onSubmittedWorkDone), nudged (src/rank/nudge.ts) as the collectives' are. */
  fence(): Promise<void>;
  /** Throws if the device was lost, naming this rank. */
  checkDevice(): void;
}
