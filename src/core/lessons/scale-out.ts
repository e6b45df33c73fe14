/**
 * Lesson: the measured step projected to 1..1024 GPUs of a real cluster (the what-if model),
 * beside a 1.3 B-parameter transformer on the same cluster.
 */
import { defaults } from '../config';
import { GPUS, similarityRatio } from '../link';
import { paramLayout } from '../model';
import { projectWhatIf, WHATIF_FIELDS, type MeasuredModel, type WhatIfConfig, type WhatIfProjection } from '../whatif';
import { fig, judgeGuess, pct, pointAt, sig3, trainOf } from './kit';
import type { Lesson, Prediction, Reveal, TrainOutcome, TrainPointOutcome } from './types';

const GPU = 'h100';
const GPUS_LIST = Array.from({ length: 11 }, (_, i) => 2 ** i);
const BIG = { model: '1.3b', perGpuBatch: 8 } as const;
const STUDY = { ranks: [1], globalBatch: 1024, layers: [16, 64, 64, 4], steps: 2, link: 'none' } as const;

/** The cluster both models are projected onto: H100s, 8 per node on NVLink, InfiniBand NDR between (the what-if's defaults otherwise). */
export function clusterConfig(patch: Partial<WhatIfConfig>): WhatIfConfig {
  return { ...defaults(WHATIF_FIELDS), gpu: GPU, gpus: GPUS_LIST, gpusPerNode: 8, intraLink: 'nvlink', link: 'ib-ndr400', algo: 'ring', overlap: 'on', scaling: 'weak', ...patch };
}

/** The MLP trained here as the what-if's 'measured' model: its compute scaled to the real GPU by the FLOP/s ratio. */
export function measuredModel(p: TrainPointOutcome, layers: readonly number[]): MeasuredModel {
  const cal = p.calibration;
  const fwd = cal.fwdS.reduce((a, b) => a + b, 0);
  const bwd = cal.bwdS.reduce((a, b) => a + b, 0);
  const ratio = similarityRatio(cal.flopsPerS, GPU);
  return {
    params: paramLayout({ layers: [...layers] }).count,
    computePerSampleS: ((fwd + bwd) / (p.globalBatch / p.ranks)) * ratio,
    backwardFraction: bwd / (fwd + bwd),
    tailS: cal.optimizerS * ratio,
  };
}

/** Both projections, or the reason one could not be made. */
export function scaleOutProjections(o: TrainOutcome): { mlp: WhatIfProjection; big: WhatIfProjection } {
  const p = pointAt(o, 1);
  const mlp = projectWhatIf(clusterConfig({ model: 'measured', perGpuBatch: p.globalBatch }), { measured: measuredModel(p, o.config.layers) });
  const big = projectWhatIf(clusterConfig(BIG));
  if ('error' in mlp) throw new Error(`what-if of the measured MLP: ${mlp.error}`);
  if ('error' in big) throw new Error(`what-if of the 1.3 B model: ${big.error}`);
  return { mlp, big };
}

const PREDICTION: Prediction = {
  kind: 'number',
  question: `A 1.3 B-parameter transformer, ${BIG.perGpuBatch} samples per GPU, on ${GPUS[GPU].name}s (8 per node on NVLink, InfiniBand between nodes): at how many GPUs does the gradient all-reduce stop hiding behind the backward pass?`,
  min: 1,
  max: 1024,
  step: 0.05,
  initial: 64,
  unit: 'GPUs',
  log: true,
};

const stops = (n: number | null): string => (n === null ? 'never up to 1024 GPUs' : `at ${n} GPUs`);

