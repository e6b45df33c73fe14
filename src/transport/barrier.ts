/**
 * A reusable barrier for all ranks over one SharedArrayBuffer (by generation), awaited with
 * Atomics.waitAsync so a waiting rank's GPU promises still resolve. Each rank also records the
 * generation it last reached, so a timeout names the ranks that never arrived.
 */
import { waitUntil, WaitTimeoutError, type AbortFlag } from './wait';

const ARRIVED = 0;
const GENERATION = 1;
const SEEN = 2;

export class Barrier {
  private readonly w: Int32Array;

  /** Int32: [0] arrived count, [1] generation, [2 + r] last generation rank r arrived at, plus one. */
  static create(maxRanks = 64): SharedArrayBuffer {
    return new SharedArrayBuffer(4 * (SEEN + maxRanks));
  }

  constructor(
    sab: SharedArrayBuffer,
    private readonly parties: number,
    private readonly abort: AbortFlag,
  ) {
    this.w = new Int32Array(sab);
  }

  async arrive(rank: number, timeoutMs: number): Promise<void> {
    const gen = Atomics.load(this.w, GENERATION);
    Atomics.store(this.w, SEEN + rank, gen + 1);
    if (Atomics.add(this.w, ARRIVED, 1) === this.parties - 1) {
      Atomics.store(this.w, ARRIVED, 0);
      Atomics.add(this.w, GENERATION, 1);
      Atomics.notify(this.w, GENERATION);
      return;
    }
    try {
      await waitUntil(this.w, GENERATION, () => Atomics.load(this.w, GENERATION) !== gen, {
        abort: this.abort,
        timeoutMs,
        what: 'the barrier',
      });
    } catch (e) {
      if (!(e instanceof WaitTimeoutError)) throw e;
      const missing: number[] = [];
      for (let r = 0; r < this.parties; r++) if (Atomics.load(this.w, SEEN + r) !== gen + 1) missing.push(r);
      throw new WaitTimeoutError(`rank${missing.length > 1 ? 's' : ''} ${missing.join(', ')} to reach the barrier (rank ${rank} was there)`, e.waitedMs);
    }
  }
}
