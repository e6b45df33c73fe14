/** Lesson: two nodes joined by a slow link; a flat ring against the hierarchical all-reduce. */
import { nodeOf } from '../link';
import { buildSchedule } from '../schedule';
import { formatBytes } from '../units';
import { bytesFig, fig, judgeGuess, sig3, softwareNote, sweepOf, timeFig } from './kit';
import { linkModelS, sweepSeries } from './sweep-model';
import type { Lesson, Prediction, Reveal, SweepOutcome } from './types';

const RPN = 4;
const TOPOLOGY = { ranks: 8, nodes: 2, intraLink: 'nvlink', link: 'custom', alphaUs: 10000, bandwidth: 5e6, scaled: false, proto: 'host' } as const;
const SWEEP = { ...TOPOLOGY, minBytes: 1024, maxBytes: 256 * 1024, stepFactor: 256, iters: 3, warmupIters: 1 } as const;

const PREDICTION: Prediction = {
  kind: 'choice',
  question: '2 nodes × 4 GPUs, a fast link inside each node and a slow one between them: which all-reduce is faster on 256 KiB?',
  choices: [
    { id: 'ring', label: 'one flat ring over all 8' },
    { id: 'hierarchical', label: 'hierarchical: reduce in the node, ring across nodes, broadcast back' },
    { id: 'same', label: 'about the same' },
  ],
};

/** Bytes a schedule sends across node boundaries, summed over ranks, and the most any one rank sends. */
export function crossNodeBytes(algo: 'ring' | 'hierarchical', ranks: number, ranksPerNode: number, bytes: number): { total: number; perRankMax: number } {
  const s = buildSchedule('all_reduce', algo, ranks, Math.floor(bytes / 4), algo === 'hierarchical' ? { ranksPerNode } : {});
  const perRank = new Array<number>(ranks).fill(0);
  for (const step of s.steps) {
    step.ops.forEach((ops, r) => {
      for (const o of ops) if (o.kind === 'send' && nodeOf(r, ranksPerNode) !== nodeOf(o.peer, ranksPerNode)) perRank[r]! += o.range.count * 4;
    });
  }
  return { total: perRank.reduce((a, b) => a + b, 0), perRankMax: Math.max(...perRank) };
}

export const hierarchy: Lesson = {
  id: 'hierarchy',
  title: 'Two nodes, one slow link: flat ring or hierarchical?',
  summary: 'A topology-aware all-reduce sends less over the slow link between nodes.',
  text: [
    'Real clusters have two kinds of links: NVLink between the GPUs of one node, and a far slower network between nodes. A flat ring over 8 ranks in 2 nodes crosses the slow link on 2 of its 8 hops at every one of its 14 steps.',
    'The hierarchical all-reduce first reduces inside each node over the fast link, then all-reduces across the nodes (one rank per node), then broadcasts inside each node.',
  ],
  emulation:
    "The slow link between nodes is emulated at α = 10 ms and 5 MB/s, unscaled (custom link, scaled=false); inside a node the NVLink preset is applied unscaled, which is faster than this tab's staging, so intra-node steps cost what the tab costs.",
  experiments: [
    { kind: 'sweep', label: 'ring', bench: { ...SWEEP, algo: 'ring' } },
    { kind: 'sweep', label: 'hierarchical', bench: { ...SWEEP, algo: 'hierarchical' } },
  ],
  prediction: PREDICTION,
  takeaway: 'Topology-aware collectives keep most traffic on the fast links: NCCL builds its rings and trees per node and crosses the network as little as it can.',
  expectedSeconds: 25,
  chart(outcomes) {
    const series = outcomes.flatMap((o) => (o.kind === 'sweep' ? sweepSeries(o) : []));
    return {
      title: 'All-reduce time vs size, 2 nodes × 4 ranks (measured clock; dashed: α-β model of the links)',
      x: { label: 'message size', log: true, bytes: true },
      y: { label: 'time (ms)', log: true },
      series,
    };
  },
  reveal(outcomes, guess): Reveal {
    const ring = sweepOf(outcomes, 'ring');
    const hier = sweepOf(outcomes, 'hierarchical');
    const at = (o: SweepOutcome, i: number): number => (i < 0 ? o.rows.at(i)! : o.rows[i]!).timeUs / 1e6;
    const bytes = ring.rows.at(-1)!.bytes;
    const [tr, th] = [at(ring, -1), at(hier, -1)];
    const ratio = tr / th;
    const id = ratio > 1.1 ? 'hierarchical' : ratio < 1 / 1.1 ? 'ring' : 'same';
    const answer = { kind: 'choice' as const, id, label: PREDICTION.kind === 'choice' ? PREDICTION.choices.find((c) => c.id === id)!.label : id };
    const xr = crossNodeBytes('ring', TOPOLOGY.ranks, RPN, bytes);
    const xh = crossNodeBytes('hierarchical', TOPOLOGY.ranks, RPN, bytes);
    const holds = id === 'hierarchical' && xh.total < xr.total;
    const winner = id === 'same' ? 'neither (within 10 %)' : id === 'ring' ? 'the flat ring' : 'the hierarchical all-reduce';
    return {
      verdict: holds ? 'holds' : 'fails',
      answer,
      guess: judgeGuess(PREDICTION, guess, answer),
      measured: [
        timeFig(`ring at ${formatBytes(bytes)}`, tr),
        timeFig(`hierarchical at ${formatBytes(bytes)}`, th),
        fig('ring / hierarchical', ratio, '×'),
        timeFig(`ring at ${formatBytes(ring.rows[0]!.bytes)}`, at(ring, 0)),
        timeFig(`hierarchical at ${formatBytes(hier.rows[0]!.bytes)}`, at(hier, 0)),
      ],
      model: [
        bytesFig('ring: bytes across the slow link (all ranks)', xr.total),
        bytesFig('hierarchical: bytes across the slow link (all ranks)', xh.total),
        timeFig(`link model: ring at ${formatBytes(bytes)}`, linkModelS(ring.config, bytes)!),
        timeFig(`link model: hierarchical at ${formatBytes(bytes)}`, linkModelS(hier.config, bytes)!),
      ],
      sentence: `At ${formatBytes(bytes)}, ${winner} was faster: ring ${timeFig('', tr).text}, hierarchical ${timeFig('', th).text} (${sig3(ratio)}×). Across the slow link the ring sent ${formatBytes(xr.total)} in all (${formatBytes(xr.perRankMax)} from each of the ranks at a node edge), the hierarchical schedule ${formatBytes(xh.total)} (${formatBytes(xh.perRankMax)} from each node's leader).`,
      ...(holds
        ? {}
        : {
            why: `The hierarchical all-reduce was expected to win by sending less over the slow link. Its intra-node steps here cost this tab's staging (a readback and an upload each, milliseconds at 8 ranks), not NVLink's microseconds, which eats what it saves on the slow link.${softwareNote(ring.software)}`,
          }),
    };
  },
  tryNext: [
    {
      label: 'Every algorithm on this two-node topology',
      tab: 'bench',
      bench: { ...TOPOLOGY, algo: 'tree', minBytes: 64, maxBytes: 256 * 1024, stepFactor: 8, iters: 3, warmupIters: 1 },
    },
  ],
};
