/** Lesson: data parallelism changes where the work runs, not the maths. */
import { fig, judgeGuess, pointAt, sig3, trainOf } from './kit';
import type { Lesson, Prediction, Reveal, TrainOutcome } from './types';

const RANKS = [1, 2, 4];
/** Float32 sums taken in a different order differ by a few ulps; this bounds it with a wide margin. */
export const LOSS_TOLERANCE = 1e-4;

const PREDICTION: Prediction = {
  kind: 'choice',
  question: 'Same seed, same global batch of 16: will 4 ranks (4 samples each) learn a different model than 1 rank (all 16)?',
  choices: [
    { id: 'same', label: 'the same model: the loss curves coincide' },
    { id: 'noisy', label: 'nearly the same, but visibly noisier' },
    { id: 'different', label: 'a different model' },
  ],
};

export const sameMath: Lesson = {
  id: 'same-math',
  title: 'Same maths on 1, 2 or 4 GPUs',
  summary: 'With the same seed and global batch, N ranks follow the 1-rank loss curve to float32 rounding.',
  text: [
    'In data-parallel training every rank holds the whole model and takes its shard of the global batch. After the backward pass the gradients are averaged with an all-reduce, and every rank applies the same update.',
    'The average of the shard gradients is the gradient of the whole batch. So, with the same seed and the same global batch, does splitting the batch change what is learned?',
  ],
  experiments: [
    { kind: 'train', label: 'strong', train: { ranks: RANKS, scaling: 'strong', globalBatch: 16, layers: [8, 16, 4], steps: 4, seed: 7, link: 'none', proto: 'simple' } },
  ],
  prediction: PREDICTION,
  takeaway: 'Data parallelism changes where the work runs, not the maths: the same global batch gives the same model, up to float32 rounding.',
  expectedSeconds: 25,
  chart(outcomes) {
    const o = outcomes.find((x): x is TrainOutcome => x.kind === 'train');
    return {
      title: 'Loss per step, one curve per rank count (same seed, global batch 16)',
      x: { label: 'step', log: false },
      y: { label: 'loss', log: false },
      series: (o?.points ?? []).map((p) => ({ label: `${p.ranks} rank${p.ranks > 1 ? 's' : ''}`, points: p.losses.map((y, x) => ({ x: x + 1, y })) })),
    };
  },
  reveal(outcomes, guess): Reveal {
    const o = trainOf(outcomes, 'strong');
    const base = pointAt(o, 1);
    const others = RANKS.slice(1).map((n) => pointAt(o, n));
    const maxRel = (losses: number[]): number => Math.max(...losses.map((l, i) => Math.abs(l - base.losses[i]!) / Math.max(1e-12, Math.abs(base.losses[i]!))));
    const diffs = others.map((p) => maxRel(p.losses));
    const worst = Math.max(...diffs);
    const replicasEqual = o.points.every((p) => p.paramHashes.length === p.ranks && p.paramHashes.every((h) => h === p.paramHashes[0]));
    const stepsOk = others.every((p) => p.losses.length === base.losses.length);
    const same = worst <= LOSS_TOLERANCE && stepsOk;
    const holds = same && replicasEqual;
    const id = same ? 'same' : worst <= 0.05 ? 'noisy' : 'different';
    const answer = { kind: 'choice' as const, id, label: PREDICTION.kind === 'choice' ? PREDICTION.choices.find((c) => c.id === id)!.label : id };
    const first = base.losses[0]!;
    const last = base.losses.at(-1)!;
    return {
      verdict: holds ? 'holds' : 'fails',
      answer,
      guess: judgeGuess(PREDICTION, guess, answer),
      measured: [
        fig('1-rank loss, first step', first, ''),
        fig('1-rank loss, last step', last, ''),
        ...others.map((p, i) => fig(`largest relative loss difference, ${p.ranks} ranks vs 1`, diffs[i]!, '', diffs[i]!.toExponential(2))),
        ...o.points.map((p) => fig(`distinct parameter hashes across ${p.ranks} rank${p.ranks > 1 ? 's' : ''}`, new Set(p.paramHashes).size, '')),
      ],
      model: [fig('float32 tolerance used', LOSS_TOLERANCE, '', LOSS_TOLERANCE.toExponential(0))],
      sentence: `Over ${base.losses.length} steps the 1-rank loss went from ${sig3(first)} to ${sig3(last)}; the 2- and 4-rank curves stayed within ${others.map((p, i) => `${diffs[i]!.toExponential(1)} (${p.ranks} ranks)`).join(' and ')} of it, relative${worst === 0 ? ', bit for bit' : ''}, ${same ? 'inside' : 'outside'} the float32 tolerance of ${LOSS_TOLERANCE.toExponential(0)}. ${replicasEqual ? 'After the last step every replica held bit-identical parameters.' : 'The replicas did NOT hold identical parameters.'}`,
      ...(holds
        ? {}
        : {
            why: `${!same ? `The curves differ by ${worst.toExponential(2)} relative, more than float32 reordering explains: the shards or the gradient average are wrong, a defect rather than noise. ` : ''}${!replicasEqual ? 'Replicas diverged: the all-reduce did not deliver the same sum to every rank.' : ''}`,
          }),
    };
  },
  tryNext: [{ label: 'A bigger model at 1, 2, 4 ranks in the training tab', tab: 'train', train: { ranks: [1, 2, 4], globalBatch: 64, layers: [32, 64, 10], steps: 10 } }],
};
