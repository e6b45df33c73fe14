/**
 * The emulated link of every directed pair for one run, from the user's link config
 * (DESIGN.md §5): `resolveLink` picks the link classes (scaled or not), the topology maps pairs
 * to classes, and the channels apply the resulting α-β links.
 */
import { parseSlowLink, type LinkConfig } from './config';
import { describeTopology } from './describe';
import { alphaBetaOf } from './pair-links';
import { resolveLink, type ResolvedLinks } from './resolve';
import { checkSlowLink, type SlowLink } from './topology';
import type { AlphaBeta, LinkOf } from './types';

export interface EmulatedLinks {
  /** Link of the directed pair from → to; undefined for link 'none' (raw shared memory). */
  linkOf: LinkOf<AlphaBeta> | undefined;
  /** The link classes applied, or null for link 'none'. */
  resolved: ResolvedLinks | null;
  /** One line for the UI and logs. */
  describe: string;
}

/**
 * Emulated links for a run of `ranks` ranks: ranks of one node use `intra`, others `inter`; a
 * slow link (the config's `slowLink`, or `slowLink` given here, which may be directed) makes
 * one pair slower (bandwidth ÷ factor, latency × factor). `measuredFlops` is this GPU's FLOP/s,
 * for scaling by the similarity ratio (null: not measured yet, unscaled).
 * @throws Error for an invalid topology or slow link, with a readable message (the config
 *   check reports both first).
 */
export function emulatedLinks(config: LinkConfig, ranks: number, measuredFlops: number | null = null, slowLink?: SlowLink): EmulatedLinks {
  let slow = slowLink;
  if (slow === undefined && config.slowLink !== null && config.slowLink !== undefined) {
    const parsed = parseSlowLink(config.slowLink);
    if ('error' in parsed) throw new Error(`slow-link ${config.slowLink}: ${parsed.error}`);
    slow = parsed;
  }
  const resolved = resolveLink(config, ranks, measuredFlops);
  if (slow) checkSlowLink(slow, ranks);
  if (resolved === null) return { linkOf: undefined, resolved: null, describe: 'no emulated link (raw shared memory)' };
  const scaledNote = resolved.ratio !== null ? `, scaled by ${resolved.ratio.toExponential(2)} against ${resolved.gpu.name}` : '';
  return { linkOf: alphaBetaOf(resolved, slow), resolved, describe: describeTopology(resolved, resolved.nodes, slow) + scaledNote };
}

/** The link of every directed pair of `ranks` ranks (empty for link 'none'). */
export function pairLinkList(linkOf: LinkOf<AlphaBeta> | undefined, ranks: number): AlphaBeta[] {
  const out: AlphaBeta[] = [];
  if (!linkOf) return out;
  for (let a = 0; a < ranks; a++)
    for (let b = 0; b < ranks; b++) {
      const m = a === b ? undefined : linkOf(a, b);
      if (m) out.push(m);
    }
  return out;
}
