/** Lesson: the α-β model; below the knee a message pays latency, above it bandwidth. */
import { scheduleCoefficients } from '../fit';
import { formatBytes } from '../units';
import { approxBytes, bytesFig, fig, judgeGuess, sig3, softwareNote, sweepOf, timeFig } from './kit';
import { fitOf, sweepSeries } from './sweep-model';
import type { Lesson, Prediction, Reveal } from './types';

const SWEEP = {
  ranks: 4,
  algo: 'ring',
  minBytes: 8,
  maxBytes: 2 * 1024 * 1024,
  stepFactor: 4,
  iters: 3,
  warmupIters: 1,
  link: 'custom',
  alphaUs: 500,
  bandwidth: 5e6,
  scaled: false,
  proto: 'host',
} as const;

const PREDICTION: Prediction = {
  kind: 'number',
  question: 'Below which message size does the time stop shrinking (the curve goes flat)?',
  min: 8,
  max: 4 * 1024 * 1024,
  step: 0.1,
  initial: 4096,
  unit: 'B',
  log: true,
};

/** Log–log slope of time against size between two rows. */
function slope(a: { bytes: number; timeUs: number }, b: { bytes: number; timeUs: number }): number {
  return Math.log(b.timeUs / a.timeUs) / Math.log(b.bytes / a.bytes);
}

