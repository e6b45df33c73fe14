/**
 * Per-pair links in the two forms their users need: α-β for the emulator and the projected
 * clock, α-β-γ for the cost model (DESIGN.md §5, §6). Both come from one `LinkTopology` through
 * `linkSpecBetween`, so what is emulated and what is predicted cannot drift apart.
 */
import { linkSpecBetween, type LinkTopology, type SlowLink } from './topology';
import type { AlphaBeta, AlphaBetaGamma, LinkOf, LinkSpec } from './types';

/** α-β link (s, s/byte) of a link given as latency and bandwidth. */
export function toAlphaBeta(spec: LinkSpec): AlphaBeta {
  if (!(spec.bandwidthBytesPerS > 0)) throw new Error(`link bandwidth must be positive, got ${spec.bandwidthBytesPerS}`);
  return { alphaS: spec.alphaS, betaSPerByte: 1 / spec.bandwidthBytesPerS };
}

/** The α-β-γ link of one class, for `scheduleCost`'s default link argument. */
export function toAlphaBetaGamma(spec: LinkSpec, gammaSPerByte = 0): AlphaBetaGamma {
  return { ...toAlphaBeta(spec), gammaSPerByte };
}

/** The emulator's per-pair function: every directed pair → its α-β link. */
export function alphaBetaOf(topo: LinkTopology, slow?: SlowLink): LinkOf<AlphaBeta> {
  return (from, to) => toAlphaBeta(linkSpecBetween(from, to, topo, slow));
}

/**
 * The cost model's per-pair function for `scheduleCost(schedule, link, 4, linkOf)`, with a
 * reduction cost γ (s/byte) that is the same on every link (it is the receiver's kernel, not
 * the wire).
 */
export function alphaBetaGammaOf(topo: LinkTopology, gammaSPerByte = 0, slow?: SlowLink): LinkOf<AlphaBetaGamma> {
  const alphaBeta = alphaBetaOf(topo, slow);
  return (from, to) => ({ ...alphaBeta(from, to), gammaSPerByte });
}
