/** Lesson: synchronous training runs at the pace of its slowest rank. */
import { fig, judgeGuess, pointAt, sig3, softwareNote, trainOf } from './kit';
import type { Lesson, Prediction, Reveal, TrainOutcome } from './types';

const SLOW = 1;
const FACTOR = 3;
const STUDY = { ranks: [4], globalBatch: 32, layers: [8, 32, 4], steps: 3, link: 'none' } as const;

const PREDICTION: Prediction = {
  kind: 'number',
  question: `4 ranks; rank ${SLOW} computes ${FACTOR}× slower than the others. How many times longer does a training step take than with no straggler?`,
  min: 1,
  max: 4,
  step: 0.1,
  initial: 1.2,
  unit: '×',
};

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export const straggler: Lesson = {
  id: 'straggler',
  title: 'One slow GPU',
  summary: 'Every rank waits for the slowest one at every all-reduce: a straggler sets the pace.',
  text: [
    'Synchronous data parallelism has a barrier built in: the gradient all-reduce cannot finish until every rank has contributed its gradient.',
    `Here rank ${SLOW} really does its forward and backward pass ${FACTOR} times per step (a slow GPU, a thermal throttle, a noisy neighbour). The baseline run has no straggler.`,
  ],
  emulation:
    "The step time is judged on the projected clock (each rank's compute measured alone, rank 1's tripled as it runs); the measured clock is shown too, where all 4 ranks share one GPU and two CPU cores.",
  experiments: [
    { kind: 'train', label: 'baseline', train: { ...STUDY, ranks: [...STUDY.ranks], layers: [...STUDY.layers], proto: 'simple' } },
    { kind: 'train', label: 'straggler', train: { ...STUDY, ranks: [...STUDY.ranks], layers: [...STUDY.layers], straggler: `${SLOW}:${FACTOR}`, proto: 'simple' } },
  ],
  prediction: PREDICTION,
  takeaway: 'Synchronous training runs at the pace of its slowest member; the others sit idle at the all-reduce.',
  expectedSeconds: 30,
  chart(outcomes) {
    const runs = outcomes.filter((o): o is TrainOutcome => o.kind === 'train' && o.points.length > 0);
    return {
      title: 'Per-rank compute and idle time of the last step (projected clock)',
      x: { label: 'rank', log: false },
      y: { label: 'ms', log: false },
      series: runs.flatMap((o) => [
        { label: `${o.label}: compute`, points: o.points[0]!.perRankProjected.map((r, x) => ({ x, y: r.computeMs })) },
        { label: `${o.label}: idle`, dashed: true, points: o.points[0]!.perRankProjected.map((r, x) => ({ x, y: r.idleMs })) },
      ]),
    };
  },
  reveal(outcomes, guess): Reveal {
    const base = pointAt(trainOf(outcomes, 'baseline'), 4);
    const slow = pointAt(trainOf(outcomes, 'straggler'), 4);
    const ratio = slow.projected.stepMs / base.projected.stepMs;
    const ratioMeasured = slow.measured.stepMs / base.measured.stepMs;
    const slowCompute = slow.perRankProjected[SLOW]!.computeMs;
    const others = slow.perRankProjected.filter((_, r) => r !== SLOW);
    const othersCompute = mean(others.map((r) => r.computeMs));
    const othersIdle = mean(others.map((r) => r.idleMs));
    const followsSlowest = slow.projected.stepMs >= 0.95 * slowCompute;
    const othersWait = othersIdle >= 0.5 * (slowCompute - othersCompute);
    const holds = followsSlowest && othersWait && ratio >= 1.5;
    const answer = { kind: 'number' as const, value: ratio, text: `${sig3(ratio)}×` };
    const measuredSlowCompute = slow.perRankMeasured[SLOW]!.computeMs;
    const measuredOthers = mean(slow.perRankMeasured.filter((_, r) => r !== SLOW).map((r) => r.computeMs));
    return {
      verdict: holds ? 'holds' : 'fails',
      answer,
      guess: judgeGuess(PREDICTION, guess, answer),
      measured: [
        fig('step, baseline (projected)', base.projected.stepMs, 'ms'),
        fig('step, with straggler (projected)', slow.projected.stepMs, 'ms'),
        fig('step ratio (projected)', ratio, '×'),
        fig(`rank ${SLOW} compute (projected)`, slowCompute, 'ms'),
        fig('other ranks: mean compute (projected)', othersCompute, 'ms'),
        fig('other ranks: mean idle (projected)', othersIdle, 'ms'),
        fig('step ratio (measured clock)', ratioMeasured, '×'),
        fig(`rank ${SLOW} compute / others' (measured clock)`, measuredSlowCompute / measuredOthers, '×'),
      ],
      model: [fig('straggler factor', FACTOR, '×'), fig("step ≥ slowest rank's compute", slowCompute, 'ms')],
      sentence: `With rank ${SLOW} ${FACTOR}× slower the step took ${slow.projected.stepMs.toFixed(1)} ms against ${base.projected.stepMs.toFixed(1)} ms without (${sig3(ratio)}×, projected clock; ${sig3(ratioMeasured)}× on the measured clock${ratioMeasured < 1.2 ? ", where the 4 ranks share one GPU and two CPU cores, so the straggler's extra work runs while the others wait and the contention hides it" : ''}). Rank ${SLOW} computed for ${slowCompute.toFixed(1)} ms while the others needed ${othersCompute.toFixed(1)} ms and then sat idle ${othersIdle.toFixed(1)} ms on average, waiting for its gradient.`,
      ...(holds
        ? {}
        : {
            why: `${!followsSlowest ? "The step came out shorter than the straggler's compute, which a synchronous step cannot do. " : ''}${!othersWait ? "The other ranks did not wait as long as the straggler's extra compute: " : ''}${ratio < 1.5 ? `the step grew only ${sig3(ratio)}×: communication, not compute, dominates this step, so tripling one rank's compute barely shows.` : ''}${softwareNote(trainOf(outcomes, 'straggler').software)}`,
          }),
    };
  },
  tryNext: [
    {
      label: 'The straggler in the training tab, with the timeline on both clocks',
      tab: 'train',
      train: { ...STUDY, ranks: [4], layers: [...STUDY.layers], straggler: `${SLOW}:${FACTOR}` },
    },
  ],
};
