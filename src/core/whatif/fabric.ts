/**
 * A datacenter fabric for the what-if: nodes of k GPUs joined by a fast intra-node link, and
 * between nodes either a flat network (every pair one α, one bandwidth) or a folded-Clos
 * fat-tree of switches with `radix` ports and `levels` levels, a per-hop latency and an
 * oversubscription at the leaf (down-links : up-links).
 *
 * Model (stated on the page):
 * - every GPU has its own NIC of the link's bandwidth (one rail per GPU);
 * - the job is placed compactly: GPU g sits in node ⌊g/k⌋, and nodes fill leaf switches, pods
 *   and the tree in order, so a job spans the smallest subtree that holds it;
 * - two GPUs whose lowest common switch is at level ℓ cross 2ℓ−1 switches: their α is the
 *   link's α plus 2ℓ−1 hops;
 * - traffic that leaves a leaf switch (ℓ ≥ 2) shares its up-links: its bandwidth is the link's
 *   divided by the oversubscription (the worst case, when every GPU under the leaf sends up at
 *   once, which bandwidth-bound collectives do). Levels above the leaf are non-blocking.
 * Pure.
 */
import type { AlphaBeta, LinkSpec } from '../link/types';

export const FABRIC_KINDS = ['flat', 'fat-tree'] as const;
export type FabricKind = (typeof FABRIC_KINDS)[number];

export interface Fabric {
  gpusPerNode: number;
  intra: LinkSpec;
  /** NIC-to-NIC link between nodes: α without switch hops, bandwidth per GPU per direction. */
  inter: LinkSpec;
  kind: FabricKind;
  /** Ports per switch (fat-tree). */
  radix: number;
  /** Switch levels (fat-tree): 1 = one switch, 2 = leaf-spine, 3 = leaf-spine-core, … */
  levels: number;
  /** Latency of one switch traversal, s (fat-tree). */
  hopLatencyS: number;
  /** Leaf down-links per up-link, ≥ 1 (fat-tree). */
  oversubscription: number;
}

/** @throws Error naming the value and what is allowed. */
export function checkFabric(f: Fabric): void {
  if (!Number.isInteger(f.gpusPerNode) || f.gpusPerNode < 1) throw new Error(`GPUs per node must be an integer ≥ 1, got ${f.gpusPerNode}`);
  for (const [name, l] of [
    ['intra-node', f.intra],
    ['inter-node', f.inter],
  ] as const) {
    if (!(l.bandwidthBytesPerS > 0) || !Number.isFinite(l.bandwidthBytesPerS)) throw new Error(`${name} bandwidth must be positive, got ${l.bandwidthBytesPerS}`);
    if (!(l.alphaS >= 0)) throw new Error(`${name} α must be ≥ 0, got ${l.alphaS}`);
  }
  if (f.kind === 'flat') return;
  if (!Number.isInteger(f.radix) || f.radix < 2) throw new Error(`switch radix must be an integer ≥ 2 (ports per switch), got ${f.radix}`);
  if (!Number.isInteger(f.levels) || f.levels < 1) throw new Error(`fat-tree levels must be an integer ≥ 1, got ${f.levels}`);
  if (!(f.oversubscription >= 1) || !Number.isFinite(f.oversubscription)) {
    throw new Error(`oversubscription must be ≥ 1 (down-links per up-link, 1 = full bisection), got ${f.oversubscription}`);
  }
  if (!(f.hopLatencyS >= 0)) throw new Error(`per-hop latency must be ≥ 0, got ${f.hopLatencyS}`);
  const leaf = leafGpus(f);
  if (leaf < f.gpusPerNode) {
    throw new Error(`a leaf switch of radix ${f.radix} at ${f.oversubscription}:1 has ${leaf} down-links, fewer than one node of ${f.gpusPerNode} GPUs`);
  }
}

/**
 * GPUs under one leaf switch: all `radix` ports with one level; otherwise the down share
 * radix·o/(1+o), rounded down to whole nodes.
 */
export function leafGpus(f: Fabric): number {
  if (f.levels === 1) return f.radix;
  const down = Math.floor((f.radix * f.oversubscription) / (1 + f.oversubscription) + 1e-9);
  return Math.floor(down / f.gpusPerNode) * f.gpusPerNode;
}

