/**
 * Lessons as data (DESIGN.md §8): a lesson is a question the learner answers before running,
 * one or two pre-sized experiments written as config-table values, and a pure function that
 * computes the reveal from what the experiments measured. Nothing here knows about the DOM,
 * workers or GPUs; the page runs the experiments and hands their outcomes back.
 */
import type { BenchConfig, TrainConfig } from '../config';
import type { BenchRow } from '../nccl-format';

/** One benchmark sweep: fields not given keep the bench table's defaults. */
export interface SweepExperiment {
  kind: 'sweep';
  /** Series label on the lesson's chart, e.g. "ring". */
  label: string;
  bench: Partial<BenchConfig>;
}

/** One training study (one run per rank count): fields not given keep the train table's defaults. */
export interface TrainExperiment {
  kind: 'train';
  label: string;
  train: Partial<TrainConfig>;
}

export type Experiment = SweepExperiment | TrainExperiment;

/** What one sweep measured. */
export interface SweepOutcome {
  kind: 'sweep';
  label: string;
  /** The full config the sweep ran (defaults filled in). */
  config: BenchConfig;
  rows: BenchRow[];
  /** True on a software adapter (SwiftShader): figures are not GPU figures. */
  software: boolean;
}

/** One clock's figures of one rank count (the cluster's ScalingPoint has this shape). */
export interface ClockFigures {
  stepMs: number;
  samplesPerS: number;
  efficiency: number;
  computeMs: number;
  exposedCommMs: number;
  idleMs: number;
}

/** Per-rank times of the last step on one clock, ms. */
export interface RankFigures {
  computeMs: number;
  commMs: number;
  idleMs: number;
}

/** What the training run at one rank count measured. */
export interface TrainPointOutcome {
  ranks: number;
  globalBatch: number;
  measured: ClockFigures;
  projected: ClockFigures;
  overlapPct: number;
  /** Global-batch loss of every step. */
  losses: number[];
  /** FNV-1a of every rank's parameters after the last step. */
  paramHashes: string[];
  /** The last step, per rank, on each clock. */
  perRankMeasured: RankFigures[];
  perRankProjected: RankFigures[];
  /** Uncontended compute of one step (forward + backward + optimizer), s, and this GPU's matmul FLOP/s. */
  calibration: { fwdS: number[]; bwdS: number[]; optimizerS: number; flopsPerS: number };
}

/** What a training study measured. */
export interface TrainOutcome {
  kind: 'train';
  label: string;
  config: TrainConfig;
  points: TrainPointOutcome[];
  software: boolean;
}

export type Outcome = SweepOutcome | TrainOutcome;

/** The question asked before the run. */
export type Prediction =
  | { kind: 'choice'; question: string; choices: { id: string; label: string }[] }
  | {
      kind: 'number';
      question: string;
      min: number;
      max: number;
      step: number;
      /** Slider start. */
      initial: number;
      /** Unit shown after the number ("×", "%", "GPUs"). */
      unit: string;
      /** The slider moves in log10 of the value (for ratios spanning decades). */
      log?: boolean;
    };

/** The learner's answer; null when they ran without predicting. */
export type Guess = { kind: 'choice'; id: string } | { kind: 'number'; value: number } | null;

/** One figure in the reveal: a label, the number, its unit, and the text shown. */
export interface Figure {
  label: string;
  value: number;
  unit: string;
  text: string;
}

/**
 * The reveal: the learner's guess, the measurement and the model side by side, the sentence
 * built from the measured numbers, and whether the measurement shows the lesson's claim.
 */
export interface Reveal {
  /** 'holds': the measurement shows the claim; 'fails': it does not (then `why` says why). */
  verdict: 'holds' | 'fails';
  /** The measured answer to the question (a choice id, or a number in the prediction's unit). */
  answer: { kind: 'choice'; id: string; label: string } | { kind: 'number'; value: number; text: string };
  /** The guess in words and whether it matched the measured answer (null: no guess). */
  guess: { text: string; correct: boolean | null };
  measured: Figure[];
  model: Figure[];
  /** Built from the measured numbers, never canned. */
  sentence: string;
  /** When the claim fails: why the measurement may not show it here. */
  why?: string;
}

/** A link into a full tab with a configuration loaded. */
export interface TryNext {
  label: string;
  tab: 'bench' | 'train';
  bench?: Partial<BenchConfig>;
  train?: Partial<TrainConfig>;
}

/** A series of the lesson chart. */
export interface ChartSeries {
  label: string;
  points: { x: number; y: number }[];
  /** Model curves are dashed. */
  dashed?: boolean;
}

/** What the lesson's one chart draws; computed from (possibly partial) outcomes. */
export interface LessonChart {
  title: string;
  x: { label: string; log: boolean; bytes?: boolean };
  y: { label: string; log: boolean };
  series: ChartSeries[];
  /** Vertical markers, e.g. n* or the crossover. */
  markers?: { x: number; label: string }[];
}

/** Every rank's buffer after every step of a schedule (replayed on the CPU), for the step-by-step view. */
export interface BufferTrace {
  ranks: number;
  count: number;
  inputs: number[][];
  steps: { label: string; buffers: number[][]; moved: { from: number; to: number; start: number; count: number; mode: 'reduce' | 'copy' }[] }[];
  /** The element-wise sum every rank must end with. */
  sums: number[];
}

export interface Lesson {
  id: string;
  title: string;
  /** One line for the list. */
  summary: string;
  /** The short text, a paragraph per entry. */
  text: string[];
  /** Says which emulated link the lesson picked and why, when it picked one. */
  emulation?: string;
  experiments: Experiment[];
  prediction: Prediction;
  /** What the learner should leave with. */
  takeaway: string;
  /** Rough run time on the software adapter, s (the tests hold it under 60 s). */
  expectedSeconds: number;
  chart(outcomes: readonly Outcome[]): LessonChart;
  /** @throws Error when the outcomes do not belong to this lesson's experiments. */
  reveal(outcomes: readonly Outcome[], guess: Guess): Reveal;
  tryNext: TryNext[];
  /** Step-by-step buffers to show beside the chart, when the lesson has them. */
  trace?: () => BufferTrace;
}
