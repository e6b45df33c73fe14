/**
 * Entry point of the schedule generators (DESIGN.md §1): `buildSchedule` turns
 * (collective, algorithm, ranks, count, options) into a validated-by-construction Schedule.
 *
 * Supported combinations (see `supportedAlgorithms`):
 *  - all_reduce: every algorithm.
 *  - reduce_scatter: `ring`, and `rabenseifner` (its recursive-halving first half).
 *  - all_gather: `ring`, and `recursive-doubling`.
 *  - broadcast: `ring` (a chain from the root), `tree` (binomial), `star` (root to all).
 */
import { isEmptyStep } from './builder';
import { hierarchicalAllReduceSteps } from './hierarchical';
import { rabenseifnerAllReduceSteps, rabenseifnerReduceScatterSteps } from './rabenseifner';
import { recursiveDoublingAllGatherSteps, recursiveDoublingAllReduceSteps } from './recursive-doubling';
import { chainBroadcastSteps, ringAllGatherSteps, ringAllReduceSteps, ringReduceScatterSteps } from './ring';
import { starAllReduceSteps, starBroadcastSteps } from './star';
import { binomialBroadcastSteps, treeAllReduceSteps } from './tree';
import { ALGORITHMS, type Algorithm, type Collective, type Schedule, type ScheduleOptions, type ScheduleStep } from './types';

export * from './types';
export { validateSchedule } from './validate';

/** Arguments every generator gets; `members` is the whole cluster [0, ranks). */
interface GenArgs {
  members: number[];
  ranks: number;
  count: number;
  root: number;
  options: ScheduleOptions;
}
type Generator = (a: GenArgs) => ScheduleStep[];

const GENERATORS: Record<Collective, Partial<Record<Algorithm, Generator>>> = {
  all_reduce: {
    ring: (a) => ringAllReduceSteps(a.members, a.ranks, a.count),
    tree: (a) => treeAllReduceSteps(a.members, a.ranks, a.count, a.root),
    'recursive-doubling': (a) => recursiveDoublingAllReduceSteps(a.members, a.ranks, a.count),
    rabenseifner: (a) => rabenseifnerAllReduceSteps(a.members, a.ranks, a.count),
    star: (a) => starAllReduceSteps(a.ranks, a.count, a.root),
    hierarchical: (a) => {
      if (a.options.ranksPerNode === undefined) throw new Error('hierarchical all_reduce needs options.ranksPerNode');
      return hierarchicalAllReduceSteps(a.ranks, a.count, a.options.ranksPerNode);
    },
  },
  reduce_scatter: {
    ring: (a) => ringReduceScatterSteps(a.members, a.ranks, a.count),
    rabenseifner: (a) => rabenseifnerReduceScatterSteps(a.members, a.ranks, a.count),
  },
  all_gather: {
    ring: (a) => ringAllGatherSteps(a.members, a.ranks, a.count),
    'recursive-doubling': (a) => recursiveDoublingAllGatherSteps(a.members, a.ranks, a.count),
  },
  broadcast: {
    ring: (a) => chainBroadcastSteps(a.members, a.ranks, a.count, a.root),
    tree: (a) => binomialBroadcastSteps(a.members, a.ranks, a.count, a.root),
    star: (a) => starBroadcastSteps(a.ranks, a.count, a.root),
  },
};

/** The algorithms `buildSchedule` accepts for a collective, in ALGORITHMS order. */
export function supportedAlgorithms(collective: Collective): Algorithm[] {
  const table = GENERATORS[collective];
  if (!table) throw new Error(`unknown collective "${String(collective)}"`);
  return ALGORITHMS.filter((a) => table[a] !== undefined);
}

/**
 * Builds the schedule of `algorithm` for `collective` on `ranks` ranks and `count` elements.
 * Steps in which no rank does anything (possible when count < ranks) are dropped, so every
 * step moves data. Throws an Error naming the problem for unsupported combinations and bad
 * arguments (ranks or count not a positive integer, root out of range, hierarchical without a
 * ranksPerNode that divides ranks).
 */
export function buildSchedule(collective: Collective, algorithm: Algorithm, ranks: number, count: number, options: ScheduleOptions = {}): Schedule {
  const gen = GENERATORS[collective]?.[algorithm];
  if (!gen) {
    const known = GENERATORS[collective] ? supportedAlgorithms(collective).join(', ') : 'none (unknown collective)';
    throw new Error(`no "${algorithm}" algorithm for ${collective}; supported: ${known}`);
  }
  if (!Number.isInteger(ranks) || ranks < 1) throw new Error(`ranks must be a positive integer, got ${ranks}`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive integer, got ${count}`);
  const root = options.root ?? 0;
  if (!Number.isInteger(root) || root < 0 || root >= ranks) throw new Error(`root ${root} is not a rank of 0..${ranks - 1}`);
  const members = Array.from({ length: ranks }, (_, r) => r);
  const steps = gen({ members, ranks, count, root, options }).filter((step) => !isEmptyStep(step));
  return { algorithm, collective, ranks, count, options: { ...options }, steps };
}
export { runOnCpu, expectedResult, resultRange } from './cpu-executor';
