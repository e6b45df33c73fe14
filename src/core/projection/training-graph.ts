/**
 * Builds the event graph of one data-parallel training step (DESIGN.md §7) for the projected
 * clock: per rank forward (layer 0 up), backward (last layer down), the bucket all-reduces,
 * then the optimizer. Each all-reduce is its collective Schedule turned into transfer nodes.
 */
import type { Bucket } from '../buckets';
import type { Schedule } from '../schedule/types';
import type { AlphaBeta, LinkOf } from '../link/types';
import type { ComputeNode, StepGraph, StepNode, TransferNode } from './graph';

export interface TrainingStepInput {
  ranks: number;
  /** Measured compute time per layer (index = layer), the same on every rank. */
  layerComputeS: { fwd: number[]; bwd: number[] };
  /** Optimizer time (SGD plus the sum→average scale). */
  optimizerS: number;
  buckets: Bucket[];
  /** The all-reduce schedule of one bucket: `count` = bucket.count, ranges relative to the bucket. */
  scheduleFor: (bucket: Bucket) => Schedule;
  link: AlphaBeta | LinkOf<AlphaBeta>;
  /** On: bucket k starts once its layers' backward is done. Off: after the whole backward. */
  overlap: boolean;
  bytesPerElement?: number;
  gammaSPerByte?: number;
}

const fwdId = (r: number, i: number) => `r${r}.fwd${i}`;
const bwdId = (r: number, i: number) => `r${r}.bwd${i}`;

/**
 * Transfer deps, for a send a→b in some step: both ends' gradients for the bucket are ready,
 * and both ends have finished the transfers of their previous step (a rank's next send reads
 * what it last received; schedules are step-synchronous, see schedule/types.ts). `prev`
 * carries across buckets, so bucket k+1 follows bucket k on each rank's comm stream.
 */
export function buildTrainingStepGraph(input: TrainingStepInput): StepGraph {
  const { ranks, layerComputeS, optimizerS, buckets, scheduleFor, overlap } = input;
  const L = layerComputeS.fwd.length;
  if (layerComputeS.bwd.length !== L || L < 1) throw new RangeError('buildTrainingStepGraph: fwd and bwd need one time per layer');
  const bpe = input.bytesPerElement ?? 4;
  const nodes: StepNode[] = [];
  for (let r = 0; r < ranks; r++) {
    let prev: string[] = [];
    for (let i = 0; i < L; i++) {
      nodes.push({ id: fwdId(r, i), rank: r, kind: 'forward', deps: prev, durationS: layerComputeS.fwd[i] } satisfies ComputeNode);
      prev = [fwdId(r, i)];
    }
    for (let i = L - 1; i >= 0; i--) {
      nodes.push({ id: bwdId(r, i), rank: r, kind: 'backward', deps: prev, durationS: layerComputeS.bwd[i] } satisfies ComputeNode);
      prev = [bwdId(r, i)];
    }
  }
  const prevComm: string[][] = Array.from({ length: ranks }, () => []);
  for (const bucket of buckets) {
    const schedule = scheduleFor(bucket);
    if (schedule.ranks !== ranks || schedule.count !== bucket.count) {
      throw new RangeError(`buildTrainingStepGraph: bucket ${bucket.index} schedule has ${schedule.ranks} ranks × ${schedule.count} elements, expected ${ranks} × ${bucket.count}`);
    }
    const ready = (r: number) => bwdId(r, overlap ? bucket.readyAfterLayer : 0);
    schedule.steps.forEach((step, s) => {
      const stepNodes: TransferNode[] = [];
      step.ops.forEach((ops, a) =>
        ops.forEach((op, j) => {
          if (op.kind !== 'send') return;
          const b = op.peer;
          const recv = step.ops[b]?.find((o) => o.kind === 'recv' && o.peer === a && o.range.start === op.range.start);
          const deps = [...new Set([ready(a), ready(b), ...prevComm[a], ...prevComm[b]])];
          stepNodes.push({
            id: `b${bucket.index}.s${s}.r${a}.o${j}`,
            rank: a,
            kind: 'allreduce-step',
            deps,
            label: `bucket ${bucket.index} ${step.label}`,
            transfer: { from: a, to: b, bytes: op.range.count * bpe, reduce: recv?.kind === 'recv' && recv.mode === 'reduce' },
          });
        }),
      );
      for (let r = 0; r < ranks; r++) {
        const mine = stepNodes.filter((n) => n.transfer.from === r || n.transfer.to === r).map((n) => n.id);
        if (mine.length) prevComm[r] = mine;
      }
      nodes.push(...stepNodes);
    });
  }
  for (let r = 0; r < ranks; r++) {
    nodes.push({ id: `r${r}.opt`, rank: r, kind: 'optimizer', deps: [bwdId(r, 0), ...prevComm[r]], durationS: optimizerS } satisfies ComputeNode);
  }
  const link = input.link;
  return { ranks, nodes, link: typeof link === 'function' ? link : () => link, gammaSPerByte: input.gammaSPerByte };
}
