/**
 * Which link class joins two ranks (DESIGN.md §5): ranks of one node (⌊r / ranksPerNode⌋) talk
 * over the fast intra-node link, the others over the inter-node link, and one pair may be made
 * slower on purpose (a degraded cable, the link twin of the compute straggler). Pure: the
 * emulator (src/cluster/link-models.ts), the cost model and the projection all read this map,
 * so what is emulated and what is predicted cannot drift apart.
 */
import type { LinkCost as AlphaBetaGamma, LinkOf } from './cost/schedule-cost';
import type { LinkCost } from './links';

/** Latency (s) and inverse bandwidth (s/byte) of one directed link; the emulator's LinkModel. */
export interface EmulatedLink {
  alphaS: number;
  betaSPerByte: number;
}

/** One pair made slower: bandwidth ÷ factor and latency × factor. */
export interface SlowLink {
  from: number;
  to: number;
  /** ≥ 1. */
  factor: number;
  /**
   * Only the from → to direction. Default false: a slow cable slows both directions, and ring
   * (which uses r → r+1 only) must feel a slow 2–1 pair as much as a slow 1–2 one.
   */
  directed?: boolean;
}

/** A two-class topology: nodes of `ranksPerNode` ranks. */
export interface LinkTopology {
  ranksPerNode: number;
  intra: LinkCost;
  inter: LinkCost;
}

/** Node of a rank: ranks 0..k−1 are node 0, k..2k−1 node 1, ... */
export function nodeOf(rank: number, ranksPerNode: number): number {
  return Math.floor(rank / ranksPerNode);
}

/** α-β link (s, s/byte) of a cost given as latency and bandwidth. */
export function toEmulatedLink(cost: LinkCost): EmulatedLink {
  if (!(cost.bandwidthBytesPerS > 0)) throw new Error(`link bandwidth must be positive, got ${cost.bandwidthBytesPerS}`);
  return { alphaS: cost.alphaS, betaSPerByte: 1 / cost.bandwidthBytesPerS };
}

/** True when `slow` names the directed pair from → to. */
function isSlowPair(slow: SlowLink, from: number, to: number): boolean {
  if (slow.from === from && slow.to === to) return true;
  return !slow.directed && slow.from === to && slow.to === from;
}

/** @throws Error for a factor below 1, a pair of one rank, or ranks outside [0, ranks). */
export function checkSlowLink(slow: SlowLink, ranks: number): void {
  if (!(slow.factor >= 1) || !Number.isFinite(slow.factor)) throw new Error(`slow link factor must be ≥ 1, got ${slow.factor}`);
  for (const r of [slow.from, slow.to]) {
    if (!Number.isInteger(r) || r < 0 || r >= ranks) throw new Error(`slow link rank ${r} is not one of 0..${ranks - 1}`);
  }
  if (slow.from === slow.to) throw new Error(`slow link ${slow.from}→${slow.to} joins a rank to itself`);
}

/**
 * The link cost between `from` and `to`: intra when both are in one node, inter otherwise,
 * with latency × factor and bandwidth ÷ factor on the slow pair.
 */
export function linkCostBetween(from: number, to: number, topo: LinkTopology, slow?: SlowLink): LinkCost {
  const base = nodeOf(from, topo.ranksPerNode) === nodeOf(to, topo.ranksPerNode) ? topo.intra : topo.inter;
  if (!slow || !isSlowPair(slow, from, to)) return base;
  return { alphaS: base.alphaS * slow.factor, bandwidthBytesPerS: base.bandwidthBytesPerS / slow.factor };
}

/** The emulator's per-pair function: every directed pair → its α-β link. */
export function emulatedLinkOf(topo: LinkTopology, slow?: SlowLink): (from: number, to: number) => EmulatedLink {
  return (from, to) => toEmulatedLink(linkCostBetween(from, to, topo, slow));
}

/**
 * The cost model's per-pair function for `scheduleCost(schedule, link, 4, linkOf)`, with a
 * reduction cost γ (s/byte) that is the same on every link (it is the receiver's kernel, not
 * the wire).
 */
export function costLinkOf(topo: LinkTopology, gammaSPerByte = 0, slow?: SlowLink): LinkOf {
  const emulated = emulatedLinkOf(topo, slow);
  return (from, to) => ({ ...emulated(from, to), gammaSPerByte });
}

/** The α-β-γ link of one class, for `scheduleCost`'s default link argument. */
export function costLink(cost: LinkCost, gammaSPerByte = 0): AlphaBetaGamma {
  return { ...toEmulatedLink(cost), gammaSPerByte };
}

/** One line for the UI and logs, e.g. "intra 0.6 µs 450 GB/s, inter 2.7 µs 50 GB/s, 4 ranks/node". */
export function describeTopology(topo: LinkTopology, nodes: number, slow?: SlowLink): string {
  const one = (c: LinkCost): string => `α ${formatSeconds(c.alphaS)}, ${formatRate(c.bandwidthBytesPerS)}`;
  const classes = nodes > 1 ? `intra ${one(topo.intra)}; inter ${one(topo.inter)}; ${nodes} nodes × ${topo.ranksPerNode} ranks` : `every pair ${one(topo.inter)}`;
  if (!slow) return classes;
  const arrow = slow.directed ? '→' : '↔';
  return `${classes}; slow link ${slow.from}${arrow}${slow.to} ×${slow.factor}`;
}

/** Seconds with a readable unit (µs below 1 ms, ms below 1 s). */
export function formatSeconds(s: number): string {
  if (s === 0) return '0 s';
  if (s < 1e-3) return `${round3(s * 1e6)} µs`;
  if (s < 1) return `${round3(s * 1e3)} ms`;
  return `${round3(s)} s`;
}

/** Bytes per second in decimal units (1 GB = 1e9 B, as nccl-tests). */
export function formatRate(bytesPerS: number): string {
  if (bytesPerS >= 1e9) return `${round3(bytesPerS / 1e9)} GB/s`;
  if (bytesPerS >= 1e6) return `${round3(bytesPerS / 1e6)} MB/s`;
  if (bytesPerS >= 1e3) return `${round3(bytesPerS / 1e3)} kB/s`;
  return `${round3(bytesPerS)} B/s`;
}

/** Three significant digits, without trailing zeros. */
function round3(x: number): string {
  return String(Number(x.toPrecision(3)));
}
