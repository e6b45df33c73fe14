/**
 * A scaling study: one TrainRun per rank count (DESIGN.md §6).
 *
 * strong: the global batch stays `globalBatch` at every rank count.
 * weak: the per-rank batch stays globalBatch / rankCounts[0], so the global batch at N ranks
 *   is that × N.
 * Efficiency is relative to the first rank count N₀ (usually 1): strong T₀·N₀ / (N·T_N), weak
 * T₀ / T_N, on each clock. The measured step time of a run is the median over its steps after
 * the first (which compiles pipelines and warms caches); with one step it is that step.
 */
import { globalBatchAt as globalBatchOf } from '../core/batch';
import { modelFlopsPerStep, utilizationOf, type Utilization } from '../core/utilization';
import { scalingEfficiency } from '../core/scaling-efficiency';
import { errorMessage } from './cluster';
import { stepBreakdown } from '../core/step-breakdown';
import { TrainRun, type StepRecord, type TrainHooks, type TrainRequest, type TrainResult } from './train';

export interface ScalingRequest extends Omit<TrainRequest, 'ranks'> {
  rankCounts: number[];
  scaling: 'strong' | 'weak';
}

/** One clock's figures at one rank count. */
export interface ClockPoint {
  stepMs: number;
  samplesPerS: number;
  efficiency: number;
  /** Means over ranks of compute, exposed communication and idle, ms; they add up to stepMs (core/step-breakdown.ts). */
  computeMs: number;
  exposedCommMs: number;
  idleMs: number;
  /** Model FLOPs utilization on this clock (src/core/utilization.ts). */
  utilization: Utilization;
}

export interface ScalingPoint {
  ranks: number;
  globalBatch: number;
  finalLoss: number;
  finalAccuracy: number;
  measured: ClockPoint;
  projected: ClockPoint;
  overlapPct: number;
  /** Model FLOPs of one step (6 · parameters · global batch). */
  flopsPerStep: number;
  /** The peak MFU is measured against: this adapter's matmul FLOP/s (best of probe and model), mean over ranks. */
  peakFlopsPerS: number;
}

export interface ScalingResult {
  status: 'done' | 'cancelled' | 'failed';
  scaling: 'strong' | 'weak';
  points: ScalingPoint[];
  runs: TrainResult[];
  error?: string;
  failedRank?: number;
  /** Rank count of the run that failed. */
  failedAtRankCount?: number;
}

export interface ScalingHooks extends TrainHooks {
  onRunStart?(ranks: number, index: number, total: number): void;
  onPoint?(point: ScalingPoint, run: TrainResult): void;
}

/**
 * The run's representative measured step: the median of the steps after the first (the lower
 * one of the two middle steps for an even count), a real step, so that its breakdown adds up
 * to its time.
 */
export function medianStep(steps: StepRecord[]): StepRecord {
  const pool = [...(steps.length > 1 ? steps.slice(1) : steps)].sort((a, b) => a.stepMs - b.stepMs);
  return pool[(pool.length - 1) >> 1]!;
}

/** Global batch at `ranks` for this study. */
export function globalBatchAt(req: ScalingRequest, ranks: number): number {
  return globalBatchOf(req.scaling, req.globalBatch, req.rankCounts[0]!, ranks);
}

/** Runs the study; `result` settles when it ends, `cancel()` stops the current run. */
export class ScalingRun {
  private current: TrainRun | undefined;
  private cancelled = false;
  readonly result: Promise<ScalingResult>;

  constructor(
    readonly request: ScalingRequest,
    hooks: ScalingHooks = {},
  ) {
    this.result = this.run(hooks);
  }

  cancel(): void {
    this.cancelled = true;
    this.current?.cancel();
  }

  private async run(hooks: ScalingHooks): Promise<ScalingResult> {
    const req = this.request;
    const out: ScalingResult = { status: 'done', scaling: req.scaling, points: [], runs: [] };
    let base: { measured: { ranks: number; stepMs: number }; projected: { ranks: number; stepMs: number } } | undefined;
    try {
      for (const [i, ranks] of req.rankCounts.entries()) {
        if (this.cancelled) return { ...out, status: 'cancelled' };
        hooks.onRunStart?.(ranks, i, req.rankCounts.length);
        const { rankCounts: _rc, scaling: _s, ...rest } = req;
        const globalBatch = globalBatchAt(req, ranks);
        this.current = new TrainRun({ ...rest, ranks, globalBatch }, hooks);
        const run = await this.current.result;
        this.current = undefined;
        out.runs.push(run);
        if (run.status !== 'done' || !run.measured || !run.projected) {
          return {
            ...out,
            status: run.status === 'cancelled' ? 'cancelled' : 'failed',
            error: run.error ?? 'run ended without a result',
            ...(run.failedRank !== undefined ? { failedRank: run.failedRank } : {}),
            failedAtRankCount: ranks,
          };
        }
        const last = run.steps[run.steps.length - 1]!;
        const rep = medianStep(run.steps);
        const mStepMs = rep.stepMs;
        const pStepMs = run.projected.stepS * 1e3;
        base ??= { measured: { ranks, stepMs: mStepMs }, projected: { ranks, stepMs: pStepMs } };
        const flopsPerStep = modelFlopsPerStep(req.layers, globalBatch);
        const peakFlopsPerS = run.calibration?.flopsPerS ?? Number.NaN;
        const mComputeMs = Math.max(...rep.perRank.map((r) => r.computeMs));
        const pComputeS = Math.max(...run.projected.perRank.map((r) => r.computeS));
        const m = stepBreakdown(
          mStepMs,
          rep.perRank.map((r) => ({ compute: r.computeMs, busy: r.computeMs + r.exposedCommMs })),
        );
        const pr = stepBreakdown(
          pStepMs,
          run.projected.perRank.map((r) => ({ compute: r.computeS * 1e3, busy: (r.computeS + r.exposedCommS) * 1e3 })),
        );
        const point: ScalingPoint = {
          ranks,
          globalBatch,
          finalLoss: last.loss,
          finalAccuracy: last.accuracy,
          measured: {
            stepMs: mStepMs,
            samplesPerS: globalBatch / (mStepMs / 1e3),
            efficiency: scalingEfficiency(req.scaling, base.measured, ranks, mStepMs),
            computeMs: m.compute,
            exposedCommMs: m.exposedComm,
            idleMs: m.idle,
            // Every rank shares this one adapter on the measured clock: one GPU's peak.
            utilization: utilizationOf({ flopsPerStep, stepS: mStepMs / 1e3, computeS: mComputeMs / 1e3, gpus: 1, peakFlopsPerS }),
          },
          projected: {
            stepMs: pStepMs,
            samplesPerS: globalBatch / run.projected.stepS,
            efficiency: scalingEfficiency(req.scaling, base.projected, ranks, pStepMs),
            computeMs: pr.compute,
            exposedCommMs: pr.exposedComm,
            idleMs: pr.idle,
            // N separate GPUs on the projected clock: N times the peak.
            utilization: utilizationOf({ flopsPerStep, stepS: run.projected.stepS, computeS: pComputeS, gpus: ranks, peakFlopsPerS }),
          },
          overlapPct: run.projected.overlapPct,
          flopsPerStep,
          peakFlopsPerS,
        };
        out.points.push(point);
        hooks.onPoint?.(point, run);
      }
      return out;
    } catch (e) {
      return { ...out, status: this.cancelled ? 'cancelled' : 'failed', error: errorMessage(e) };
    }
  }
}
