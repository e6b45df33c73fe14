/**
 * Link flags → the per-pair link model a sweep applies (DESIGN.md §5): ranks in the same node
 * (rank / ranksPerNode) talk over the intra-node link, others over the inter-node link.
 * Pure: used by the runner page to build `SweepRequest.linkOf` and by the CLI's header.
 */
import type { LinkConfig } from '../core/config/link-fields';
import { resolveLink, type LinkCost } from '../core/links';
import type { SweepRequest } from '../cluster/sweep';

type LinkOf = NonNullable<SweepRequest['linkOf']>;

const model = (c: LinkCost): { alphaS: number; betaSPerByte: number } => ({ alphaS: c.alphaS, betaSPerByte: 1 / c.bandwidthBytesPerS });

/**
 * `linkOf` for `ranks` ranks, or undefined for link 'none' (raw shared memory). Links are the
 * real cluster's (not scaled by the similarity ratio: the CLI measures no FLOP/s yet).
 * @throws Error for an invalid topology (the config check reports it first).
 */
export function linkOfConfig(config: LinkConfig, ranks: number): LinkOf | undefined {
  const resolved = resolveLink(config, ranks);
  if (!resolved) return undefined;
  const intra = model(resolved.intra);
  const inter = model(resolved.inter);
  const node = (rank: number): number => Math.floor(rank / resolved.ranksPerNode);
  return (from, to) => (node(from) === node(to) ? intra : inter);
}

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
