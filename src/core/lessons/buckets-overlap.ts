/** Lesson: DDP gradient buckets; too small pays latency per bucket, too big cannot overlap. */
import { paramLayout } from '../model';
import { formatBytes } from '../units';
import { fig, judgeGuess, pointAt, softwareNote, trainOf } from './kit';
import type { Lesson, Prediction, Reveal, TrainOutcome } from './types';

const KIB = 1024;
const MIB = 1024 * 1024;
const LAYERS = [16, 64, 64, 64, 4];
const STUDY = { ranks: [2], globalBatch: 512, layers: LAYERS, steps: 3, link: 'custom', alphaUs: 1000, bandwidth: 2e6, scaled: false } as const;
const RUNS = [
  { label: 'overlap off', overlap: 'off', bucketBytes: 16 * KIB },
  { label: 'tiny buckets', overlap: 'on', bucketBytes: 2 * KIB },
  { label: 'medium buckets', overlap: 'on', bucketBytes: 16 * KIB },
  { label: 'one big bucket', overlap: 'on', bucketBytes: MIB },
] as const;

const PREDICTION: Prediction = {
  kind: 'choice',
  question: `Gradients of ${formatBytes(paramLayout({ layers: LAYERS }).count * 4)} all-reduced over a slow link: which leaves the least communication exposed (not hidden behind the backward pass)?`,
  choices: RUNS.map((r) => ({
    id: r.label,
    label: r.overlap === 'off' ? 'no overlap (all-reduce after the backward pass)' : `overlap, ${r.label} (${formatBytes(r.bucketBytes)})`,
  })),
};

export const bucketsOverlap: Lesson = {
  id: 'buckets-overlap',
  title: 'Gradient buckets and overlap',
  summary: 'DDP all-reduces gradients in buckets while the backward pass goes on: too small pays latency, too big cannot overlap.',
  text: [
    "PyTorch DDP does not wait for the whole backward pass. It groups gradients into buckets (25 MiB by default) in reverse layer order, and all-reduces each bucket as soon as its layers' gradients exist, while the backward pass of the earlier layers continues.",
    "Each bucket is one all-reduce and pays the link's latency on every step. One big bucket cannot start before the backward pass ends. Four runs on 2 ranks: overlap off, then overlap with tiny, medium and one big bucket.",
  ],
  emulation:
    "The 2 ranks talk over an emulated slow link (α = 1 ms, 2 MB/s, unscaled: custom link, scaled=false). The runs are judged by their exposed communication on the projected clock (compute measured uncontended, transfers at the link's cost), since each run calibrates its own compute; step times on both clocks are shown beside it.",
  experiments: RUNS.map((r) => ({
    kind: 'train' as const,
    label: r.label,
    train: { ...STUDY, ranks: [...STUDY.ranks], layers: [...LAYERS], proto: 'simple', overlap: r.overlap, bucketMb: r.bucketBytes / MIB, firstBucketMb: r.bucketBytes / MIB },
  })),
  prediction: PREDICTION,
  takeaway: 'Buckets trade latency against overlap: too small pays α per bucket, too big cannot start until the backward pass ends; the best sits in between.',
  expectedSeconds: 45,
  chart(outcomes) {
    const runs = outcomes.filter((o): o is TrainOutcome => o.kind === 'train' && o.points.length > 0);
    const on = RUNS.filter((r) => r.overlap === 'on').flatMap((r) => {
      const o = runs.find((x) => x.label === r.label);
      return o ? [{ r, p: o.points[0]! }] : [];
    });
    const off = runs.find((x) => x.label === 'overlap off');
    return {
      title: 'Exposed communication vs bucket size, 2 ranks (projected clock; dashed: whole step)',
      x: { label: 'bucket size', log: true, bytes: true },
      y: { label: 'ms', log: false },
      series: [
        { label: 'overlap on (exposed communication)', points: on.map(({ r, p }) => ({ x: r.bucketBytes, y: p.projected.exposedCommMs })) },
        { label: 'overlap on (step)', dashed: true, points: on.map(({ r, p }) => ({ x: r.bucketBytes, y: p.projected.stepMs })) },
        ...(off ? [{ label: 'overlap off (exposed communication)', points: [{ x: RUNS[0].bucketBytes, y: off.points[0]!.projected.exposedCommMs }] }] : []),
      ],
    };
  },
  reveal(outcomes, guess): Reveal {
    const results = RUNS.map((r) => ({ r, p: pointAt(trainOf(outcomes, r.label), 2) }));
    // Judged on exposed communication (step − compute): what the buckets change. Each run
    // calibrates its own compute, and that varies by tens of % between runs on a shared CPU.
    const best = results.reduce((a, b) => (b.p.projected.exposedCommMs < a.p.projected.exposedCommMs ? b : a));
    const by = (label: string) => results.find((x) => x.r.label === label)!;
    const holds = best.r.label === 'medium buckets';
    const answer = { kind: 'choice' as const, id: best.r.label, label: best.r.label };
    const line = results
      .map((x) => `${x.r.label} ${x.p.projected.exposedCommMs.toFixed(1)} ms exposed of a ${x.p.projected.stepMs.toFixed(1)} ms step (overlap ${x.p.overlapPct.toFixed(0)} %)`)
      .join(', ');
    const tiny = by('tiny buckets');
    const big = by('one big bucket');
    return {
      verdict: holds ? 'holds' : 'fails',
      answer,
      guess: judgeGuess(PREDICTION, guess, answer),
      measured: results.flatMap((x) => [
        fig(`${x.r.label}: exposed communication (projected)`, x.p.projected.exposedCommMs, 'ms'),
        fig(`${x.r.label}: step (projected)`, x.p.projected.stepMs, 'ms'),
        fig(`${x.r.label}: overlap`, x.p.overlapPct, '%', `${x.p.overlapPct.toFixed(0)} %`),
        fig(`${x.r.label}: step (measured clock)`, x.p.measured.stepMs, 'ms'),
      ]),
      model: [
        fig('gradient bytes', paramLayout({ layers: LAYERS }).count * 4, 'B'),
        fig('link α', STUDY.alphaUs / 1000, 'ms'),
        fig('link bandwidth', STUDY.bandwidth / 1e6, 'MB/s'),
      ],
      sentence: `The least exposed communication came with ${best.r.label}: ${line} (projected clock). The tiny buckets paid the link's ${STUDY.alphaUs / 1000} ms latency on every one of their all-reduces (exposed communication ${tiny.p.projected.exposedCommMs.toFixed(1)} ms); the one big bucket could only start after the backward pass (overlap ${big.p.overlapPct.toFixed(0)} %).`,
      ...(holds
        ? {}
        : {
            why: `The medium bucket was expected to win (the interior optimum). ${best.r.label === 'one big bucket' || best.r.label === 'overlap off' ? "Here the backward pass is too short against the link for overlap to save more than the extra buckets' latency costs." : 'Here the latency per bucket is small against the bytes, so more, smaller buckets overlapped better.'}${softwareNote(trainOf(outcomes, RUNS[0].label).software)}`,
          }),
    };
  },
  tryNext: [
    { label: 'Bucket size and overlap in the training tab', tab: 'train', train: { ...STUDY, ranks: [2, 4], layers: [...LAYERS], bucketMb: 16 / 1024, firstBucketMb: 16 / 1024 } },
  ],
};
