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
  /**
   * Receives the next slice in order; the view passed to `consume` is valid only during the
   * call. Resolves to the slice's emulated delivery time (ms, common clock; 0 without a link).
   * Waits for that time before `consume` unless `early`: then the caller overlaps its host work
   * with the link's wait and must itself wait for the returned time before the data counts as
   * arrived (see Channel.recvSlice).
   */
  recvSlice(consume: (slice: Uint8Array) => void, early?: boolean): Promise<number>;
}
