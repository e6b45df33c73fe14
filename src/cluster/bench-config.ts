/**
 * The benchmark config (URL or command line) → the SweepRequest that runs it: one mapping for
 * the page and the CLI (the emulated links are added by each: a function on the page, plain
 * link fields for the CLI's runner page).
 */
import type { BenchConfig } from '../core/config';
import { splitNodes } from '../core/link';
import type { Algorithm } from '../core/schedule/types';
import type { SweepRequest } from './sweep';

/**
 * Node size for `hierarchical` (its schedule needs it); undefined for other algorithms or a bad
 * topology. One rule for the sweep and training: the topology's (8 per node at 1 rank is one
 * node of 1).
 */
export function hierarchicalRanksPerNode(c: Pick<BenchConfig, 'ranks' | 'nodes' | 'ranksPerNode' | 'algo'>, algorithm: Algorithm = c.algo): number | undefined {
  if (algorithm !== 'hierarchical') return undefined;
  const topo = splitNodes(c.ranks, c.nodes, c.ranksPerNode);
  return 'error' in topo ? undefined : topo.ranksPerNode;
}

export function sweepRequestFromConfig(c: BenchConfig, algorithm: Algorithm = c.algo): Omit<SweepRequest, 'linkOf' | 'fault'> {
  const ranksPerNode = hierarchicalRanksPerNode(c, algorithm);
  return {
    collective: c.collective,
    algorithm,
    ranks: c.ranks,
    minBytes: c.minBytes,
    maxBytes: c.maxBytes,
    stepFactor: c.stepFactor,
    iters: c.iters,
    warmupIters: c.warmupIters,
    check: c.check === 1,
    op: c.op,
    root: c.root,
    average: c.average,
    outOfPlace: c.placement === 'both',
    timeoutMs: c.timeoutMs,
    ...(ranksPerNode ? { ranksPerNode } : {}),
  };
}
