/**
 * The emulated link of each directed pair of ranks, from the link fields of a config (ranks of
 * one node use the intra-node link, others the inter-node one; an optional slow link). A thin
 * shell over linkModelsFor, for callers that only need the per-pair function.
 */
import { parseSlowLink, type LinkConfig } from '../core/config/link-fields';
import type { LinkModel } from '../transport/channel';
import { linkModelsFor } from './link-models';

/** Undefined for link 'none' (raw shared memory). Throws with a readable message on a bad topology. */
export function linkOfFromConfig(config: LinkConfig, ranks: number, measuredFlops: number | null = null): ((from: number, to: number) => LinkModel | null) | undefined {
  const slow = config.slowLink === null || config.slowLink === undefined ? undefined : parseSlowLink(config.slowLink);
  if (slow && 'error' in slow) throw new Error(`slow-link ${config.slowLink}: ${slow.error}`);
  const m = linkModelsFor(config, ranks, measuredFlops, slow);
  return m.resolved ? m.linkOf : undefined;
}