/**
 * GPUs under one switch of level ℓ (1 = leaf). Intermediate levels split their ports half down,
 * half up; the top level points all its ports down, so the top holds radix times the level
 * below it (a 2-level tree of radix r at 1:1 holds r²/2, a 3-level one r³/4).
 */
export function subtreeGpus(f: Fabric, level: number): number {
  if (level <= 0) return f.gpusPerNode;
  const leaf = leafGpus(f);
  if (level === 1) return leaf;
  const half = f.radix / 2;
  if (level < f.levels) return leaf * half ** (level - 1);
  return leaf * f.radix * half ** (f.levels - 2);
}

/** Most GPUs the fabric connects (flat: unlimited). */
export function fabricCapacity(f: Fabric): number {
  return f.kind === 'flat' ? Infinity : subtreeGpus(f, f.levels);
}

/** @throws Error when n GPUs do not fit in the fabric. */
export function checkFits(f: Fabric, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`GPU count must be an integer ≥ 1, got ${n}`);
  const cap = fabricCapacity(f);
  if (n > cap) {
    throw new Error(
      `${n} GPUs do not fit a fat-tree of radix ${f.radix}, ${f.levels} level(s), ${f.oversubscription}:1: it connects at most ${cap.toLocaleString('en-US')} GPUs (add a level or use a larger radix)`,
    );
  }
}

/**
 * Level of the lowest switch two GPUs share: 0 in one node, 1 under one leaf, …, `levels` at
 * the top; a flat fabric has one level, 1.
 */
export function pairLevel(f: Fabric, a: number, b: number): number {
  const k = f.gpusPerNode;
  if (Math.floor(a / k) === Math.floor(b / k)) return 0;
  if (f.kind === 'flat') return 1;
  for (let l = 1; l < f.levels; l++) {
    const s = subtreeGpus(f, l);
    if (Math.floor(a / s) === Math.floor(b / s)) return l;
  }
  return f.levels;
}

/** The highest level a job of n GPUs crosses (0 within one node). */
export function jobLevel(f: Fabric, n: number): number {
  return n <= 1 ? 0 : pairLevel(f, 0, n - 1);
}

/** Switches a message crosses between GPUs whose common switch is at `level`: 2ℓ−1. */
export function hopsAt(f: Fabric, level: number): number {
  return f.kind === 'flat' || level === 0 ? 0 : 2 * level - 1;
}

/** α and β of a message between GPUs at `level`. */
export function levelLink(f: Fabric, level: number): AlphaBeta {
  if (level === 0) return { alphaS: f.intra.alphaS, betaSPerByte: 1 / f.intra.bandwidthBytesPerS };
  const alphaS = f.inter.alphaS + hopsAt(f, level) * (f.kind === 'flat' ? 0 : f.hopLatencyS);
  const oversub = f.kind === 'fat-tree' && level >= 2 ? f.oversubscription : 1;
  return { alphaS, betaSPerByte: oversub / f.inter.bandwidthBytesPerS };
}

/**
 * Bisection bandwidth of the part of the fabric a job of n GPUs uses, bytes/s per direction:
 * the n/2 GPUs of one half each send at their bandwidth across the cut (inside a node: the
 * intra-node link; under one leaf: the NIC; above it: the NIC ÷ oversubscription).
 */
export function bisectionBytesPerS(f: Fabric, n: number): number {
  if (n < 2) return 0;
  return n / 2 / levelLink(f, jobLevel(f, n)).betaSPerByte;
}

/** The fabric with another inter-node bandwidth (for "what bisection would 90 % need"). */
export function withInterBandwidth(f: Fabric, bandwidthBytesPerS: number): Fabric {
  return { ...f, inter: { ...f.inter, bandwidthBytesPerS } };
}

/** One line: "fat-tree radix 64, 3 levels (up to 65536 GPUs), 0.3 µs/hop, 1:1". */
export function describeFabric(f: Fabric): string {
  if (f.kind === 'flat') return `flat network between nodes of ${f.gpusPerNode}`;
  const cap = fabricCapacity(f);
  return `fat-tree of radix ${f.radix}, ${f.levels} level${f.levels > 1 ? 's' : ''} (up to ${cap.toLocaleString('en-US')} GPUs, ${leafGpus(f)} per leaf), ${Number((f.hopLatencyS * 1e6).toPrecision(3))} µs per hop, ${f.oversubscription}:1 at the leaf; nodes of ${f.gpusPerNode}`;
}
