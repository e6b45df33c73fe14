/**
 * What a sweep will cost on its emulated links, predicted by the α-β model from the schedules
 * themselves (DESIGN.md §1): per size, one iteration's time; in all, warm-up plus timed
 * iterations of every size. The page states the total before a run; the sweep sizes its
 * timeouts from it, so a healthy run on a slow link is never taken for a dead rank.
 */
import { scheduleCost } from '../core/cost';
import { buildSchedule } from '../core/schedule';
import type { Algorithm, Collective } from '../core/schedule/types';
import type { AlphaBeta, LinkOf } from '../core/link';
import { formatBytes } from '../core/units';

/** The parts of a sweep request the prediction reads. */
export interface SweepShape {
  collective: Collective;
  algorithm: Algorithm;
  ranks: number;
  root: number;
  ranksPerNode?: number;
  warmupIters: number;
  iters: number;
  linkOf?: LinkOf<AlphaBeta | null>;
}

export interface SweepPrediction {
  /** One iteration of each size on the emulated links, s (0 without a link). */
  iterationS: number[];
  /** Every iteration (warm-up and timed) of every size, s. */
  totalS: number;
}

/** nccl-tests' size list: min, min·f, min·f², ... while ≤ max. */
export function sweepSizes(minBytes: number, maxBytes: number, stepFactor: number): number[] {
  const sizes: number[] = [];
  for (let b = minBytes; b <= maxBytes; b *= stepFactor) sizes.push(b);
  return sizes;
}

/** The α-β time of each size of `sizesBytes` under `req`'s links (see the file comment). */
export function predictSweep(req: SweepShape, sizesBytes: readonly number[]): SweepPrediction {
  const linkOf = req.linkOf;
  if (!linkOf) return { iterationS: sizesBytes.map(() => 0), totalS: 0 };
  const costOf = (a: number, b: number) => {
    const m = linkOf(a, b);
    return { alphaS: m?.alphaS ?? 0, betaSPerByte: m?.betaSPerByte ?? 0, gammaSPerByte: 0 };
  };
  const opts = { root: req.root, ...(req.ranksPerNode ? { ranksPerNode: req.ranksPerNode } : {}) };
  const iterationS = sizesBytes.map((bytes) => scheduleCost(buildSchedule(req.collective, req.algorithm, req.ranks, Math.floor(bytes / 4), opts), costOf(0, 1), 4, costOf).timeS);
  const totalS = iterationS.reduce((sum, s) => sum + (req.warmupIters + req.iters) * s, 0);
  return { iterationS, totalS };
}

/**
 * The sizes a sweep will run, in words, saying why the largest may be below max bytes
 * (issue 10, defect 6: with max bytes 1M the largest row is 512 KiB).
 */
export function describeSizes(minBytes: number, maxBytes: number, stepFactor: number): string {
  const sizes = sweepSizes(minBytes, maxBytes, stepFactor);
  const last = sizes.at(-1) ?? minBytes;
  const head = `${sizes.length} size${sizes.length === 1 ? '' : 's'}, ${formatBytes(minBytes)} to ${formatBytes(last)}`;
  if (last === maxBytes) return `${head}.`;
  return `${head}: each size is the previous × ${stepFactor} while ≤ max bytes ${formatBytes(maxBytes)}, as nccl-tests does, and the next, ${formatBytes(last * stepFactor)}, is beyond it (set max bytes to ${formatBytes(last * stepFactor)} to include it).`;
}
