/**
 * The benchmark config (URL or command line) → the SweepRequest that runs it: one mapping for
 * the page and the CLI (the emulated links are added by each: a function on the page, plain
 * link fields for the CLI's runner page).
 */
import type { BenchConfig } from '../core/config';
import { hierarchicalRanksPerNode } from '../core/link';
import type { Algorithm } from '../core/schedule/types';
import type { SweepRequest } from './sweep';

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
    proto: c.proto,
    timeoutMs: c.timeoutMs,
    ...(ranksPerNode ? { ranksPerNode } : {}),
  };
}
