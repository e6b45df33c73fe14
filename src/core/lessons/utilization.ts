/** Lesson: model FLOPs utilization of a tiny and a larger model, on both clocks. */
import { modelFlopsPerStep, utilizationOf, type Utilization } from '../utilization';
import { fig, judgeGuess, pct, pointAt, sig3, softwareNote, trainOf } from './kit';
import type { Lesson, Prediction, Reveal, TrainOutcome, TrainPointOutcome } from './types';

const RANKS = 2;
const MODELS = [
  { label: 'tiny', layers: [8, 16, 4], globalBatch: 16 },
  { label: 'larger', layers: [32, 128, 128, 10], globalBatch: 128 },
] as const;

const PREDICTION: Prediction = {
  kind: 'number',
  question: "Training the larger model on 2 ranks: what fraction of this GPU's measured matmul peak does it use (model FLOPs utilization)?",
  min: 0.1,
  max: 100,
  step: 0.05,
  initial: 30,
  unit: '%',
  log: true,
};

export { modelFlopsPerStep };

/**
 * MFU of one point on both clocks (src/core/utilization.ts): projected, N separate GPUs (peak N ×
 * this GPU's); measured, the ranks share this one GPU (peak 1×).
 */
export function mfu(p: TrainPointOutcome, layers: readonly number[]): { measured: Utilization; projected: Utilization; flops: number } {
  const flops = modelFlopsPerStep(layers, p.globalBatch);
  const at = (c: TrainPointOutcome['measured'], gpus: number): Utilization =>
    utilizationOf({ flopsPerStep: flops, stepS: c.stepMs / 1e3, computeS: c.computeMs / 1e3, gpus, peakFlopsPerS: p.calibration.flopsPerS });
  return { flops, measured: at(p.measured, 1), projected: at(p.projected, p.ranks) };
}

