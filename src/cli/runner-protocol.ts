/**
 * What the CLI (Node) and its page (runner.html) say to each other, kept in one file so both
 * sides agree (STYLE.md 8). Everything here is plain JSON: functions such as
 * `SweepRequest.linkOf` cannot cross `page.evaluate`, so the page rebuilds them from `link`.
 */
import type { BenchEnvironment, SweepRequest, SweepResult } from '../cluster/sweep';
import type { ScalingPoint, ScalingRequest, ScalingResult } from '../cluster/scaling';
import type { StepRecord } from '../cluster/train';
import type { LinkConfig } from '../core/link';
import type { BenchRow } from '../core/nccl-format';
import type { StageRates } from '../core/floor';

/** A sweep as the CLI asks for it: the SweepRequest minus functions, plus the link config. */
export interface RunnerRequest extends Omit<SweepRequest, 'linkOf' | 'fault'> {
  /** Link flags; the page turns them into `linkOf` with `emulatedLinks` (src/core/link/emulated.ts). */
  link: LinkConfig;
}

/** Progress the page streams to the CLI while a sweep runs. */
export type RunnerEvent = { kind: 'environment'; environment: BenchEnvironment } | { kind: 'row'; row: BenchRow; index: number; total: number };

/** Progress the page streams to the CLI while a training study runs. */
export type TrainRunnerEvent =
  | { kind: 'environment'; environment: BenchEnvironment }
  | { kind: 'train-run'; ranks: number; index: number; total: number }
  | { kind: 'train-step'; record: StepRecord; total: number }
  | { kind: 'train-point'; point: ScalingPoint };

/** Whether the page's browser gives WebGPU, and if not why. */
export type WebGpuProbe = { ok: true; adapter: string; isFallback: boolean } | { ok: false; reason: string };

/** `window.ringlabRunner`. */
export interface RunnerApi {
  probeWebGpu(): Promise<WebGpuProbe>;
  /** Runs one sweep; events go to `window[RUNNER_EVENT_FN]` when the CLI exposed it. */
  runSweep(request: RunnerRequest): Promise<SweepResult>;
  /** Runs a scaling study (one training run per rank count); events as runSweep. */
  runTraining(request: ScalingRequest): Promise<ScalingResult>;
  /**
   * Every rank's stage rates at `bytes` measured on all `ranks` at once, on a cluster of its own
   * (`npm run perf`: the host-staged ceiling when the ranks share the GPU process and the cores).
   */
  contendedStageRates(ranks: number, bytes: number, reps: number): Promise<StageRates[]>;
  /** Cancels the running sweep, if any; its runSweep then resolves with status 'cancelled'. */
  cancel(): void;
}

/** Name of the Node function the CLI exposes to the page (Playwright exposeFunction). */
export const RUNNER_EVENT_FN = 'ringlabRunnerEvent';
