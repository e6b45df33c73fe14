/**
 * The emulated link of each directed pair of ranks, from the link fields of a config: ranks in
 * the same node (rank / ranksPerNode) use the intra-node link, others the inter-node one.
 */
import type { LinkConfig } from '../core/config';
import { resolveLink } from '../core/links';
import type { LinkModel } from '../transport/channel';

/** Undefined for link 'none' (raw shared memory). Throws with a readable message on a bad topology. */
export function linkOfFromConfig(config: LinkConfig, ranks: number, measuredFlops: number | null = null): ((from: number, to: number) => LinkModel | null) | undefined {
  const r = resolveLink(config, ranks, measuredFlops);
  if (!r) return undefined;
  const model = (c: { alphaS: number; bandwidthBytesPerS: number }): LinkModel => ({ alphaS: c.alphaS, betaSPerByte: 1 / c.bandwidthBytesPerS });
  const intra = model(r.intra);
  const inter = model(r.inter);
  return (from, to) => (Math.floor(from / r.ranksPerNode) === Math.floor(to / r.ranksPerNode) ? intra : inter);
}
