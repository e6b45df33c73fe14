/**
 * The emulated link of every directed pair, from the user's link config (DESIGN.md §5): the
 * bridge between `resolveLink` (which link classes, scaled or not) and the channels' LinkModel.
 * The mapping itself is pure and lives in core/link-map.ts.
 */
import type { LinkConfig } from '../core/config/link-fields';
import { checkSlowLink, describeTopology, emulatedLinkOf, type SlowLink } from '../core/link-map';
import { resolveLink, type ResolvedLinks } from '../core/links';
import type { LinkModel } from '../transport/channel';

export interface LinkModels {
  /** Link of the directed pair from → to; null everywhere for link 'none' (raw shared memory). */
  linkOf(from: number, to: number): LinkModel | null;
  /** The link classes applied, or null for link 'none'. */
  resolved: ResolvedLinks | null;
  /** One line for the UI and logs. */
  describe: string;
}

/**
 * Link models for a run of `ranks` ranks: ranks of one node use `intra`, others `inter`;
 * `slowLink` makes one pair slower (bandwidth ÷ factor, latency × factor). `measuredFlops` is
 * this GPU's FLOP/s, for scaling by the similarity ratio (null: not measured yet, unscaled).
 * @throws Error for an invalid topology or slow link (the config check reports the former first).
 */
export function linkModelsFor(config: LinkConfig, ranks: number, measuredFlops: number | null, slowLink?: SlowLink): LinkModels {
  const resolved = resolveLink(config, ranks, measuredFlops);
  if (slowLink) checkSlowLink(slowLink, ranks);
  if (resolved === null) {
    return { linkOf: () => null, resolved: null, describe: 'no emulated link (raw shared memory)' };
  }
  const linkOf = emulatedLinkOf(resolved, slowLink);
  const scaledNote = resolved.ratio !== null ? `, scaled by ${resolved.ratio.toExponential(2)} against ${resolved.gpu.name}` : '';
  return { linkOf, resolved, describe: describeTopology(resolved, resolved.nodes, slowLink) + scaledNote };
}
