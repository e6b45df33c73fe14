/**
 * Hierarchical all-reduce for nodes of k ranks (NCCL's tree/ring split, Horovod's
 * hierarchical allreduce): binomial reduce inside every node to its leader (the node's first
 * rank), ring all-reduce across the leaders, binomial broadcast inside every node. Only the
 * middle phase crosses the slow inter-node links. k = ranks degenerates to `tree`, k = 1 to
 * `ring`.
 */
import { mergeParallel } from './builder';
import { ringAllReduceSteps } from './ring';
import { binomialBroadcastSteps, binomialReduceSteps } from './tree';
import type { ScheduleStep } from './types';

/** Hierarchical all-reduce; `ranksPerNode` must divide `ranks`. */
export function hierarchicalAllReduceSteps(ranks: number, count: number, ranksPerNode: number): ScheduleStep[] {
  if (!Number.isInteger(ranksPerNode) || ranksPerNode < 1 || ranks % ranksPerNode !== 0) {
    throw new Error(`hierarchical: ranksPerNode (${ranksPerNode}) must be a positive integer dividing ranks (${ranks})`);
  }
  const nodes = ranks / ranksPerNode;
  const nodeMembers = Array.from({ length: nodes }, (_, n) => Array.from({ length: ranksPerNode }, (_, i) => n * ranksPerNode + i));
  const leaders = nodeMembers.map((members) => members[0]!);
  const intraReduce = mergeParallel(
    ranks,
    nodeMembers.map((members) => binomialReduceSteps(members, ranks, count, 0, 'intra-node reduce')),
  );
  const interRing = ringAllReduceSteps(leaders, ranks, count).map((step) => ({ ...step, label: `inter-node ${step.label}` }));
  const intraBroadcast = mergeParallel(
    ranks,
    nodeMembers.map((members) => binomialBroadcastSteps(members, ranks, count, 0, 'intra-node broadcast')),
  );
  return [...intraReduce, ...interRing, ...intraBroadcast];
}
