/**
 * The links a run applies (DESIGN.md §5): the chosen preset or custom figures, the intra-node
 * class when there are several nodes, and the similarity-ratio scaling.
 */
import type { LinkConfig } from './config';
import { GPUS, LINK_PRESETS, scaleLink, similarityRatio, type GpuSpec } from './presets';
import { splitNodes } from './topology';
import type { LinkSpec } from './types';

/** Intra- and inter-node link costs. With one node, both are the chosen link. */
export interface LinkPair {
  intra: LinkSpec;
  inter: LinkSpec;
}

export interface ResolvedLinks extends LinkPair {
  nodes: number;
  ranksPerNode: number;
  /** The real cluster's links (preset, with --alpha-us / --bandwidth overrides). */
  real: LinkPair;
  /** Scaled by the similarity ratio; null when not scaling or no measurement yet. */
  scaled: LinkPair | null;
  ratio: number | null;
  gpu: GpuSpec;
}

/**
 * Link costs for a run of `ranks` ranks, or null for link 'none' (raw shared memory, no
 * emulated delay). `intra`/`inter` are what the emulator applies: `scaled` when config.scaled
 * and a measurement is given, else `real`.
 * @throws Error when the topology is invalid or 'custom' lacks alpha and bandwidth (the
 *   config check reports both first).
 */
export function resolveLink(config: LinkConfig, ranks: number, measuredFlops: number | null = null): ResolvedLinks | null {
  if (config.link === 'none') return null;
  const topo = splitNodes(ranks, config.nodes, config.ranksPerNode);
  if ('error' in topo) throw new Error(`resolveLink: ${topo.error}`);
  let base: LinkSpec;
  if (config.link === 'custom') {
    if (config.alphaUs === null || config.bandwidth === null) throw new Error('resolveLink: custom link needs alpha-us and bandwidth');
    base = { alphaS: 0, bandwidthBytesPerS: 0 };
  } else {
    base = LINK_PRESETS[config.link];
  }
  const chosen: LinkSpec = {
    alphaS: config.alphaUs !== null ? config.alphaUs / 1e6 : base.alphaS,
    bandwidthBytesPerS: config.bandwidth ?? base.bandwidthBytesPerS,
  };
  const intraPreset = LINK_PRESETS[config.intraLink];
  const real: LinkPair = {
    intra: topo.nodes > 1 ? { alphaS: intraPreset.alphaS, bandwidthBytesPerS: intraPreset.bandwidthBytesPerS } : chosen,
    inter: chosen,
  };
  const ratio = config.scaled && measuredFlops !== null ? similarityRatio(measuredFlops, config.gpu) : null;
  const scaled = ratio === null ? null : { intra: scaleLink(real.intra, ratio), inter: scaleLink(real.inter, ratio) };
  const applied = scaled ?? real;
  return { ...applied, nodes: topo.nodes, ranksPerNode: topo.ranksPerNode, real, scaled, ratio, gpu: GPUS[config.gpu] };
}
