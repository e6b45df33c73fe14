/** Lesson: the measured step projected to 1..1024 GPUs of a real cluster (the what-if model). */
import { largestOverlapN, projectCluster, type ProjectionInput } from '../cluster-projection';
import { GPUS, LINK_PRESETS, similarityRatio } from '../link';
import { paramLayout } from '../model';
import { fig, judgeGuess, pct, pointAt, sig3, trainOf } from './kit';
import type { Lesson, Prediction, Reveal, TrainOutcome, TrainPointOutcome } from './types';

const GPU = 'h100';
const PER_NODE = 8;
const STUDY = { ranks: [1], globalBatch: 1024, layers: [16, 64, 64, 4], steps: 2, link: 'none' } as const;

const PREDICTION: Prediction = { kind: 'number', question: `Weak scaling on ${GPUS[GPU].name}s, ${PER_NODE} per node (NVLink inside, InfiniBand NDR between): up to how many GPUs does the gradient all-reduce still hide behind the backward pass?`, min: 1, max: 1024, step: 0.05, initial: 64, unit: 'GPUs', log: true };

/** The what-if input of a measured 1-rank point on this lesson's cluster. */
export function scaleOutInput(p: TrainPointOutcome, layers: readonly number[]): ProjectionInput {
  const cal = p.calibration;
  const fwd = cal.fwdS.reduce((a, b) => a + b, 0);
  const bwd = cal.bwdS.reduce((a, b) => a + b, 0);
  const perRankBatch = p.globalBatch / p.ranks;
  const ratio = similarityRatio(cal.flopsPerS, GPU);
  const link = (id: 'nvlink' | 'ib-ndr400') => ({ alphaS: LINK_PRESETS[id].alphaS, bandwidthBytesPerS: LINK_PRESETS[id].bandwidthBytesPerS });
  return {
    computePerSampleS: ((fwd + bwd) / perRankBatch) * ratio,
    backwardFraction: bwd / (fwd + bwd),
    tailS: cal.optimizerS * ratio,
    scaling: 'weak',
    perRankBatch,
    paramBytes: paramLayout({ layers: [...layers] }).count * 4,
    algorithm: 'ring',
    topology: { ranksPerNode: PER_NODE, intra: link('nvlink'), inter: link('ib-ndr400') },
    overlap: true,
    bucketBytes: 25 * 1024 * 1024,
  };
}

export const scaleOut: Lesson = {
  id: 'scale-out',
  title: 'Scaling out: when does communication stop hiding?',
  summary: 'The measured step, projected to 1–1024 GPUs: the overlap condition, and where efficiency halves.',
  text: [
    'While the backward pass runs, the gradients of the layers already done can be all-reduced: communication hides behind compute as long as it is shorter. The Ultra-Scale Playbook writes the condition as 2(N−1)/N · P / B ≤ t_backward, with P the gradient bytes and B the slowest link\'s bandwidth.',
    `This lesson measures one training step of a small MLP with a batch of ${STUDY.globalBatch} on this GPU, scales its compute to an ${GPUS[GPU].name} by the ratio of peak FLOP/s, and projects it onto a cluster: ${PER_NODE} GPUs per node on NVLink, InfiniBand between nodes.`,
  ],
  emulation: 'The cluster is a model (the what-if projection), fed with the step measured here; it is labelled as one.',
  experiments: [{ kind: 'train', label: 'measured step', train: { ...STUDY, ranks: [...STUDY.ranks], layers: [...STUDY.layers] } }],
  prediction: PREDICTION,
  takeaway: 'Whether a model can use a big cluster depends on its compute-to-communication ratio: past the node boundary the slow link decides.',
  expectedSeconds: 20,
  chart(outcomes) {
    const o = outcomes.find((x): x is TrainOutcome => x.kind === 'train' && x.points.length > 0);
    if (!o) return { title: 'Projected efficiency vs GPUs (model)', x: { label: 'GPUs', log: true }, y: { label: 'efficiency (%)', log: false }, series: [] };
    const input = scaleOutInput(o.points[0]!, o.config.layers);
    return {
      title: 'Projected weak-scaling efficiency vs GPUs (model fed with the measured step)',
      x: { label: 'GPUs', log: true },
      y: { label: 'efficiency (%)', log: false },
      series: [
        { label: 'ring, overlap on (model)', dashed: true, points: projectCluster(input).map((p) => ({ x: p.n, y: p.efficiency * 100 })) },
        { label: 'ring, overlap off (model)', dashed: true, points: projectCluster({ ...input, overlap: false }).map((p) => ({ x: p.n, y: p.efficiency * 100 })) },
      ],
      markers: [{ x: largestOverlapN(input), label: 'overlap condition last holds' }],
    };
  },
  reveal(outcomes, guess): Reveal {
    const o = trainOf(outcomes, 'measured step');
    const p = pointAt(o, 1);
    const input = scaleOutInput(p, o.config.layers);
    const points = projectCluster(input);
    const overlapN = largestOverlapN(input);
    const collapse = points.find((x) => x.efficiency < 0.5);
    const holds = collapse === undefined || collapse.n > overlapN;
    const answer = { kind: 'number' as const, value: overlapN, text: `${overlapN} GPUs` };
    const backwardUs = input.computePerSampleS * (input.backwardFraction ?? 2 / 3) * input.perRankBatch! * 1e6;
    return {
      verdict: holds ? 'holds' : 'fails',
      answer,
      guess: judgeGuess(PREDICTION, guess, answer),
      measured: [fig('measured step here (1 rank)', p.measured.stepMs, 'ms'), fig('calibrated compute per sample here', (input.computePerSampleS / similarityRatio(p.calibration.flopsPerS, GPU)) * 1e6, 'µs'), fig('this GPU\'s matmul peak', p.calibration.flopsPerS / 1e9, 'GFLOP/s')],
      model: [
        fig(`backward per step on an ${GPUS[GPU].name}`, backwardUs, 'µs'),
        fig('gradient bytes P', input.paramBytes, 'B'),
        fig('overlap condition holds up to', overlapN, 'GPUs'),
        ...(collapse ? [fig('efficiency first below 50 % at', collapse.n, 'GPUs')] : []),
        ...points.filter((x) => [8, 16, 64, 1024].includes(x.n)).map((x) => fig(`efficiency at ${x.n}`, x.efficiency * 100, '%', pct(x.efficiency))),
      ],
      sentence: `Scaled to an ${GPUS[GPU].name}, this step's backward pass takes ${sig3(backwardUs)} µs for ${input.perRankBatch} samples, against ${sig3(input.paramBytes / 1024)} KiB of gradients. The overlap condition holds up to ${overlapN} GPU${overlapN > 1 ? 's' : ''}${overlapN === PER_NODE ? ' (one node: past it, the all-reduce crosses InfiniBand, 9× slower than NVLink)' : ''}; ${collapse ? `efficiency first falls below 50 % at ${collapse.n} GPUs (communication ${pct(collapse.commFraction)} of the step there)` : `efficiency stays above 50 % up to 1024 GPUs`}.`,
      ...(holds ? {} : { why: `Efficiency fell below 50 % at ${collapse!.n} GPUs, before the overlap condition stopped holding at ${overlapN + 1}: the condition ignores latency (as the Playbook does), and this small model's all-reduce is latency-bound, so it loses its efficiency while the bandwidth term still hides.` }),
    };
  },
  tryNext: [{ label: 'Train a bigger model and open the what-if panel', tab: 'train', train: { ranks: [1, 2], globalBatch: 256, layers: [64, 256, 256, 10], steps: 3 } }],
};
