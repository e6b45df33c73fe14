/**
 * The transport's seam (STYLE.md 8): what a rank's executor needs from one directed link.
 * `Channel` (SharedArrayBuffer + Atomics) implements it in the browser and in Node worker
 * threads; tests can put anything behind it.
 */
export interface SliceLink {
  readonly from: number;
  readonly to: number;
  /** Largest slice, bytes. */
  readonly slotBytes: number;
  /**
   * Sends one slice (≤ slotBytes); `src` is copied before the promise resolves. With an
   * emulated link, `firstOfMessage` charges α once per message and `readyAtMs` (common clock)
   * is when the data was logically ready: delivery is stamped from then, not from the call.
   */
  sendSlice(src: Uint8Array, firstOfMessage: boolean, readyAtMs?: number): Promise<void>;
  /** Receives the next slice in order; the view passed to `consume` is valid only during the call. */
  recvSlice(consume: (slice: Uint8Array) => void): Promise<number>;
}
