/**
 * Seeded pseudo-random numbers (STYLE.md 1): every random choice in core takes an `Rng`, so
 * a run is reproducible from its seed and no module touches `Math.random`.
 *
 * Generator: mulberry32 (32-bit state, period 2^32), fast and good enough for data sets and
 * weight init. Streams for `fork` are derived with the splitmix32 finaliser so that forks with
 * neighbouring stream numbers are uncorrelated.
 */

/** splitmix32 finaliser: a bijective avalanche hash of a 32-bit integer. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A seeded generator; all methods advance its state. */
export class Rng {
  private state: number;

  /** `seed` is any integer; only its low 32 bits matter. */
  constructor(readonly seed: number) {
    this.state = mix32(seed >>> 0);
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal N(0, 1) by Box-Muller (one of the pair is discarded: simpler state). */
  normal(): number {
    // 1 − u is in (0, 1], so the logarithm is finite.
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /**
   * An independent generator for sub-stream `stream` (e.g. 0 = weights, 1 = data). Depends
   * only on this generator's seed and `stream`, not on how far this one has advanced, so
   * adding a draw in one place does not shift the numbers elsewhere.
   */
  fork(stream: number): Rng {
    return new Rng(mix32((this.seed >>> 0) ^ mix32(stream >>> 0)));
  }

  /** Fisher-Yates shuffle in place; returns `a`. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
