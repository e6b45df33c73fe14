/** Lesson: strong against weak scaling over a slow link. */
import { fig, judgeGuess, pct, pointAt, softwareNote, trainOf } from './kit';
import type { Lesson, Prediction, Reveal, TrainOutcome } from './types';

const LINK = { link: 'custom', alphaUs: 5000, bandwidth: 10e6, scaled: false } as const;
const STUDY = { ranks: [1, 4], globalBatch: 16, layers: [8, 16, 4], steps: 2, ...LINK };

const PREDICTION: Prediction = {
  kind: 'choice',
  question: 'At 4 ranks, which keeps its efficiency better: strong scaling (global batch fixed at 16) or weak scaling (16 per rank)?',
  choices: [
    { id: 'strong', label: 'strong scaling' },
    { id: 'weak', label: 'weak scaling' },
    { id: 'same', label: 'the same' },
  ],
};

export const strongVsWeak: Lesson = {
  id: 'strong-vs-weak',
  title: 'Strong or weak scaling?',
  summary: 'A fixed global batch shrinks the compute per rank while the gradient all-reduce does not shrink.',
  text: [
    'Strong scaling keeps the global batch fixed: 4 ranks each do a quarter of the work, ideally in a quarter of the time (efficiency T₁ / (4·T₄)). Weak scaling keeps the per-rank batch fixed: the global batch grows fourfold, ideally in the same time (efficiency T₁ / T₄).',
    'Either way every step all-reduces the whole gradient, whose size does not depend on the batch.',
  ],
  emulation:
    "The ranks talk over an emulated slow link (α = 5 ms, 10 MB/s, unscaled: custom link, scaled=false). Efficiencies are judged on the projected clock (each rank's compute measured alone, transfers at the link's cost), because on the measured clock all 4 ranks share this machine's one GPU and two cores.",
  experiments: [
    { kind: 'train', label: 'strong', train: { ...STUDY, scaling: 'strong', proto: 'simple' } },
    { kind: 'train', label: 'weak', train: { ...STUDY, scaling: 'weak', proto: 'simple' } },
  ],
  prediction: PREDICTION,
  takeaway: 'A fixed global batch shrinks the compute per rank while the communication stays: strong scaling hits the communication wall first.',
  expectedSeconds: 35,
  chart(outcomes) {
    const runs = outcomes.filter((o): o is TrainOutcome => o.kind === 'train');
    return {
      title: 'Scaling efficiency vs ranks (solid: projected clock; dashed: measured clock, contended)',
      x: { label: 'ranks', log: false },
      y: { label: 'efficiency (%)', log: false },
      series: runs.flatMap((o) => [
        { label: `${o.label} (projected)`, points: o.points.map((p) => ({ x: p.ranks, y: p.projected.efficiency * 100 })) },
        { label: `${o.label} (measured)`, dashed: true, points: o.points.map((p) => ({ x: p.ranks, y: p.measured.efficiency * 100 })) },
      ]),
    };
  },
  reveal(outcomes, guess): Reveal {
    const strong = pointAt(trainOf(outcomes, 'strong'), 4);
    const weak = pointAt(trainOf(outcomes, 'weak'), 4);
    const strong1 = pointAt(trainOf(outcomes, 'strong'), 1);
    const weak1 = pointAt(trainOf(outcomes, 'weak'), 1);
    const [es, ew] = [strong.projected.efficiency, weak.projected.efficiency];
    const id = ew > es * 1.05 ? 'weak' : es > ew * 1.05 ? 'strong' : 'same';
    const answer = { kind: 'choice' as const, id, label: id === 'same' ? 'the same (within 5 %)' : `${id} scaling` };
    const holds = id === 'weak';
    const share = (p: typeof strong): string => pct(p.projected.exposedCommMs / p.projected.stepMs);
    return {
      verdict: holds ? 'holds' : 'fails',
      answer,
      guess: judgeGuess(PREDICTION, guess, answer),
      measured: [
        fig('strong efficiency at 4 (projected)', es * 100, '%', pct(es)),
        fig('weak efficiency at 4 (projected)', ew * 100, '%', pct(ew)),
        fig('strong efficiency at 4 (measured)', strong.measured.efficiency * 100, '%', pct(strong.measured.efficiency)),
        fig('weak efficiency at 4 (measured)', weak.measured.efficiency * 100, '%', pct(weak.measured.efficiency)),
        fig('strong: compute per step at 4 (projected)', strong.projected.computeMs, 'ms'),
        fig('weak: compute per step at 4 (projected)', weak.projected.computeMs, 'ms'),
        fig('strong: exposed communication at 4 (projected)', strong.projected.exposedCommMs, 'ms'),
        fig('weak: exposed communication at 4 (projected)', weak.projected.exposedCommMs, 'ms'),
      ],
      model: [fig('ideal efficiency', 100, '%')],
      sentence: `At 4 ranks weak scaling kept ${pct(ew)} efficiency and strong scaling ${pct(es)} (projected clock; measured ${pct(weak.measured.efficiency)} and ${pct(strong.measured.efficiency)}). Strong scaling splits the same 16 samples over 4 ranks, so it expects a quarter of the 1-rank step, ${(strong1.projected.stepMs / 4).toFixed(1)} ms; it took ${strong.projected.stepMs.toFixed(1)} ms, of which ${strong.projected.exposedCommMs.toFixed(1)} ms was exposed all-reduce (${share(strong)}). Weak scaling gives each rank the 1-rank batch, so it expects the 1-rank step, ${weak1.projected.stepMs.toFixed(1)} ms; it took ${weak.projected.stepMs.toFixed(1)} ms, with the same all-reduce exposing ${weak.projected.exposedCommMs.toFixed(1)} ms (${share(weak)}).`,
      ...(holds
        ? {}
        : {
            why: `Expected weak scaling to keep its efficiency better. Here the per-rank compute hardly changed with the batch (a tiny model on this adapter costs a fixed time per kernel dispatch, not per sample), so both studies paid the same communication against the same compute.${softwareNote(trainOf(outcomes, 'strong').software)}`,
          }),
    };
  },
  tryNext: [
    { label: 'Strong scaling at 1, 2, 4 ranks with a larger batch', tab: 'train', train: { ...STUDY, ranks: [1, 2, 4], globalBatch: 256, scaling: 'strong' } },
    { label: 'Weak scaling at 1, 2, 4 ranks', tab: 'train', train: { ...STUDY, ranks: [1, 2, 4], scaling: 'weak' } },
  ],
};
