/**
 * The projected clock of a training step (DESIGN.md §4): the step's event graph replayed with
 * calibrated (uncontended) compute and the α-β link of every pair.
 *
 * Link 'none' (raw shared memory on the measured clock) has no preset. The projection then uses
 * the shared-memory link as this run measured it: α and β fitted by least squares to the last
 * step's send spans (GPU→staging copy, map, slot write: DESIGN.md §3), so the projected clock
 * shows what these same links would give with uncontended compute. Without send spans (one
 * rank) it falls back to NVLink 4 scaled by the similarity ratio. `linkLabel` says which.
 */
import type { Bucket } from '../core/buckets';
import { median } from '../core/metrics';
import { emulatedLinks, type AlphaBeta, type LinkConfig, type LinkOf } from '../core/link';
import { buildTrainingStepGraph, projectStep, type StepGraph, type StepProjection } from '../core/projection';
import { buildSchedule } from '../core/schedule';
import type { Algorithm } from '../core/schedule/types';
import type { Calibration } from '../rank/train';

export interface ProjectionInput {
  ranks: number;
  calibration: Calibration;
  buckets: Bucket[];
  algorithm: Algorithm;
  ranksPerNode?: number;
  overlap: boolean;
  link: LinkConfig;
  /** For link 'none': the measured shared-memory link (fitSendLink). */
  sharedMemoryLink?: AlphaBeta;
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

/**
 * α (s) and β (s/B) fitted to (bytes, seconds) samples by ordinary least squares, clamped to
 * be non-negative. When the sizes span less than a factor of 2 (a single bucket's ring chunks
 * differ by one element), the slope is noise: α = median time and β = 0. Null without samples.
 */
export function fitSendLink(samples: { bytes: number; seconds: number }[]): AlphaBeta | null {
  const n = samples.length;
  if (n === 0) return null;
  const sizes = samples.map((s) => s.bytes);
  if (Math.max(...sizes) < 2 * Math.min(...sizes)) {
    return { alphaS: median(samples.map((s) => s.seconds)), betaSPerByte: 0 };
  }
  const mx = samples.reduce((a, s) => a + s.bytes, 0) / n;
  const my = samples.reduce((a, s) => a + s.seconds, 0) / n;
  const sxx = samples.reduce((a, s) => a + (s.bytes - mx) ** 2, 0);
  const sxy = samples.reduce((a, s) => a + (s.bytes - mx) * (s.seconds - my), 0);
  const beta = sxx > 0 ? Math.max(0, sxy / sxx) : 0;
  const alpha = Math.max(0, my - beta * mx);
  return { alphaS: alpha, betaSPerByte: beta };
}

/** Builds and times the graph of one step. */
export function projectTrainingStep(input: ProjectionInput): ProjectedStep {
  const { ranks, calibration: cal } = input;
  const shm = input.link.link === 'none' ? input.sharedMemoryLink : undefined;
  const cfg = projectionLinkConfig(input.link);
  const { linkOf, resolved } = emulatedLinks(cfg, ranks, cal.flopsPerS);
  const link: LinkOf<AlphaBeta> = (from, to) => shm ?? linkOf?.(from, to) ?? { alphaS: 0, betaSPerByte: 0 };
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
  const linkLabel = shm
    ? `link none: shared-memory staging as measured in this run (α ${(shm.alphaS * 1e6).toPrecision(3)} µs, ` +
      `${shm.betaSPerByte > 0 ? `${(1 / shm.betaSPerByte / 1e6).toPrecision(3)} MB/s` : 'no size dependence seen'}, fitted to the last step's sends)`
    : (input.link.link === 'none' ? 'link none on the measured clock; projected as ' : '') +
      `${cfg.link}${ratio ? ` scaled by the similarity ratio ${ratio.toExponential(2)} (${resolved.gpu.name})` : ' (real figures, unscaled)'}`;
  return { graph, projection: projectStep(graph), linkLabel };
}
