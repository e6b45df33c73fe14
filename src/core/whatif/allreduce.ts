/**
 * All-reduce time of every algorithm on a what-if fabric (src/core/whatif/fabric.ts), in
 * closed form so that 131,072 GPUs cost microseconds to project. Each form is the α-β cost of
 * the algorithm's own schedule (src/core/schedule) with every message costed on the link of
 * its pair's level, step by step (a step lasts as long as its slowest message, γ = 0): the
 * unit tests hold the closed forms to `scheduleCost` on the built schedules with
 * `fabricLinkOf`. Exact for powers of two (GPUs, GPUs per node, GPUs per switch); other counts
 * use ⌈lg N⌉ steps and are indicative.
 */
import type { AlphaBetaGamma, LinkOf } from '../link/types';
import type { Algorithm } from '../schedule/types';
import { jobLevel, levelLink, pairLevel, subtreeGpus, type Fabric } from './fabric';

/** The per-pair link of the fabric, for `scheduleCost(schedule, link, 4, fabricLinkOf(f))`. */
export function fabricLinkOf(f: Fabric): LinkOf<AlphaBetaGamma> {
  return (from, to) => ({ ...levelLink(f, pairLevel(f, from, to)), gammaSPerByte: 0 });
}

/** Slowest message of `bytes` among pairs whose levels span lo..hi. */
function slowest(f: Fabric, lo: number, hi: number, bytes: number): number {
  let t = 0;
  for (let l = lo; l <= hi; l++) {
    const link = levelLink(f, l);
    t = Math.max(t, link.alphaS + bytes * link.betaSPerByte);
  }
  return t;
}

/**
 * Levels crossed by the pairs (i, i xor d), i < n: from the pair (0, d) up to the highest
 * level whose aligned subtrees are not multiples of 2d (some pair straddles one), capped by
 * the job's own level.
 */
function xorLevels(f: Fabric, n: number, d: number): [number, number] {
  const lo = pairLevel(f, 0, Math.min(d, n - 1));
  const top = jobLevel(f, n);
  let hi = lo;
  for (let l = 0; l < top; l++) {
    const s = l === 0 ? f.gpusPerNode : subtreeGpus(f, l);
    if (s >= n) break;
    if (s % (2 * d) !== 0) hi = Math.max(hi, l + 1);
  }
  return [lo, Math.max(lo, Math.min(hi, top))];
}

/** Distances 1, 2, 4, … below n: the steps of binomial and recursive algorithms. */
function distances(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d < n; d *= 2) out.push(d);
  return out;
}

function ringTime(f: Fabric, n: number, bytes: number): number {
  const lo = f.gpusPerNode > 1 ? 0 : 1;
  return 2 * (n - 1) * slowest(f, lo, jobLevel(f, n), bytes / n);
}

function starTime(f: Fabric, n: number, bytes: number): number {
  // Rank 0 receives from everyone and sends to everyone; its port serialises the messages.
  let t = 0;
  let below = 1;
  for (let l = 0; l <= jobLevel(f, n); l++) {
    const reach = Math.min(n, l === 0 ? f.gpusPerNode : f.kind === 'flat' ? n : subtreeGpus(f, l));
    const partners = reach - below;
    const link = levelLink(f, l);
    t += partners * (link.alphaS + bytes * link.betaSPerByte);
    below = Math.max(below, reach);
  }
  return 2 * t;
}

function hierarchicalTime(f: Fabric, n: number, bytes: number): number {
  const k = Math.min(f.gpusPerNode, n);
  const intra = levelLink(f, 0);
  const inNode = Math.ceil(Math.log2(k)) * (intra.alphaS + bytes * intra.betaSPerByte);
  const nodes = Math.ceil(n / f.gpusPerNode);
  if (nodes === 1) return 2 * inNode;
  const ring = 2 * (nodes - 1) * slowest(f, pairLevel(f, 0, f.gpusPerNode), jobLevel(f, n), bytes / nodes);
  return 2 * inNode + ring;
}

/**
 * One all-reduce of `bytes` on GPUs 0..n−1 of the fabric, s.
 * - ring: 2(N−1) steps of S/N, each as slow as the slowest pair (the wrap-around crosses the
 *   whole job);
 * - tree (binomial reduce + broadcast): 2 per distance d = 1, 2, … of the whole message;
 * - recursive-doubling: one exchange of the whole message per distance;
 * - rabenseifner: halving S/2, S/4, … at distances N/2, N/4, …, then doubling back;
 * - star: rank 0 serialises 2(N−1) messages, each on its pair's link;
 * - hierarchical: binomial reduce and broadcast inside the node, ring of S over the node leaders.
 */
export function fabricAllReduceS(algorithm: Algorithm, f: Fabric, n: number, bytes: number): number {
  if (n <= 1 || bytes <= 0) return 0;
  switch (algorithm) {
    case 'ring':
      return ringTime(f, n, bytes);
    case 'tree':
      return 2 * distances(n).reduce((t, d) => t + slowest(f, ...xorLevels(f, n, d), bytes), 0);
    case 'recursive-doubling':
      return distances(n).reduce((t, d) => t + slowest(f, ...xorLevels(f, n, d), bytes), 0);
    case 'rabenseifner': {
      const ds = distances(n);
      const pow2 = 2 * ds[ds.length - 1]!;
      return 2 * ds.reduce((t, d) => t + slowest(f, ...xorLevels(f, n, d), (bytes * d) / pow2), 0);
    }
    case 'star':
      return starTime(f, n, bytes);
    case 'hierarchical':
      return hierarchicalTime(f, n, bytes);
  }
}