export const scaleOut: Lesson = {
  id: 'scale-out',
  title: 'Scaling out: when does communication stop hiding?',
  summary: 'The measured step and a 1.3 B model projected to 1–1024 GPUs: where overlap ends, where efficiency halves.',
  text: [
    'While the backward pass runs, the gradients of the layers already done are all-reduced: communication hides behind compute as long as it is shorter. Past some GPU count it no longer is, and efficiency falls.',
    `This lesson measures one training step of the small MLP here, scales its compute to an ${GPUS[GPU].name} by the ratio of peak FLOP/s, and projects it with the what-if model onto a cluster of 8-GPU nodes (NVLink inside, InfiniBand NDR between, a fat tree above), beside a 1.3 B-parameter transformer with ${BIG.perGpuBatch} samples of 2048 tokens per GPU.`,
  ],
  emulation: 'The cluster is a model (the what-if projection), fed with the step measured here; it is labelled as one.',
  experiments: [{ kind: 'train', label: 'measured step', train: { ...STUDY, ranks: [...STUDY.ranks], layers: [...STUDY.layers], proto: 'simple' } }],
  prediction: PREDICTION,
  takeaway:
    'The cluster a model can use depends on its compute-to-communication ratio: a small model is latency-bound from the first hop; a big one with enough samples per GPU hides its all-reduce for hundreds of GPUs.',
  expectedSeconds: 20,
  chart(outcomes) {
    const o = outcomes.find((x): x is TrainOutcome => x.kind === 'train' && x.points.length > 0);
    const base = { title: 'Projected weak-scaling efficiency vs GPUs (what-if model)', x: { label: 'GPUs', log: true }, y: { label: 'efficiency (%)', log: false } };
    if (!o) return { ...base, series: [] };
    const { mlp, big } = scaleOutProjections(o);
    const curve = (label: string, p: WhatIfProjection) => ({ label, dashed: true, points: p.rows.map((r) => ({ x: r.gpus, y: r.efficiency * 100 })) });
    const markers = [big.answers.overlapStopsAt !== null ? { x: big.answers.overlapStopsAt, label: '1.3 B: overlap stops' } : null].filter(
      (m): m is { x: number; label: string } => m !== null,
    );
    return { ...base, series: [curve('MLP measured here (model)', mlp), curve('1.3 B transformer (model)', big)], markers };
  },
  reveal(outcomes, guess): Reveal {
    const o = trainOf(outcomes, 'measured step');
    const p = pointAt(o, 1);
    const { mlp, big } = scaleOutProjections(o);
    const [a, b] = [mlp.answers, big.answers];
    const collapse = (n: number | null): number => n ?? Infinity;
    const holds = collapse(b.efficiencyBelowHalfAt) > collapse(a.efficiencyBelowHalfAt) && collapse(b.overlapStopsAt) > collapse(a.overlapStopsAt);
    const answerN = b.overlapStopsAt ?? 1024;
    const answer = { kind: 'number' as const, value: answerN, text: b.overlapStopsAt === null ? 'beyond 1024 GPUs' : `${answerN} GPUs` };
    const m = measuredModel(p, o.config.layers);
    const effAt = (x: WhatIfProjection, n: number): number => x.rows.find((r) => r.gpus === n)?.efficiency ?? NaN;
    return {
      verdict: holds ? 'holds' : 'fails',
      answer,
      guess: judgeGuess(PREDICTION, guess, answer),
      measured: [
        fig('measured step here (1 rank)', p.measured.stepMs, 'ms'),
        fig('compute per sample here', (m.computePerSampleS / similarityRatio(p.calibration.flopsPerS, GPU)) * 1e6, 'µs'),
        fig("this GPU's matmul peak", p.calibration.flopsPerS / 1e9, 'GFLOP/s'),
      ],
      model: [
        fig('MLP: compute per sample on an H100 (scaled)', m.computePerSampleS * 1e9, 'ns'),
        fig('MLP: overlap stops at', a.overlapStopsAt ?? NaN, 'GPUs', a.overlapStopsAt === null ? 'never' : `${a.overlapStopsAt} GPUs`),
        fig('MLP: efficiency below 50 % at', a.efficiencyBelowHalfAt ?? NaN, 'GPUs', a.efficiencyBelowHalfAt === null ? 'never' : `${a.efficiencyBelowHalfAt} GPUs`),
        fig('1.3 B: overlap stops at', b.overlapStopsAt ?? NaN, 'GPUs', b.overlapStopsAt === null ? 'never' : `${b.overlapStopsAt} GPUs`),
        fig('1.3 B: efficiency below 50 % at', b.efficiencyBelowHalfAt ?? NaN, 'GPUs', b.efficiencyBelowHalfAt === null ? 'never' : `${b.efficiencyBelowHalfAt} GPUs`),
        fig('1.3 B: efficiency at 1024', effAt(big, 1024) * 100, '%', pct(effAt(big, 1024))),
      ],
      sentence: `The MLP measured here (${sig3(m.params / 1e3)} k parameters, a ${p.measured.stepMs.toFixed(0)} ms step on this adapter, ${sig3(m.computePerSampleS * 1e9)} ns per sample once scaled to an ${GPUS[GPU].name}) stops hiding its all-reduce ${stops(a.overlapStopsAt)} and falls below 50 % efficiency ${stops(a.efficiencyBelowHalfAt)}: its all-reduce is all latency. The 1.3 B transformer with ${BIG.perGpuBatch} samples per GPU stops hiding ${stops(b.overlapStopsAt)} and halves its efficiency ${stops(b.efficiencyBelowHalfAt)} (${pct(effAt(big, 1024))} at 1024).`,
      ...(holds
        ? {}
        : {
            why: "The larger model was expected to keep its communication hidden to more GPUs than the small MLP. With this measurement the MLP's compute per sample came out so large (dispatch-bound on a software adapter, then scaled by the FLOP/s ratio) that its projection flatters it.",
          }),
    };
  },
  tryNext: [{ label: 'Train a bigger model and open the what-if panel', tab: 'train', train: { ranks: [1, 2], globalBatch: 256, layers: [64, 256, 256, 10], steps: 3 } }],
};
