/**
 * Runs a lesson's experiments one after another on fresh clusters (SweepRun, ScalingRun) and
 * turns their results into the pure outcomes the lesson's reveal reads. Streams partial
 * outcomes so the chart fills as rows and points arrive. One owner: `cancel()` stops the run in
 * progress, whose cluster tears itself down.
 */
import { sweepRequestFromConfig } from '../../cluster/bench-config';
import { ScalingRun, type ScalingResult } from '../../cluster/scaling';
import { SweepRun } from '../../cluster/sweep';
import { scalingRequestFromConfig } from '../../cluster/train-config';
import type { TrainResult } from '../../cluster/train';
import { emulatedLinks } from '../../core/link';
import { benchConfigOf, trainConfigOf, type Lesson, type Outcome, type SweepOutcome, type TrainOutcome, type TrainPointOutcome } from '../../core/lessons';

export interface LessonRunHooks {
  /** Outcomes so far (the one in progress partial), after every row or point. */
  onProgress?(outcomes: Outcome[], status: string): void;
}

export interface LessonRunResult {
  status: 'done' | 'cancelled' | 'failed';
  outcomes: Outcome[];
  error?: string;
  seconds: number;
}

/** One rank count's point of a training study, with the run's per-step and per-rank figures. */
function pointOutcome(point: ScalingResult['points'][number], run: TrainResult): TrainPointOutcome {
  const cal = run.calibration!;
  return {
    ranks: point.ranks,
    globalBatch: point.globalBatch,
    measured: point.measured,
    projected: point.projected,
    overlapPct: point.overlapPct,
    losses: run.steps.map((s) => s.loss),
    paramHashes: run.paramHashes,
    perRankMeasured: (run.measured?.perRank ?? []).map(({ computeMs, commMs, idleMs }) => ({ computeMs, commMs, idleMs })),
    perRankProjected: (run.projected?.perRank ?? []).map((r) => ({ computeMs: r.computeS * 1e3, commMs: r.commS * 1e3, idleMs: r.idleS * 1e3 })),
    calibration: { fwdS: cal.fwdS, bwdS: cal.bwdS, optimizerS: cal.optimizerS, flopsPerS: cal.flopsPerS },
  };
}

export class LessonRunner {
  private current: SweepRun | ScalingRun | undefined;
  private cancelled = false;
  readonly result: Promise<LessonRunResult>;

  constructor(
    readonly lesson: Lesson,
    hooks: LessonRunHooks = {},
  ) {
    this.result = this.run(hooks);
  }

  cancel(): void {
    this.cancelled = true;
    this.current?.cancel();
  }

  private async run(hooks: LessonRunHooks): Promise<LessonRunResult> {
    const t0 = performance.now();
    const outcomes: Outcome[] = [];
    const end = (status: LessonRunResult['status'], error?: string): LessonRunResult => ({
      status,
      outcomes,
      seconds: (performance.now() - t0) / 1e3,
      ...(error ? { error } : {}),
    });
    const total = this.lesson.experiments.length;
    for (const [i, e] of this.lesson.experiments.entries()) {
      if (this.cancelled) return end('cancelled');
      const prefix = `Experiment ${i + 1}/${total} (${e.label})`;
      if (e.kind === 'sweep') {
        const config = benchConfigOf(e.bench);
        // Lessons never scale their links (scaled=false or link none): no FLOP/s needed.
        const links = emulatedLinks(config, config.ranks, null);
        const outcome: SweepOutcome = { kind: 'sweep', label: e.label, config, rows: [], software: false };
        outcomes.push(outcome);
        const run = new SweepRun(
          { ...sweepRequestFromConfig(config), ...(links.linkOf ? { linkOf: links.linkOf } : {}) },
          {
            onEnvironment: (env) => (outcome.software = env.isFallbackAdapter),
            onRow: (row, k, n) => {
              outcome.rows.push(row);
              hooks.onProgress?.(outcomes, `${prefix}: size ${k + 1}/${n} done`);
            },
          },
        );
        this.current = run;
        hooks.onProgress?.(outcomes, `${prefix}: starting ${config.ranks} ranks…`);
        const r = await run.result;
        this.current = undefined;
        if (r.status !== 'done') return end(r.status === 'cancelled' ? 'cancelled' : 'failed', r.error ? `${e.label}: ${r.error}` : undefined);
      } else {
        const config = trainConfigOf(e.train);
        const req = scalingRequestFromConfig(config);
        if ('error' in req) return end('failed', `${e.label}: ${req.error}`);
        const outcome: TrainOutcome = { kind: 'train', label: e.label, config, points: [], software: false };
        outcomes.push(outcome);
        const run = new ScalingRun(req, {
          onEnvironment: (env) => (outcome.software = env.isFallbackAdapter),
          onRunStart: (ranks, k, n) => hooks.onProgress?.(outcomes, `${prefix}: ${ranks} rank${ranks > 1 ? 's' : ''} (${k + 1}/${n}), building replicas and calibrating…`),
          onStep: (rec, n) => hooks.onProgress?.(outcomes, `${prefix}: step ${rec.step + 1}/${n}, loss ${rec.loss.toFixed(4)}`),
          onPoint: (point, trainRun) => {
            outcome.points.push(pointOutcome(point, trainRun));
            hooks.onProgress?.(outcomes, `${prefix}: ${point.ranks} ranks done`);
          },
        });
        this.current = run;
        const r = await run.result;
        this.current = undefined;
        if (r.status !== 'done') return end(r.status === 'cancelled' ? 'cancelled' : 'failed', r.error ? `${e.label}: ${r.error}` : undefined);
      }
    }
    return end('done');
  }
}
