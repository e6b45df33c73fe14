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
  /** `value` as the CLI receives results: `toWire` below. */
  wire(value: unknown): string;
  /** Cancels the running sweep, if any; its runSweep then resolves with status 'cancelled'. */
  cancel(): void;
}

/** Name of the Node function the CLI exposes to the page (Playwright exposeFunction). */
export const RUNNER_EVENT_FN = 'ringlabRunnerEvent';

/** How a non-finite number travels in `toWire`'s JSON (JSON itself would turn it into null). */
interface WireNumber {
  $number: 'NaN' | 'Infinity' | '-Infinity';
}

/**
 * A result as one JSON string, for page.evaluate to hand back: the page's native JSON.stringify
 * instead of Playwright's serializer in page script, which took up to 100 ms of the runner page's
 * main thread for a training study's result (the one long task `npm run perf` saw there). Non-finite
 * numbers are kept ({"$number":"NaN"}); `fromWire` restores them.
 */
export function toWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? ({ $number: String(v) } as WireNumber) : v));
}

export function fromWire<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Object.keys(v).length !== 1) return v;
    const n = (v as Partial<WireNumber>).$number;
    return n === 'NaN' || n === 'Infinity' || n === '-Infinity' ? Number(n) : v;
  }) as T;
}