export const utilization: Lesson = {
  id: 'utilization',
  title: 'How much of the GPU does training use?',
  summary: 'Model FLOPs utilization: the FLOP/s the model needs over what the GPU can do. Small models cannot fill a GPU.',
  text: [
    "A training step of an MLP needs about 6 FLOPs per parameter per sample (2 forward, 4 backward). Divide by the step time and by the GPU's peak FLOP/s and you get the model FLOPs utilization (MFU), the figure large-scale training reports (the Ultra-Scale Playbook, the scaling book).",
    "Here the peak is this GPU's own measured matmul throughput. A tiny and a larger model train on 2 ranks.",
  ],
  emulation: "MFU is given on both clocks: projected (2 separate GPUs, peak 2× this one's) and measured (both ranks share this GPU, peak 1×).",
  experiments: MODELS.map((m) => ({
    kind: 'train' as const,
    label: m.label,
    train: { ranks: [RANKS], globalBatch: m.globalBatch, layers: [...m.layers], steps: 3, link: 'none' as const, proto: 'simple' as const },
  })),
  prediction: PREDICTION,
  takeaway: 'MFU: a small model spends its step launching kernels and talking, not multiplying; it takes a big model (and batch) to fill a GPU.',
  expectedSeconds: 30,
  chart(outcomes) {
    const runs = outcomes.filter((o): o is TrainOutcome => o.kind === 'train' && o.points.length > 0);
    const layersOf = (o: TrainOutcome): readonly number[] => o.config.layers;
    return {
      title: 'Model FLOPs utilization by model (%, log scale)',
      x: { label: 'model FLOPs per step', log: true },
      y: { label: 'MFU (%)', log: true },
      series: [
        {
          label: 'projected clock',
          points: runs.map((o) => ({ x: modelFlopsPerStep(layersOf(o), o.points[0]!.globalBatch), y: mfu(o.points[0]!, layersOf(o)).projected.mfu * 100 })),
        },
        {
          label: 'measured clock',
          points: runs.map((o) => ({ x: modelFlopsPerStep(layersOf(o), o.points[0]!.globalBatch), y: mfu(o.points[0]!, layersOf(o)).measured.mfu * 100 })),
        },
      ],
    };
  },
  reveal(outcomes, guess): Reveal {
    const [tiny, larger] = MODELS.map((m) => {
      const o = trainOf(outcomes, m.label);
      const p = pointAt(o, RANKS);
      const u = mfu(p, o.config.layers);
      const computeS = p.calibration.fwdS.reduce((a, b) => a + b, 0) + p.calibration.bwdS.reduce((a, b) => a + b, 0) + p.calibration.optimizerS;
      const perRankFlops = u.flops / RANKS;
      // Time the step's compute would take at peak, and what the kernels really took beyond it (launch and dispatch overhead).
      const atPeakS = perRankFlops / p.calibration.flopsPerS;
      return { m, o, p, u, computeS, atPeakS, dispatchS: Math.max(0, computeS - atPeakS), commS: p.projected.exposedCommMs / 1e3 };
    }) as [Eater, Eater];
    const holds = larger.u.projected.mfu > 2 * tiny.u.projected.mfu && larger.u.measured.mfu > tiny.u.measured.mfu;
    const answer = { kind: 'number' as const, value: larger.u.projected.mfu * 100, text: pct(larger.u.projected.mfu) };
    const eater = (e: Eater): string =>
      e.dispatchS >= e.commS
        ? `dispatch (${(e.dispatchS * 1e3).toFixed(1)} ms of kernel launches beyond the ${sig3(e.atPeakS * 1e3)} ms the FLOPs need at peak)`
        : `communication (${(e.commS * 1e3).toFixed(1)} ms exposed)`;
    return {
      verdict: holds ? 'holds' : 'fails',
      answer,
      guess: judgeGuess(PREDICTION, guess, answer),
      measured: [tiny, larger].flatMap((e) => [
        fig(`${e.m.label}: MFU (projected)`, e.u.projected.mfu * 100, '%', pct(e.u.projected.mfu)),
        fig(`${e.m.label}: MFU (measured)`, e.u.measured.mfu * 100, '%', pct(e.u.measured.mfu)),
        fig(`${e.m.label}: compute share of the step (projected)`, e.u.projected.computeShare * 100, '%', pct(e.u.projected.computeShare)),
        fig(`${e.m.label}: kernel utilization while computing (projected)`, e.u.projected.kernelUtilization * 100, '%', pct(e.u.projected.kernelUtilization)),
        fig(`${e.m.label}: step (projected)`, e.p.projected.stepMs, 'ms'),
        fig(`${e.m.label}: dispatch overhead per step`, e.dispatchS * 1e3, 'ms'),
        fig(`${e.m.label}: exposed communication (projected)`, e.commS * 1e3, 'ms'),
      ]),
      model: [tiny, larger]
        .flatMap((e) => [fig(`${e.m.label}: model FLOPs per step (6·P·batch)`, e.u.flops, 'FLOP', `${sig3(e.u.flops / 1e6)} MFLOP`)])
        .concat([fig("this GPU's measured matmul peak", larger.p.calibration.flopsPerS / 1e9, 'GFLOP/s')]),
      sentence: `The tiny model (${sig3(tiny.u.flops / 1e3)} kFLOP per step) used ${pct(tiny.u.projected.mfu)} of the GPUs on the projected clock (${pct(tiny.u.measured.mfu)} measured); the larger one (${sig3(larger.u.flops / 1e6)} MFLOP per step) used ${pct(larger.u.projected.mfu)} (${pct(larger.u.measured.mfu)} measured), against a peak of ${sig3(larger.p.calibration.flopsPerS / 1e9)} GFLOP/s. What ate the tiny model's step: ${eater(tiny)}; the larger model's: ${eater(larger)}.`,
      ...(holds
        ? {}
        : {
            why: `The larger model was expected to reach at least twice the tiny one's MFU. On this adapter even the larger model's matmuls are small (128 wide), so fixed costs per kernel still dominate it.${softwareNote(larger.o.software)}`,
          }),
    };
  },
  tryNext: [{ label: 'A wider model in the training tab', tab: 'train', train: { ranks: [1, 2], globalBatch: 256, layers: [64, 256, 256, 10], steps: 3 } }],
};

interface Eater {
  m: (typeof MODELS)[number];
  o: TrainOutcome;
  p: TrainPointOutcome;
  u: ReturnType<typeof mfu>;
  computeS: number;
  atPeakS: number;
  dispatchS: number;
  commS: number;
}
