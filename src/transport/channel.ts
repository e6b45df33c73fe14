/**
 * A one-directional link between two ranks over SharedArrayBuffer (DESIGN.md §3).
 *
 * A ring of `slots` slots of `slotBytes` each. The sender fills slot (writeSeq mod slots),
 * records its length and the time it may be delivered, then bumps writeSeq; the receiver
 * consumes in order and bumps readSeq. Messages longer than a slot travel as several slices,
 * which is what lets a rank pipeline GPU copies of slice k+1 with the transfer of slice k.
 *
 * The link emulator lives here too. With an AlphaBeta link every slice carries a delivery time
 * on the common clock and the receiver does not count it as arrived before then. A message
 * occupies α + bytes·β (α once per message, on its first slice) of three resources, each serial:
 * the directed link, the sender's egress port and the receiver's ingress port. So a rank that
 * sends to or receives from p−1 peers in one step (star's rank 0) pays (p−1)(α + nβ), as the α-β
 * model of DESIGN.md §6 charges it, while a ring step costs α + nβ/p. The sender books the link
 * and its egress when it sends; the receiver books its ingress when it takes the slice. Each
 * rank thus books its own ports in its own step order, which is the model's order, whatever
 * order the messages physically arrive in (a late rank's step-1 message is not queued behind a
 * faster rank's step-2 message).
 */
import type { AlphaBeta } from '../core/link/types';
import { nowMs } from './clock';
import { sleepUntil, waitUntil, type AbortFlag } from './wait';
import type { SliceLink } from './slice-link';

/** What crosses to a worker: plain SharedArrayBuffers plus the geometry. */
export interface ChannelSpec {
  from: number;
  to: number;
  slots: number;
  slotBytes: number;
  /** Int32: [0] writeSeq, [1] readSeq, [2 + s] byte length of slot s. */
  control: SharedArrayBuffer;
  /**
   * Float64: [s] when slot s's slice leaves the link (ms, common clock; 0 without a link),
   * [slots + s] the time it occupies each resource, [2 · slots] link busy-until time.
   */
  times: SharedArrayBuffer;
  data: SharedArrayBuffer;
  link: AlphaBeta | null;
  /** Busy-until times of every rank's ports, shared by all channels of a cluster (PortClock). */
  ports: SharedArrayBuffer;
}

/**
 * Busy-until times (ms, common clock) of each rank's egress and ingress port. Each time has one
 * writer: a rank's egress is booked only by its own sends, its ingress only by its own receives,
 * so no lock is needed, and each rank books in the order of its own steps.
 */
export class PortClock {
  static create(maxRanks = 64): SharedArrayBuffer {
    return new SharedArrayBuffer(8 * 2 * maxRanks);
  }
  private readonly times: Float64Array;
  constructor(sab: SharedArrayBuffer) {
    this.times = new Float64Array(sab);
  }

  /**
   * Books `occupyMs` on the link (its busy-until time at `linkTimes[linkIndex]`) and the
   * sender's egress, starting when both are free and not before `readyAtMs`; returns the end.
   */
  bookSend(from: number, linkTimes: Float64Array, linkIndex: number, readyAtMs: number, occupyMs: number): number {
    const end = Math.max(readyAtMs, linkTimes[linkIndex]!, this.times[2 * from]!) + occupyMs;
    linkTimes[linkIndex] = end;
    this.times[2 * from] = end;
    return end;
  }

  /**
   * Books `occupyMs` of the receiver's ingress for a slice that left the link at `sentEndMs`:
   * it starts when the ingress is free, and not before the link started carrying it. Returns
   * the delivery time.
   */
  bookReceive(to: number, sentEndMs: number, occupyMs: number): number {
    const end = Math.max(sentEndMs - occupyMs, this.times[2 * to + 1]!) + occupyMs;
    this.times[2 * to + 1] = end;
    return end;
  }
}

export function createChannelSpec(from: number, to: number, slots: number, slotBytes: number, link: AlphaBeta | null, ports: SharedArrayBuffer): ChannelSpec {
  return {
    from,
    to,
    slots,
    slotBytes,
    control: new SharedArrayBuffer(4 * (2 + slots)),
    times: new SharedArrayBuffer(8 * (2 * slots + 1)),
    data: new SharedArrayBuffer(slots * slotBytes),
    link,
    ports,
  };
}

