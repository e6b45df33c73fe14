/**
 * A one-directional link between two ranks over SharedArrayBuffer (DESIGN.md §3).
 *
 * A ring of `slots` slots of `slotBytes` each. The sender fills slot (writeSeq mod slots),
 * records its length and the time it may be delivered, then bumps writeSeq; the receiver
 * consumes in order and bumps readSeq. Messages longer than a slot travel as several slices,
 * which is what lets a rank pipeline GPU copies of slice k+1 with the transfer of slice k.
 *
 * The link emulator lives here too: with a LinkModel the sender stamps every slice with a
 * delivery time on the common clock, α + bytes·β after the link is free (the link serialises:
 * a slice waits for the one before it), and the receiver does not consume it before then.
 */
import { nowMs } from './clock';
import { waitUntil, type AbortFlag } from './wait';

/** Latency in s and inverse bandwidth in s/byte of one directed link. */
export interface LinkModel {
  alphaS: number;
  betaSPerByte: number;
}

/** What crosses to a worker: plain SharedArrayBuffers plus the geometry. */
export interface ChannelSpec {
  from: number;
  to: number;
  slots: number;
  slotBytes: number;
  /** Int32: [0] writeSeq, [1] readSeq, [2 + s] byte length of slot s. */
  control: SharedArrayBuffer;
  /** Float64: [s] delivery time (ms, common clock) of slot s; [slots] link busy-until time. */
  times: SharedArrayBuffer;
  data: SharedArrayBuffer;
  link: LinkModel | null;
}

export function createChannelSpec(from: number, to: number, slots: number, slotBytes: number, link: LinkModel | null): ChannelSpec {
  return {
    from,
    to,
    slots,
    slotBytes,
    control: new SharedArrayBuffer(4 * (2 + slots)),
    times: new SharedArrayBuffer(8 * (slots + 1)),
    data: new SharedArrayBuffer(slots * slotBytes),
    link,
  };
}

const WRITE = 0;
const READ = 1;

/** One endpoint of a channel, used inside a rank. */
export class Channel {
  private readonly ctl: Int32Array;
  private readonly times: Float64Array;
  private readonly bytes: Uint8Array;

  constructor(readonly spec: ChannelSpec, private readonly abort: AbortFlag, public timeoutMs: number) {
    this.ctl = new Int32Array(spec.control);
    this.times = new Float64Array(spec.times);
    this.bytes = new Uint8Array(spec.data);
  }

  /** Emulated link, if any; replaceable between runs by the owner. */
  set link(model: LinkModel | null) {
    this.spec.link = model;
  }

  /**
   * Sends one slice (≤ slotBytes). `firstOfMessage` charges the link latency α once per
   * message, not per slice.
   */
  async sendSlice(src: Uint8Array, firstOfMessage: boolean): Promise<void> {
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
      // The link is busy until the previous slice is on the wire; this one follows it.
      const now = nowMs();
      const start = Math.max(now, this.times[slots]!);
      const wireMs = src.byteLength * link.betaSPerByte * 1e3;
      this.times[slots] = start + wireMs;
      this.times[slot] = start + wireMs + (firstOfMessage ? link.alphaS * 1e3 : 0);
    } else {
      this.times[slot] = 0;
    }
    Atomics.store(this.ctl, WRITE, w + 1);
    Atomics.notify(this.ctl, WRITE);
  }

  /**
   * Receives the next slice, handing a view of it to `consume` before the slot is released.
   * The view is only valid during the call.
   */
  async recvSlice(consume: (slice: Uint8Array) => void): Promise<number> {
    const { slots, slotBytes } = this.spec;
    const r = Atomics.load(this.ctl, READ);
    await waitUntil(this.ctl, WRITE, () => Atomics.load(this.ctl, WRITE) > r, {
      abort: this.abort,
      timeoutMs: this.timeoutMs,
      what: `rank ${this.spec.from} (link ${this.spec.from}→${this.spec.to})`,
    });
    const slot = r % slots;
    const deliverAt = this.times[slot]!;
    if (deliverAt > 0) await sleepUntil(deliverAt, this.abort);
    const n = this.ctl[2 + slot]!;
    consume(this.bytes.subarray(slot * slotBytes, slot * slotBytes + n));
    Atomics.store(this.ctl, READ, r + 1);
    Atomics.notify(this.ctl, READ);
    return n;
  }
}

/**
 * Waits until the common clock reaches `tMs`: a timer for the bulk, then a short spin, since
 * timers in workers fire about a millisecond late.
 */
async function sleepUntil(tMs: number, abort: AbortFlag): Promise<void> {
  for (;;) {
    const left = tMs - nowMs();
    if (left <= 0 || abort.aborted) return;
    if (left > 2) await new Promise((r) => setTimeout(r, left - 1.5));
    else if (left > 0.05) await Promise.resolve();
    else return;
  }
}
