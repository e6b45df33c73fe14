/**
 * Hand-made lesson outcomes: sweeps whose times come from a given function of the size, and
 * training points with chosen figures, so every reveal can be tested where its claim holds and
 * where it fails.
 */
import { benchConfigOf, trainConfigOf, type Lesson, type SweepOutcome, type TrainOutcome, type TrainPointOutcome, type ClockFigures } from '../../src/core/lessons';
import { algbwGBps, busbwFactor } from '../../src/core/metrics';
import type { BenchRow } from '../../src/core/nccl-format';

/** nccl-tests' sizes from min to max by the factor. */
export function sizes(min: number, max: number, factor: number): number[] {
  const out: number[] = [];
  for (let b = min; b <= max; b *= factor) out.push(b);
  return out;
}

export function row(bytes: number, timeS: number, ranks: number, wrong: number | null = 0): BenchRow {
  const algbw = algbwGBps(bytes, timeS);
  return {
    bytes,
    count: bytes / 4,
    type: 'float',
    redop: 'sum',
    root: -1,
    timeUs: timeS * 1e6,
    algbwGBps: algbw,
    busbwGBps: algbw * busbwFactor('all_reduce', ranks),
    wrong,
    minUs: timeS * 1e6,
    medianUs: timeS * 1e6,
    p99Us: timeS * 1e6,
  };
}

/** The lesson's sweep experiment `label`, with every size timed by `timeS(bytes, config)`. */
export function sweep(lesson: Lesson, label: string, timeS: (bytes: number, ranks: number, algo: string) => number, wrong = 0): SweepOutcome {
  const e = lesson.experiments.find((x) => x.label === label);
  if (e?.kind !== 'sweep') throw new Error(`no sweep ${label} in ${lesson.id}`);
  const config = benchConfigOf(e.bench);
  return {
    kind: 'sweep',
    label,
    config,
    rows: sizes(config.minBytes, config.maxBytes, config.stepFactor).map((b) => row(b, timeS(b, config.ranks, config.algo), config.ranks, wrong)),
    software: true,
  };
}

export function clock(stepMs: number, computeMs: number, efficiency = 1): ClockFigures {
  return { stepMs, samplesPerS: 1000 / stepMs, efficiency, computeMs, exposedCommMs: Math.max(0, stepMs - computeMs), idleMs: 0 };
}

export interface PointSpec {
  ranks: number;
  globalBatch?: number;
  measured?: ClockFigures;
  projected?: ClockFigures;
  overlapPct?: number;
  losses?: number[];
  paramHashes?: string[];
  perRankComputeMs?: number[];
  perRankIdleMs?: number[];
  fwdS?: number[];
  bwdS?: number[];
  flopsPerS?: number;
}

export function point(s: PointSpec): TrainPointOutcome {
  const compute = s.perRankComputeMs ?? new Array<number>(s.ranks).fill(10);
  const idle = s.perRankIdleMs ?? new Array<number>(s.ranks).fill(0);
  const perRank = compute.map((c, r) => ({ computeMs: c, commMs: 1, idleMs: idle[r]! }));
  return {
    ranks: s.ranks,
    globalBatch: s.globalBatch ?? 16,
    measured: s.measured ?? clock(20, 10),
    projected: s.projected ?? clock(20, 10),
    overlapPct: s.overlapPct ?? 0,
    losses: s.losses ?? [1.2, 1.0, 0.8],
    paramHashes: s.paramHashes ?? new Array<string>(s.ranks).fill('abcd1234'),
    perRankMeasured: perRank,
    perRankProjected: perRank,
    calibration: { fwdS: s.fwdS ?? [0.002, 0.001], bwdS: s.bwdS ?? [0.004, 0.002], optimizerS: 0.001, flopsPerS: s.flopsPerS ?? 2e8 },
  };
}

/** The lesson's training experiment `label` with the given points. */
export function train(lesson: Lesson, label: string, points: TrainPointOutcome[]): TrainOutcome {
  const e = lesson.experiments.find((x) => x.label === label);
  if (e?.kind !== 'train') throw new Error(`no training run ${label} in ${lesson.id}`);
  return { kind: 'train', label, config: trainConfigOf(e.train), points, software: true };
}
