/**
 * The event graph of one training step (or one collective) for the projected clock
 * (DESIGN.md §4): what N separate GPUs would do, replayed from measured compute durations
 * and the α-β link model. Pure data; `projectStep` (project.ts) times it.
 */

import type { AlphaBeta, LinkOf } from '../link/types';

export type NodeKind = 'forward' | 'backward' | 'optimizer' | 'compute' | 'allreduce-step' | 'transfer';

export interface Transfer {
  from: number;
  to: number;
  bytes: number;
  /** The receiver reduces (adds) the data: costs bytes·γ more when the graph has a γ. */
  reduce?: boolean;
}

interface NodeBase {
  /** Unique within the graph. */
  id: string;
  /** The rank that issues the node (the sender for a transfer). */
  rank: number;
  kind: NodeKind;
  /** Ids of nodes that must end before this one starts. */
  deps: string[];
  /** Free text for traces, e.g. "bucket 1 reduce-scatter 2/3". */
  label?: string;
}

/** Runs on its rank's compute stream for a measured time. */
export interface ComputeNode extends NodeBase {
  durationS: number;
}

/** Occupies the sender's send port, the receiver's receive port and the directed link. */
export interface TransferNode extends NodeBase {
  transfer: Transfer;
}

export type StepNode = ComputeNode | TransferNode;

export interface StepGraph {
  ranks: number;
  /** Nodes in any order; ties in start time go to the earlier one in this list. */
  nodes: StepNode[];
  /** Cost of the directed link from → to. */
  link: LinkOf<AlphaBeta>;
  /** Reduction cost in seconds per byte for `reduce` transfers (α-β-γ model); default 0. */
  gammaSPerByte?: number;
}

export function isTransfer(n: StepNode): n is TransferNode {
  return 'transfer' in n;
}

/** Duration of a node on the projected clock. */
export function nodeDurationS(graph: StepGraph, n: StepNode): number {
  if (!isTransfer(n)) return n.durationS;
  const { from, to, bytes, reduce } = n.transfer;
  const { alphaS, betaSPerByte } = graph.link(from, to);
  return alphaS + bytes * betaSPerByte + (reduce ? bytes * (graph.gammaSPerByte ?? 0) : 0);
}
