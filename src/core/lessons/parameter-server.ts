/** Lesson: a central parameter server (star) is bottlenecked by rank 0's port; a ring is not. */
import { formatBytes } from '../units';
import { fig, judgeGuess, sig3, softwareNote, sweepOf, timeFig } from './kit';
import { linkModelS } from './sweep-model';
import type { Lesson, Prediction, Reveal, SweepOutcome } from './types';

const BYTES = 384 * 1024;
const LINK = { link: 'custom', alphaUs: 100, bandwidth: 2e6, scaled: false, proto: 'host' } as const;
const RUNS = [
  { algo: 'star', ranks: 4 },
  { algo: 'star', ranks: 8 },
  { algo: 'ring', ranks: 4 },
  { algo: 'ring', ranks: 8 },
] as const;
const label = (r: { algo: string; ranks: number }): string => `${r.algo}, ${r.ranks} ranks`;

const PREDICTION: Prediction = {
  kind: 'number',
  question: `From 4 to 8 ranks, all-reducing ${formatBytes(BYTES)}: how many times longer does the star (everyone to rank 0 and back) take?`,
  min: 0.5,
  max: 5,
  step: 0.1,
  initial: 1,
  unit: '×',
};

export const parameterServer: Lesson = {
  id: 'parameter-server',
  title: 'The parameter server: everyone through one port',
  summary: "Star sends every gradient through rank 0: its time grows with p − 1. A ring's barely moves.",
  text: [
    'The naive way to average gradients: every rank sends its buffer to rank 0, rank 0 adds them up and sends the sum back to everyone. That is a star, the classic parameter server.',
    'Rank 0 has one port. With p ranks it receives p − 1 full buffers one after another, then sends p − 1 back. A ring instead passes 1/p-sized chunks between neighbours, every port busy at once.',
  ],
  emulation:
    "Every pair is an emulated link of α = 0.1 ms and 2 MB/s, unscaled (custom link, scaled=false), with each rank's sends and receives queued on its own port; on this tab's raw path the per-step staging cost, not the port, would decide.",
  experiments: RUNS.map((r) => ({
    kind: 'sweep' as const,
    label: label(r),
    bench: { ranks: r.ranks, algo: r.algo, minBytes: BYTES, maxBytes: BYTES, iters: 2, warmupIters: 1, ...LINK },
  })),
  prediction: PREDICTION,
  takeaway: "A central server's port carries (p − 1) buffers each way, so it cannot scale; rings and trees spread the traffic over every link.",
  expectedSeconds: 30,
  chart(outcomes) {
    const done = outcomes.filter((o): o is SweepOutcome => o.kind === 'sweep' && o.rows.length > 0);
    const series = (['star', 'ring'] as const).flatMap((algo) => {
      const mine = done.filter((o) => o.config.algo === algo);
      return [
        { label: `${algo} (measured)`, points: mine.map((o) => ({ x: o.config.ranks, y: o.rows[0]!.timeUs / 1e3 })) },
        { label: `${algo} (α-β model of the link)`, dashed: true, points: mine.map((o) => ({ x: o.config.ranks, y: linkModelS(o.config, BYTES)! * 1e3 })) },
      ];
    });
    return { title: `All-reduce of ${formatBytes(BYTES)}: time vs ranks (measured clock)`, x: { label: 'ranks', log: false }, y: { label: 'time (ms)', log: false }, series };
  },
  reveal(outcomes, guess): Reveal {
    const t = (algo: 'star' | 'ring', ranks: number): number => sweepOf(outcomes, label({ algo, ranks })).rows[0]!.timeUs / 1e6;
    const m = (algo: 'star' | 'ring', ranks: number): number => linkModelS(sweepOf(outcomes, label({ algo, ranks })).config, BYTES)!;
    const star = t('star', 8) / t('star', 4);
    const ring = t('ring', 8) / t('ring', 4);
    const starModel = m('star', 8) / m('star', 4);
    const ringModel = m('ring', 8) / m('ring', 4);
    const holds = star >= 1.8 && ring <= 1.6 && star > ring;
    const answer = { kind: 'number' as const, value: star, text: `${sig3(star)}×` };
    return {
      verdict: holds ? 'holds' : 'fails',
      answer,
      guess: judgeGuess(PREDICTION, guess, answer),
      measured: [
        timeFig('star at 4 ranks', t('star', 4)),
        timeFig('star at 8 ranks', t('star', 8)),
        timeFig('ring at 4 ranks', t('ring', 4)),
        timeFig('ring at 8 ranks', t('ring', 8)),
        fig('star 8 / 4', star, '×'),
        fig('ring 8 / 4', ring, '×'),
      ],
      model: [fig('(p − 1) ratio: 7 / 3', 7 / 3, '×'), fig('link model: star 8 / 4', starModel, '×'), fig('link model: ring 8 / 4', ringModel, '×')],
      sentence: `The star took ${timeFig('', t('star', 4)).text} at 4 ranks and ${timeFig('', t('star', 8)).text} at 8: ${sig3(star)}× longer (rank 0's port carries p − 1 buffers each way, so the model says ${sig3(starModel)}×). The ring went from ${timeFig('', t('ring', 4)).text} to ${timeFig('', t('ring', 8)).text}: ${sig3(ring)}× (model ${sig3(ringModel)}×), and at 8 ranks it was ${sig3(t('star', 8) / t('ring', 8))}× faster than the star.`,
      ...(holds
        ? {}
        : {
            why: `Expected the star to grow about like p − 1 (≥ 1.8×) and the ring to stay under 1.6×. ${ring > 1.6 ? "The ring grew more than its bytes say: its 14 steps at 8 ranks each pay this tab's staging cost, which grows with the number of workers sharing the CPU." : 'The star grew less than its port model says.'}${softwareNote(sweepOf(outcomes, label(RUNS[0])).software)}`,
          }),
    };
  },
  tryNext: [
    {
      label: 'Star against ring and tree across sizes at 8 ranks',
      tab: 'bench',
      bench: { ranks: 8, algo: 'star', minBytes: 1024, maxBytes: 256 * 1024, stepFactor: 16, iters: 2, warmupIters: 1, ...LINK },
    },
  ],
};