export const latencyVsBandwidth: Lesson = {
  id: 'latency-vs-bandwidth',
  title: 'Latency or bandwidth: where small messages stop getting faster',
  summary: 'Every message pays α before its first byte moves: below a size, only α counts.',
  text: [
    'A message of n bytes over a link takes about α + n·β: a fixed latency α, then β seconds per byte (1/bandwidth). A ring all-reduce over p ranks pays α on each of its 2(p−1) steps and moves 2(p−1)/p·n bytes through every rank.',
    'Shrinking a large message saves time in proportion. Shrinking a small one saves almost nothing: its time is all latency. Where is the knee?',
  ],
  emulation:
    "Runs 4 ranks over an emulated link of α = 0.5 ms and 5 MB/s, unscaled (custom link, scaled=false), so the knee falls inside the sweep; this tab's own path adds its per-step staging cost to α (the fit sees both).",
  experiments: [{ kind: 'sweep', label: 'ring', bench: SWEEP }],
  prediction: PREDICTION,
  takeaway: 'The α-β model: t = α·(steps) + β·(bytes on the critical path). Small messages pay latency per step; only large ones see the bandwidth.',
  expectedSeconds: 15,
  chart(outcomes) {
    const series = outcomes.flatMap((o) => (o.kind === 'sweep' ? sweepSeries(o) : []));
    const ring = outcomes.find((o) => o.kind === 'sweep');
    const f = ring?.kind === 'sweep' ? fitOf(ring) : null;
    const fitted = ring?.kind === 'sweep' && f ? [{ label: 'fitted α-β model', dashed: true, points: ring.rows.map((r) => ({ x: r.bytes, y: f.predictS(r.bytes) * 1e3 })) }] : [];
    const knee = ring?.kind === 'sweep' && f ? kneeBytes(ring.config.ranks, f.alphaS, f.betaSPerByte, ring.rows.at(-1)!.bytes) : null;
    return {
      title: 'Ring all-reduce time vs size, 4 ranks (measured clock)',
      x: { label: 'message size', log: true, bytes: true },
      y: { label: 'time (ms)', log: true },
      series: [...series.filter((s) => !s.dashed), ...fitted],
      ...(knee !== null && knee > 0 ? { markers: [{ x: knee, label: `knee ${approxBytes(knee)}` }] } : {}),
    };
  },
  reveal(outcomes, guess): Reveal {
    const ring = sweepOf(outcomes, 'ring');
    const f = fitOf(ring);
    if (!f) throw new Error('latency-vs-bandwidth: the sweep has too few sizes to fit');
    const rows = ring.rows;
    const knee = kneeBytes(ring.config.ranks, f.alphaS, f.betaSPerByte, rows.at(-1)!.bytes);
    const below = rows.filter((r) => r.bytes <= knee / 4);
    const above = rows.filter((r) => r.bytes >= knee * 2);
    const lowSlope = below.length >= 2 ? slope(below[0]!, below.at(-1)!) : NaN;
    const highSlope = above.length >= 2 ? slope(above[0]!, above.at(-1)!) : NaN;
    // Flat and linear in log–log terms: slope near 0 below the knee, near 1 above it.
    const flat = Math.abs(lowSlope) <= 0.2;
    const linear = highSlope >= 0.6 && highSlope <= 1.3;
    const holds = flat && linear && f.alphaS > 0 && f.betaSPerByte > 0;
    const answer = { kind: 'number' as const, value: knee, text: approxBytes(knee) };
    const belowText =
      below.length >= 2
        ? `from ${formatBytes(below[0]!.bytes)} to ${formatBytes(below.at(-1)!.bytes)} the time only went from ${timeFig('', below[0]!.timeUs / 1e6).text} to ${timeFig('', below.at(-1)!.timeUs / 1e6).text} for ${below.at(-1)!.bytes / below[0]!.bytes}× the bytes (log–log slope ${sig3(lowSlope)}; 0 is flat)`
        : 'too few sizes lay below the knee to show the flat part';
    const aboveText =
      above.length >= 2
        ? `from ${formatBytes(above[0]!.bytes)} to ${formatBytes(above.at(-1)!.bytes)} it grew ${sig3(above.at(-1)!.timeUs / above[0]!.timeUs)}× for ${above.at(-1)!.bytes / above[0]!.bytes}× the bytes (log–log slope ${sig3(highSlope)}; 1 is linear)`
        : 'too few sizes lay above the knee to show the linear part';
    return {
      verdict: holds ? 'holds' : 'fails',
      answer,
      guess: judgeGuess(PREDICTION, guess, answer),
      measured: [
        ...rows.map((r) => timeFig(`time at ${formatBytes(r.bytes)}`, r.timeUs / 1e6)),
        fig('log–log slope below the knee', lowSlope, ''),
        fig('log–log slope above the knee', highSlope, ''),
      ],
      model: [
        timeFig('fitted α (per step)', f.alphaS),
        fig('fitted bandwidth 1/β', 1 / f.betaSPerByte / 1e6, 'MB/s'),
        bytesFig('n* = α/β', f.nStarBytes),
        bytesFig('knee: latency terms = bandwidth terms', knee),
        fig('R² of log t', f.r2Log, ''),
        timeFig('emulated link α', SWEEP.alphaUs / 1e6),
        fig('emulated link bandwidth', SWEEP.bandwidth / 1e6, 'MB/s'),
      ],
      sentence: `The fit gives α = ${timeFig('', f.alphaS).text} per step and ${sig3(1 / f.betaSPerByte / 1e6)} MB/s (n* = α/β = ${approxBytes(f.nStarBytes)}; R² of log t ${sig3(f.r2Log)}), so for a 4-rank ring latency and bandwidth cost the same at ${approxBytes(knee)}. Below it, ${belowText}; above it, ${aboveText}.`,
      ...(holds
        ? {}
        : {
            why: `${!flat ? `The small sizes did not stay flat (log–log slope ${sig3(lowSlope)}): timing noise, or a change of protocol between the smallest sizes. ` : ''}${!linear ? 'Above the knee the time did not grow in proportion to the bytes: the per-step staging cost of this tab still dominates there. ' : ''}The emulated link was α ${SWEEP.alphaUs / 1000} ms and ${SWEEP.bandwidth / 1e6} MB/s; the fitted α also holds this tab's staging per step.${softwareNote(ring.software)}`,
          }),
    };
  },
  tryNext: [
    { label: 'The same sweep on 10 GbE scaled to this GPU, with the fitted model', tab: 'bench', bench: { ranks: 4, algo: 'ring', link: '10gbe', maxBytes: 4 * 1024 * 1024 } },
    { label: "This tab's raw path, no emulated link", tab: 'bench', bench: { ranks: 4, algo: 'ring', maxBytes: 4 * 1024 * 1024 } },
  ],
};

/** Size at which the ring's latency terms equal its bandwidth terms: 2(p−1)α = 2(p−1)/p·n·β. */
export function kneeBytes(ranks: number, alphaS: number, betaSPerByte: number, probeBytes: number): number {
  const c = scheduleCoefficients('all_reduce', 'ring', ranks)(probeBytes);
  return (alphaS * c.latencyTerms) / (betaSPerByte * (c.betaBytes / probeBytes));
}
