/**
 * Which link class joins two ranks (DESIGN.md §5): ranks of one node (⌊r / ranksPerNode⌋) talk
 * over the fast intra-node link, the others over the inter-node link, and one pair may be made
 * slower on purpose (a degraded cable, the link twin of the compute straggler). Pure: the
 * emulator, the cost model and the projection all read this map, so what is emulated and what
 * is predicted cannot drift apart.
 */
import type { Algorithm } from '../schedule/types';
import type { LinkSpec } from './types';

/** How `ranks` ranks sit in nodes. */
export interface NodeSplit {
  nodes: number;
  ranksPerNode: number;
}

/**
 * Ranks per node and node count for `ranks` ranks. `ranksPerNode`, when set, decides (a rank
 * count up to it is one partial node); otherwise `nodes` must divide `ranks`.
 */
export function splitNodes(ranks: number, nodes: number, ranksPerNode: number | null): NodeSplit | { error: string } {
  if (ranksPerNode !== null) {
    if (ranks <= ranksPerNode) return { nodes: 1, ranksPerNode: ranks };
    if (ranks % ranksPerNode !== 0) return { error: `${ranks} ranks do not fill nodes of ${ranksPerNode}` };
    if (nodes !== 1 && nodes * ranksPerNode !== ranks) {
      return { error: `${nodes} nodes × ${ranksPerNode} ranks per node ≠ ${ranks} ranks` };
    }
    return { nodes: ranks / ranksPerNode, ranksPerNode };
  }
  if (ranks % nodes !== 0 || ranks < nodes) return { error: `${ranks} ranks cannot be split evenly over ${nodes} nodes` };
  return { nodes, ranksPerNode: ranks / nodes };
}

/**
 * The node size `hierarchical`'s schedule runs with: the topology's (`splitNodes`), so nodes of
 * 8 at 4 ranks are one node of 4. The one rule for the bench sweep, training, the CLI's --fit and
 * the lessons. Undefined for other algorithms, and for a topology that does not split (the
 * config check reports that first).
 */
export function hierarchicalRanksPerNode(c: { ranks: number; nodes: number; ranksPerNode: number | null }, algorithm: Algorithm): number | undefined {
  if (algorithm !== 'hierarchical') return undefined;
  const split = splitNodes(c.ranks, c.nodes, c.ranksPerNode);
  return 'error' in split ? undefined : split.ranksPerNode;
}

/** A two-class topology: nodes of `ranksPerNode` ranks. */
export interface LinkTopology {
  ranksPerNode: number;
  intra: LinkSpec;
  inter: LinkSpec;
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

/** Node of a rank: ranks 0..k−1 are node 0, k..2k−1 node 1, ... */
export function nodeOf(rank: number, ranksPerNode: number): number {
  return Math.floor(rank / ranksPerNode);
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
 * The link between `from` and `to`: intra when both are in one node, inter otherwise, with
 * latency × factor and bandwidth ÷ factor on the slow pair.
 */
export function linkSpecBetween(from: number, to: number, topo: LinkTopology, slow?: SlowLink): LinkSpec {
  const base = nodeOf(from, topo.ranksPerNode) === nodeOf(to, topo.ranksPerNode) ? topo.intra : topo.inter;
  if (!slow || !isSlowPair(slow, from, to)) return base;
  return { alphaS: base.alphaS * slow.factor, bandwidthBytesPerS: base.bandwidthBytesPerS / slow.factor };
}
