/**
 * Link flags → the one-line description of the emulated links in the CLI's header (DESIGN.md §5): ranks in the same node
 * (rank / ranksPerNode) talk over the intra-node link, others over the inter-node link.
 * The per-pair mapping itself is `linkOfFromConfig` in src/cluster/link-of.ts.
 */
import type { LinkConfig } from '../core/config/link-fields';
import { resolveLink, type LinkCost } from '../core/links';

const describeCost = (c: LinkCost): string => `α ${+(c.alphaS * 1e6).toPrecision(4)} µs, ${+(c.bandwidthBytesPerS / 1e9).toPrecision(4)} GB/s`;

/** One line for the report header, e.g. "ib-ndr400 (α 2.7 µs, 50 GB/s) between 2 nodes of 2; ...". */
export function describeLinkConfig(config: LinkConfig, ranks: number): string {
  const resolved = resolveLink(config, ranks);
  if (!resolved) return 'none (shared memory)';
  const where =
    resolved.nodes > 1
      ? `${config.link} (${describeCost(resolved.inter)}) between ${resolved.nodes} nodes of ${resolved.ranksPerNode}, ` +
        `${config.intraLink} (${describeCost(resolved.intra)}) inside`
      : `${config.link} (${describeCost(resolved.inter)}) between all ranks`;
  return `${where}; real figures, not scaled by the similarity ratio (the CLI does not measure FLOP/s yet)`;
}
