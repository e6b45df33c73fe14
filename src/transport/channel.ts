/**
 * A one-directional link between two ranks over SharedArrayBuffer (DESIGN.md §3).
 *
 * A ring of `slots` slots of `slotBytes` each. The sender fills slot (writeSeq mod slots),
 * records its length and the time it may be delivered, then bumps writeSeq; the receiver
 * consumes in order and bumps readSeq. Messages longer than a slot travel as several slices,
 * which is what lets a rank pipeline GPU copies of slice k+1 with the transfer of slice k.
 *
 * The link emulator lives here too. With an AlphaBeta link the sender stamps every slice with a
 * delivery time on the common clock and the receiver does not consume it before then. A
 * message occupies α + bytes·β (α once per message, on its first slice) of three resources,
 * each serial: the directed link, the sender's egress port and the receiver's ingress port.
 * So a rank that sends to or receives from p−1 peers in one step (star's rank 0) pays
 * (p−1)(α + nβ), as the α-β model of DESIGN.md §6 charges it, while a ring step costs α + nβ/p.
 */
import type { AlphaBeta } from '../core/link/types';
import { nowMs } from './clock';
import { waitUntil, type AbortFlag } from './wait';
import type { SliceLink } from './slice-link';

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
  link: AlphaBeta | null;
  /** Busy-until times of every rank's ports, shared by all channels of a cluster (PortClock). */
  ports: SharedArrayBuffer;
}

/**
 * Busy-until times (ms, common clock) of each rank's egress and ingress port, with one lock:
 * a send updates three times at once and several senders may reach one receiver together.
 */
export class PortClock {
  static create(maxRanks = 64): SharedArrayBuffer {
    return new SharedArrayBuffer(8 + 8 * 2 * maxRanks);
  }
  private readonly lock: Int32Array;
  private readonly times: Float64Array;
  constructor(sab: SharedArrayBuffer) {
    this.lock = new Int32Array(sab, 0, 1);
    this.times = new Float64Array(sab, 8);
  }

  /**
   * Books `occupyMs` on the link (its busy-until time at `linkTimes[linkIndex]`), the sender's
   * egress and the receiver's ingress, starting when all three are free; returns the end.
   */
  book(from: number, to: number, linkTimes: Float64Array, linkIndex: number, nowMs: number, occupyMs: number): number {
    // The critical section is a few loads and stores: spinning is cheaper than waiting.
    while (Atomics.compareExchange(this.lock, 0, 0, 1) !== 0);
    try {
      const start = Math.max(nowMs, linkTimes[linkIndex]!, this.times[2 * from]!, this.times[2 * to + 1]!);
      const end = start + occupyMs;
      linkTimes[linkIndex] = end;
      this.times[2 * from] = end;
      this.times[2 * to + 1] = end;
      return end;
    } finally {
      Atomics.store(this.lock, 0, 0);
    }
  }
}

export function createChannelSpec(from: number, to: number, slots: number, slotBytes: number, link: AlphaBeta | null, ports: SharedArrayBuffer): ChannelSpec {
  return {
    from,
    to,
    slots,
    slotBytes,
    control: new SharedArrayBuffer(4 * (2 + slots)),
    times: new SharedArrayBuffer(8 * (slots + 1)),
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
      this.times[slot] = this.ports.book(this.spec.from, this.spec.to, this.times, slots, readyAtMs ?? nowMs(), occupyMs);
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

/** A word nobody notifies: Atomics.waitAsync on it is a sleep that burns no CPU. */
const SLEEP_WORD = new Int32Array(new SharedArrayBuffer(4));

/**
 * Waits until the common clock reaches `tMs` without polling: Atomics.waitAsync with a timeout
 * on a word nobody notifies (a spin here would take a core from the other ranks, and two cores
 * are all this machine has). Re-checks the abort flag at least every 50 ms.
 */
async function sleepUntil(tMs: number, abort: AbortFlag): Promise<void> {
  for (;;) {
    const left = tMs - nowMs();
    if (left <= 0.02 || abort.aborted) return;
    const r = Atomics.waitAsync(SLEEP_WORD, 0, 0, Math.min(left, 50));
    if (r.async) await r.value;
  }
}