const WRITE = 0;
const READ = 1;

/** One endpoint of a channel, used inside a rank. */
export class Channel implements SliceLink {
  private readonly ctl: Int32Array;
  private readonly times: Float64Array;
  private readonly bytes: Uint8Array;
  private readonly ports: PortClock;

  constructor(
    readonly spec: ChannelSpec,
    private readonly abort: AbortFlag,
    public timeoutMs: number,
  ) {
    this.ports = new PortClock(spec.ports);
    this.ctl = new Int32Array(spec.control);
    this.times = new Float64Array(spec.times);
    this.bytes = new Uint8Array(spec.data);
  }

  get from(): number {
    return this.spec.from;
  }
  get to(): number {
    return this.spec.to;
  }
  get slotBytes(): number {
    return this.spec.slotBytes;
  }

  /** Emulated link, if any; replaceable between runs by the owner. */
  set link(model: AlphaBeta | null) {
    this.spec.link = model;
  }

  /**
   * Sends one slice (≤ slotBytes). `firstOfMessage` charges the link latency α once per
   * message, not per slice; the emulated delivery is booked from `readyAtMs` (when the data was
   * logically ready; default now), so host staging up to α + bytes·β is absorbed, not added.
   */
  async sendSlice(src: Uint8Array, firstOfMessage: boolean, readyAtMs?: number): Promise<void> {
    const { slots, slotBytes } = this.spec;
    if (src.byteLength > slotBytes) throw new Error(`slice of ${src.byteLength} B exceeds slot of ${slotBytes} B`);
    const w = Atomics.load(this.ctl, WRITE);
    await waitUntil(this.ctl, READ, () => w - Atomics.load(this.ctl, READ) < slots, {
      abort: this.abort,
      timeoutMs: this.timeoutMs,
      what: `rank ${this.spec.to} to drain the link from rank ${this.spec.from}`,
    });
    const slot = w % slots;
    this.bytes.set(src, slot * slotBytes);
    this.ctl[2 + slot] = src.byteLength;
    const link = this.spec.link;
    if (link) {
      const occupyMs = (src.byteLength * link.betaSPerByte + (firstOfMessage ? link.alphaS : 0)) * 1e3;
      this.times[slot] = this.ports.bookSend(this.spec.from, this.times, 2 * slots, readyAtMs ?? nowMs(), occupyMs);
      this.times[slots + slot] = occupyMs;
    } else {
      this.times[slot] = 0;
    }
    Atomics.store(this.ctl, WRITE, w + 1);
    Atomics.notify(this.ctl, WRITE);
  }

  /**
   * Receives the next slice, handing a view of it to `consume` before the slot is released (the
   * view is only valid during the call); resolves to the slice's emulated delivery time (ms,
   * common clock; 0 without an emulated link).
   *
   * By default the call first waits for that delivery time. With `early`, the slice is handed
   * over as soon as it is in the slot: the receiver's host work on it (reduce, upload) then
   * overlaps the link's wait instead of following it, as the sender's staging does (see
   * sendSlice). The caller must then treat the data as arrived only at the returned time: wait
   * for it (sleepUntil) before finishing, and stamp what it sends from it no earlier.
   */
  async recvSlice(consume: (slice: Uint8Array) => void, early = false): Promise<number> {
    const { slots, slotBytes } = this.spec;
    const r = Atomics.load(this.ctl, READ);
    await waitUntil(this.ctl, WRITE, () => Atomics.load(this.ctl, WRITE) > r, {
      abort: this.abort,
      timeoutMs: this.timeoutMs,
      what: `rank ${this.spec.from} (link ${this.spec.from}→${this.spec.to})`,
    });
    const slot = r % slots;
    const sentEnd = this.times[slot]!;
    const deliverAt = sentEnd > 0 ? this.ports.bookReceive(this.spec.to, sentEnd, this.times[slots + slot]!) : 0;
    if (deliverAt > 0 && !early) await sleepUntil(deliverAt, this.abort);
    const n = this.ctl[2 + slot]!;
    consume(this.bytes.subarray(slot * slotBytes, slot * slotBytes + n));
    Atomics.store(this.ctl, READ, r + 1);
    Atomics.notify(this.ctl, READ);
    return deliverAt;
  }
}
