/**
 * The three shapes a link takes in ringlab, one name each (DESIGN.md §5, §6):
 *
 * - `LinkSpec`: latency and bandwidth, as a datasheet states them (presets, the user's flags,
 *   the intra/inter classes of a topology).
 * - `AlphaBeta`: latency α (s) and inverse bandwidth β (s/byte), what the emulator applies to a
 *   channel and what the projected clock charges a transfer.
 * - `AlphaBetaGamma`: α-β plus the reduction cost γ (s/byte), what the cost model charges.
 *
 * `LinkOf` maps a directed pair of ranks to one of them.
 */

/** A link as a datasheet gives it: a message of n bytes takes alphaS + n / bandwidthBytesPerS. */
export interface LinkSpec {
  alphaS: number;
  bandwidthBytesPerS: number;
}

/** A link in the α-β model: a message of n bytes takes alphaS + n·betaSPerByte seconds. */
export interface AlphaBeta {
  alphaS: number;
  /** Seconds per byte (1 / bandwidth in bytes/s). */
  betaSPerByte: number;
}

/** α-β plus γ: reducing n received bytes costs n·gammaSPerByte more (Thakur, Rabenseifner, Gropp 2005). */
export interface AlphaBetaGamma extends AlphaBeta {
  gammaSPerByte: number;
}

/** The link of the directed pair from → to, for topologies where links differ. */
export type LinkOf<L> = (fromRank: number, toRank: number) => L;
