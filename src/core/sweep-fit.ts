/**
 * The α-β fit of one measured sweep (DESIGN.md §6): the algorithm's schedule says how many
 * latency terms and how many bytes lie on its critical path at every size; least squares
 * gives α and β. Used by the page (curves, n*, crossovers) and the CLI (--fit).
 */
import type { BenchRow } from './nccl-format';
import { fitAlgorithm, scheduleCoefficients, type AlgorithmFit } from './fit';
import type { Algorithm, Collective } from './schedule/types';
import { runToEnd, type Steps } from './steps';

export interface SweepIdentity {
  collective: Collective;
  algorithm: Algorithm;
  ranks: number;
  root: number;
  ranksPerNode?: number;
}

/** The fit, or the reason there is none (one rank: no communication; fewer than two sizes). */
export function fitSweep(id: SweepIdentity, rows: readonly BenchRow[]): AlgorithmFit | { error: string } {
  return runToEnd(fitSweepSteps(id, rows));
}

/**
 * `fitSweep` as steps (core/steps.ts): one yield per measured size, each of which costs one
 * schedule build, so the page can fit a long sweep in short tasks.
 */
export function* fitSweepSteps(id: SweepIdentity, rows: readonly BenchRow[]): Steps<AlgorithmFit | { error: string }> {
  const points = rows.filter((r) => r.timeUs > 0).map((r) => ({ bytes: r.bytes, timeS: r.timeUs / 1e6 }));
  if (id.ranks < 2) return { error: 'one rank sends nothing: no link to fit' };
  if (points.length < 2) return { error: `need at least two sizes, have ${points.length}` };
  try {
    const coefficientsOf = scheduleCoefficients(id.collective, id.algorithm, id.ranks, { root: id.root, ...(id.ranksPerNode ? { ranksPerNode: id.ranksPerNode } : {}) });
    for (const p of points) {
      coefficientsOf(p.bytes);
      yield;
    }
    return fitAlgorithm(points, coefficientsOf);
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
