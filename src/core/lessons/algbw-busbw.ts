/** Lesson: algbw falls with the rank count, busbw (algbw × 2(n−1)/n) stays: why nccl-tests reports busbw. */
import { busbwFactor } from '../metrics';
import { formatBytes } from '../units';
import { fig, judgeGuess, pct, sig3, softwareNote, sweepOf } from './kit';
import type { Lesson, Prediction, Reveal, SweepOutcome } from './types';

const RANKS = [2, 4, 8] as const;
const BYTES = 512 * 1024;
const LINK = { link: 'custom', alphaUs: 200, bandwidth: 2e6, scaled: false, proto: 'host' } as const;
const label = (p: number): string => `${p} ranks`;

const PREDICTION: Prediction = {
  kind: 'choice',
  question: `Going from 2 to 8 ranks, all-reducing ${formatBytes(BYTES)} each time: does algbw (size ÷ time) rise, fall or stay?`,
  choices: [
    { id: 'rise', label: 'it rises' },
    { id: 'fall', label: 'it falls' },
    { id: 'stay', label: 'it stays about the same' },
  ],
};

const MBps = (gbps: number): number => gbps * 1e3;

export const algbwBusbw: Lesson = {
  id: 'algbw-busbw',
  title: 'algbw and busbw: which number says how fast the link is?',
  summary: 'algbw = S/t falls as ranks are added; busbw = algbw·2(n−1)/n stays near the link speed.',
  text: [
    'nccl-tests prints two bandwidths. algbw is the message size divided by the time: what the application sees. busbw multiplies it by 2(n−1)/n for an all-reduce: the bytes each rank really pushed through its link, per second.',
    `Here 2, 4 and 8 ranks all-reduce ${formatBytes(BYTES)} with the ring algorithm over the same link.`,
  ],
  emulation:
    "Each rank pair is an emulated link of α = 0.2 ms and 2 MB/s, unscaled (custom link, scaled=false), so the message is deep in the bandwidth regime; this tab's own path moves bytes so fast that its per-step cost alone would decide.",
  experiments: RANKS.map((p) => ({
    kind: 'sweep' as const,
    label: label(p),
    bench: { ranks: p, algo: 'ring' as const, minBytes: BYTES, maxBytes: BYTES, iters: 3, warmupIters: 1, ...LINK },
  })),
  prediction: PREDICTION,
  takeaway: "busbw = algbw × 2(n−1)/n is comparable across rank counts and with the link's own speed; algbw is not. That is why nccl-tests reports busbw.",
  expectedSeconds: 20,
  chart(outcomes) {
    const done = outcomes.filter((o): o is SweepOutcome => o.kind === 'sweep' && o.rows.length > 0);
    const pts = (f: (o: SweepOutcome) => number) => done.map((o) => ({ x: o.config.ranks, y: f(o) }));
    return {
      title: `algbw and busbw vs ranks, ring all-reduce of ${formatBytes(BYTES)} (measured clock)`,
      x: { label: 'ranks', log: false },
      y: { label: 'MB/s', log: false },
      series: [
        { label: 'algbw (measured)', points: pts((o) => MBps(o.rows[0]!.algbwGBps)) },
        { label: 'busbw (measured)', points: pts((o) => MBps(o.rows[0]!.busbwGBps)) },
        { label: 'link bandwidth', dashed: true, points: pts(() => LINK.bandwidth / 1e6) },
      ],
    };
  },
  reveal(outcomes, guess): Reveal {
    const runs = RANKS.map((p) => sweepOf(outcomes, label(p)));
    const alg = runs.map((o) => MBps(o.rows[0]!.algbwGBps));
    const bus = runs.map((o) => MBps(o.rows[0]!.busbwGBps));
    const algRatio = alg.at(-1)! / alg[0]!;
    const busSpread = Math.max(...bus) / Math.min(...bus) - 1;
    const algSpread = Math.max(...alg) / Math.min(...alg) - 1;
    const id = algRatio < 0.9 ? 'fall' : algRatio > 1.1 ? 'rise' : 'stay';
    const answer = { kind: 'choice' as const, id, label: PREDICTION.kind === 'choice' ? PREDICTION.choices.find((c) => c.id === id)!.label : id };
    const holds = id === 'fall' && busSpread <= 0.35 && busSpread < algSpread;
    const list = (xs: number[]): string => xs.map((x, i) => `${sig3(x)} at ${RANKS[i]}`).join(', ');
    return {
      verdict: holds ? 'holds' : 'fails',
      answer,
      guess: judgeGuess(PREDICTION, guess, answer),
      measured: [
        ...RANKS.map((p, i) => fig(`algbw at ${p} ranks`, alg[i]!, 'MB/s')),
        ...RANKS.map((p, i) => fig(`busbw at ${p} ranks`, bus[i]!, 'MB/s')),
        fig('algbw spread (max/min − 1)', algSpread * 100, '%', pct(algSpread)),
        fig('busbw spread (max/min − 1)', busSpread * 100, '%', pct(busSpread)),
      ],
      model: [
        ...RANKS.map((p) => fig(`busbw factor 2(n−1)/n at ${p}`, busbwFactor('all_reduce', p), '')),
        fig('ideal algbw at 8 over 2 ranks: (2·1/2)/(2·7/8)', 1 / busbwFactor('all_reduce', 8), '×'),
        fig('emulated link bandwidth', LINK.bandwidth / 1e6, 'MB/s'),
      ],
      sentence: `algbw went ${list(alg)} MB/s: at 8 ranks it is ${sig3(algRatio)}× its 2-rank value (the ring moves 2(n−1)/n of the data through every rank, so the model says ${sig3(1 / busbwFactor('all_reduce', 8))}×). busbw went ${list(bus)} MB/s, a spread of ${pct(busSpread)} against algbw's ${pct(algSpread)}, next to the link's ${LINK.bandwidth / 1e6} MB/s.`,
      ...(holds
        ? {}
        : {
            why: `${id !== 'fall' ? 'algbw did not fall: ' : 'busbw did not stay within a band: '}at 8 ranks this tab runs 8 workers on a shared CPU, and the per-step staging (a readback and an upload per step) adds up over the ring's 14 steps, eating into busbw as the rank count grows.${softwareNote(runs[0]!.software)}`,
          }),
    };
  },
  tryNext: [
    {
      label: 'A full sweep at 8 ranks on this link (watch busbw approach the link speed)',
      tab: 'bench',
      bench: { ranks: 8, algo: 'ring', minBytes: 1024, maxBytes: 1024 * 1024, stepFactor: 8, iters: 3, warmupIters: 1, ...LINK },
    },
  ],
};
