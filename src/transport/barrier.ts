/**
 * A reusable barrier for all ranks over one SharedArrayBuffer (by generation), awaited with
 * Atomics.waitAsync so a waiting rank's GPU promises still resolve. Each rank also records the
 * generation it last reached, so a timeout names the ranks that never arrived. The last rank to
 * arrive stamps the release time on the common clock: every rank learns when the barrier
 * opened, however late its own wake-up was (the emulated links stamp from it, step-ops.ts).
 */
import { nowMs } from './clock';
import { waitUntil, WaitTimeoutError, type AbortFlag } from './wait';

const ARRIVED = 0;
const GENERATION = 1;
const SEEN = 2;

export class Barrier {
  private readonly w: Int32Array;
  /** [0]: when the barrier last opened (ms, common clock). */
  private readonly released: Float64Array;

  /**
   * Float64 [0]: release time; then Int32: [2] arrived count, [3] generation, [4 + r] last
   * generation rank r arrived at, plus one.
   */
  static create(maxRanks = 64): SharedArrayBuffer {
    return new SharedArrayBuffer(8 + 4 * (SEEN + maxRanks));
  }

  constructor(
    sab: SharedArrayBuffer,
    private readonly parties: number,
    private readonly abort: AbortFlag,
  ) {
    this.released = new Float64Array(sab, 0, 1);
    this.w = new Int32Array(sab, 8);
  }

  /** Resolves once all parties have arrived, to the time the last one did (ms, common clock). */
  async arrive(rank: number, timeoutMs: number): Promise<number> {
    const gen = Atomics.load(this.w, GENERATION);
    Atomics.store(this.w, SEEN + rank, gen + 1);
    if (Atomics.add(this.w, ARRIVED, 1) === this.parties - 1) {
      const t = nowMs();
      // Written before the generation bump that publishes it (Atomics order the plain store).
      this.released[0] = t;
      Atomics.store(this.w, ARRIVED, 0);
      Atomics.add(this.w, GENERATION, 1);
      Atomics.notify(this.w, GENERATION);
      return t;
    }
    try {
      await waitUntil(this.w, GENERATION, () => Atomics.load(this.w, GENERATION) !== gen, {
        abort: this.abort,
        timeoutMs,
        what: 'the barrier',
      });
      return this.released[0]!;
    } catch (e) {
      if (!(e instanceof WaitTimeoutError)) throw e;
      const missing: number[] = [];
      for (let r = 0; r < this.parties; r++) if (Atomics.load(this.w, SEEN + r) !== gen + 1) missing.push(r);
      throw new WaitTimeoutError(`rank${missing.length > 1 ? 's' : ''} ${missing.join(', ')} to reach the barrier (rank ${rank} was there)`, e.waitedMs);
    }
  }
}
