/** Lesson: ring against tree over message size (step count vs bytes per step). */
import { formatBytes } from '../units';
import { approxBytes, bytesFig, judgeGuess, sig3, softwareNote, sweepOf, timeFig } from './kit';
import { fittedCrossoverBytes, linkModelCrossoverBytes, linkModelS, measuredCrossoverBytes, sweepSeries } from './sweep-model';
import type { Lesson, Outcome, Prediction, Reveal } from './types';

const LINK = { link: 'custom', alphaUs: 5000, bandwidth: 10e6, scaled: false, proto: 'host' } as const;
const SWEEP = { ranks: 8, minBytes: 16, maxBytes: 1024 * 1024, stepFactor: 16, iters: 3, warmupIters: 1, ...LINK };

const WINNERS = [
  { id: 'tree-ring', label: 'tree at 16 B, ring at 1 MiB' },
  { id: 'ring-tree', label: 'ring at 16 B, tree at 1 MiB' },
  { id: 'ring-ring', label: 'ring at both' },
  { id: 'tree-tree', label: 'tree at both' },
];

const PREDICTION: Prediction = { kind: 'choice', question: 'Which algorithm wins at 16 B, and which at 1 MiB?', choices: WINNERS };

export const ringVsTree: Lesson = {
  id: 'ring-vs-tree',
  title: 'Ring or tree? It depends on the message size',
  summary: 'Ring takes 2(p−1) small steps, tree 2·log p big ones: which wins flips with the size.',
  text: [
    'Both algorithms all-reduce the same buffer over 8 ranks. Ring cuts it into 8 chunks and passes them around: 2(p−1) = 14 steps, each carrying 1/8 of the data. Tree reduces up a binomial tree and broadcasts back down: 2·log₂ p = 6 steps, each carrying the whole buffer.',
    'Every step pays the link latency α once; every byte pays β. So one algorithm wins where latency dominates and the other where bandwidth does.',
  ],
  emulation:
    "This lesson runs on an emulated link of α = 5 ms and 10 MB/s, unscaled (custom link, scaled=false): this tab's own shared-memory path is so fast per byte that its per-step cost alone would hide the bandwidth term.",
  experiments: [
    { kind: 'sweep', label: 'ring', bench: { ...SWEEP, algo: 'ring' } },
    { kind: 'sweep', label: 'tree', bench: { ...SWEEP, algo: 'tree' } },
  ],
  prediction: PREDICTION,
  takeaway:
    'Step count against bytes per step: tree wins small messages (fewer latencies), ring wins large ones (less data per rank). NCCL picks the algorithm by size for this reason.',
  expectedSeconds: 25,
  chart(outcomes) {
    const series = outcomes.flatMap((o) => (o.kind === 'sweep' ? sweepSeries(o) : []));
    const [ring, tree] = outcomes;
    const full = ring?.kind === 'sweep' && tree?.kind === 'sweep' && tree.rows.length === ring.rows.length && ring.rows.length > 1;
    const x = full ? measuredCrossoverBytes(ring, tree) : null;
    return {
      title: 'All-reduce time vs message size, 8 ranks (measured clock; dashed: α-β model of the link)',
      x: { label: 'message size', log: true, bytes: true },
      y: { label: 'time (ms)', log: true },
      series,
      ...(x !== null ? { markers: [{ x, label: `measured crossover ${approxBytes(x)}` }] } : {}),
    };
  },
  reveal(outcomes: readonly Outcome[], guess): Reveal {
    const ring = sweepOf(outcomes, 'ring');
    const tree = sweepOf(outcomes, 'tree');
    const small = ring.rows[0]!;
    const large = ring.rows.at(-1)!;
    const tSmall = { ring: small.timeUs / 1e6, tree: tree.rows[0]!.timeUs / 1e6 };
    const tLarge = { ring: large.timeUs / 1e6, tree: tree.rows.at(-1)!.timeUs / 1e6 };
    const winSmall = tSmall.tree < tSmall.ring ? 'tree' : 'ring';
    const winLarge = tLarge.ring < tLarge.tree ? 'ring' : 'tree';
    const id = `${winSmall}-${winLarge}`;
    const answer = {
      kind: 'choice' as const,
      id,
      label: WINNERS.find((w) => w.id === id)!
        .label.replace('16 B', formatBytes(small.bytes))
        .replace('1 MiB', formatBytes(large.bytes)),
    };
    const measuredX = measuredCrossoverBytes(ring, tree);
    const fittedX = fittedCrossoverBytes(ring, tree);
    const modelX = linkModelCrossoverBytes(ring.config, tree.config, small.bytes, large.bytes);
    const holds = id === 'tree-ring';
    const sm = formatBytes(small.bytes);
    const lg = formatBytes(large.bytes);
    const smallPart = `at ${sm} ${winSmall} took ${timeFig('', Math.min(tSmall.ring, tSmall.tree)).text} against ${winSmall === 'tree' ? 'ring' : 'tree'}'s ${timeFig('', Math.max(tSmall.ring, tSmall.tree)).text} (${sig3(Math.max(tSmall.ring, tSmall.tree) / Math.min(tSmall.ring, tSmall.tree))}× faster)`;
    const largePart = `at ${lg} ${winLarge} took ${timeFig('', Math.min(tLarge.ring, tLarge.tree)).text} against ${winLarge === 'ring' ? 'tree' : 'ring'}'s ${timeFig('', Math.max(tLarge.ring, tLarge.tree)).text}`;
    const crossPart = measuredX !== null ? `; ring overtook tree at about ${approxBytes(measuredX)} (interpolated between measured sizes)` : '; the measured curves never crossed';
    // Compare what was measured with the link's own model only as far as the numbers say.
    const seen = fittedX ?? measuredX;
    const against =
      seen === null || modelX === null
        ? ''
        : seen > 1.2 * modelX
          ? " (it leaves out this tab's per-step staging cost, which acts like extra latency and pushes the crossover up)"
          : seen < modelX / 1.2
            ? ' (the measurement crosses below it)'
            : " (within 20 %: the emulated link dominates this tab's own per-step cost)";
    const modelPart = `${fittedX !== null ? ` The fitted α-β models cross at ${approxBytes(fittedX)}` : ' The fitted models do not cross in this range'}${modelX !== null ? `, the link's own α-β model at ${approxBytes(modelX)}${against}.` : '.'}`;
    return {
      verdict: holds ? 'holds' : 'fails',
      answer,
      guess: judgeGuess(PREDICTION, guess, answer),
      measured: [
        timeFig(`ring at ${sm}`, tSmall.ring),
        timeFig(`tree at ${sm}`, tSmall.tree),
        timeFig(`ring at ${lg}`, tLarge.ring),
        timeFig(`tree at ${lg}`, tLarge.tree),
        ...(measuredX !== null ? [bytesFig('measured crossover', measuredX)] : []),
      ],
      model: [
        timeFig(`link model: ring at ${sm}`, linkModelS(ring.config, small.bytes)!),
        timeFig(`link model: tree at ${sm}`, linkModelS(tree.config, small.bytes)!),
        timeFig(`link model: ring at ${lg}`, linkModelS(ring.config, large.bytes)!),
        timeFig(`link model: tree at ${lg}`, linkModelS(tree.config, large.bytes)!),
        ...(fittedX !== null ? [bytesFig('fitted-model crossover', fittedX)] : []),
        ...(modelX !== null ? [bytesFig('link-model crossover', modelX)] : []),
      ],
      sentence: `Here ${smallPart}, and ${largePart}${crossPart}.${modelPart}`,
      ...(holds
        ? {}
        : {
            why: `The claim (tree faster at the smallest size, ring at the largest) did not show: ${winSmall !== 'tree' ? `ring won at ${sm}` : `tree won at ${lg}`}. Each step here also pays this tab's host staging (a GPU readback and an upload per step), which grows with the rank count on a shared CPU; when it dwarfs the link's α or its bandwidth term, the step counts decide everything.${softwareNote(ring.software)}`,
          }),
    };
  },
  tryNext: [
    { label: 'All six algorithms on this link in the benchmark tab', tab: 'bench', bench: { ...SWEEP, algo: 'rabenseifner' } },
    { label: 'Ring and tree on a real 10 GbE link scaled to this GPU', tab: 'bench', bench: { ranks: 8, algo: 'tree', link: '10gbe' } },
  ],
};
