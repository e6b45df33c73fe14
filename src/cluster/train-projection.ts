/**
 * The projected clock of a training step (DESIGN.md §4): the step's event graph replayed with
 * calibrated (uncontended) compute and the α-β link of every pair.
 *
 * Link 'none' (raw shared memory on the measured clock) has no cost model of its own; the
 * projection then uses NVLink 4 (the fastest preset) scaled by the similarity ratio, i.e. what
 * the same run would do on an NVLink-connected H100-class node (or the --gpu chosen). This
 * choice is reported as `linkLabel`.
 */
import type { Bucket } from '../core/buckets';
import type { LinkConfig } from '../core/config/link-fields';
import { resolveLink } from '../core/links';
import { buildTrainingStepGraph, projectStep, type LinkCost, type StepGraph, type StepProjection } from '../core/projection';
import { buildSchedule } from '../core/schedule';
import type { Algorithm } from '../core/schedule/types';
import type { Calibration } from '../rank/train';
import { linkOfFromConfig } from './link-of';

export interface ProjectionInput {
  ranks: number;
  calibration: Calibration;
  buckets: Bucket[];
  algorithm: Algorithm;
  ranksPerNode?: number;
  overlap: boolean;
  link: LinkConfig;
  /** Compute slow-down of one rank (whole repeats, as the measured run does). */
  straggler?: { rank: number; factor: number };
}

export interface ProjectedStep {
  graph: StepGraph;
  projection: StepProjection;
  /** Which link the projection used, in words. */
  linkLabel: string;
}

/** The link config the projection uses (see the file comment for 'none'). */
export function projectionLinkConfig(link: LinkConfig): LinkConfig {
  return link.link === 'none' ? { ...link, link: 'nvlink', alphaUs: null, bandwidth: null, scaled: true } : link;
}

/** Builds and times the graph of one step. */
export function projectTrainingStep(input: ProjectionInput): ProjectedStep {
  const { ranks, calibration: cal } = input;
  const cfg = projectionLinkConfig(input.link);
  const linkOf = linkOfFromConfig(cfg, ranks, cal.flopsPerS);
  const resolved = resolveLink(cfg, ranks, cal.flopsPerS);
  const link: (from: number, to: number) => LinkCost = (from, to) => linkOf?.(from, to) ?? { alphaS: 0, betaSPerByte: 0 };
  const opts = input.ranksPerNode ? { ranksPerNode: input.ranksPerNode } : {};
  const graph = buildTrainingStepGraph({
    ranks,
    layerComputeS: { fwd: cal.fwdS, bwd: cal.bwdS },
    optimizerS: cal.optimizerS,
    buckets: input.buckets,
    scheduleFor: (b) => buildSchedule('all_reduce', input.algorithm, ranks, b.count, opts),
    link,
    overlap: input.overlap,
  });
  const s = input.straggler;
  if (s && s.rank < ranks) {
    const repeats = Math.max(1, Math.round(s.factor));
    for (const n of graph.nodes) {
      if ('durationS' in n && n.rank === s.rank && (n.kind === 'forward' || n.kind === 'backward')) n.durationS *= repeats;
    }
  }
  const ratio = resolved?.ratio;
  const linkLabel =
    (input.link.link === 'none' ? 'link none on the measured clock; projected as ' : '') +
    `${cfg.link}${ratio ? ` scaled by the similarity ratio ${ratio.toExponential(2)} (${resolved.gpu.name})` : ' (real figures, unscaled)'}`;
  return { graph, projection: projectStep(graph), linkLabel };
}
