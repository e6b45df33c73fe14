import { Rng } from '../../src/core/rng';
import { describe, expect, it } from 'vitest';
import { scheduleCost } from '../../src/core/cost';
import type { AlphaBetaGamma } from '../../src/core/link';
import { crossover, fitAlgorithm, fitCost, scheduleCoefficients, type FitSample, type Measurement } from '../../src/core/fit';
import { buildSchedule, type Algorithm } from '../../src/core/schedule';

const P = 8;
const TRUE: AlphaBetaGamma = { alphaS: 5e-6, betaSPerByte: 1e-10, gammaSPerByte: 4e-11 };
const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** Sizes 4 B … 256 MiB, log-spaced, in whole multiples of p elements. */
function sizes(n: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    const bytes = 4 * 2 ** ((26 * i) / (n - 1));
    return Math.max(P, Math.round(bytes / 4 / P) * P) * 4;
  });
}

/** Synthetic sweep: the schedule's model time with known link values, times (1 ± noise). */
function sweep(algorithm: Algorithm, link: AlphaBetaGamma, noise: number, rand: () => number, repeats = 3): Measurement[] {
  const out: Measurement[] = [];
  for (const bytes of sizes(40)) {
    const t = scheduleCost(buildSchedule('all_reduce', algorithm, P, bytes / 4), link).timeS;
    for (let k = 0; k < repeats; k++) out.push({ bytes, timeS: t * (1 + noise * (2 * rand() - 1)) });
  }
  return out;
}

describe('fitAlgorithm', () => {
  it('recovers α and β exactly from noise-free data (β absorbs γ without withGamma)', () => {
    const coeffs = scheduleCoefficients('all_reduce', 'ring', P);
    const fit = fitAlgorithm(sweep('ring', { ...TRUE, gammaSPerByte: 0 }, 0, seeded(1), 1), coeffs);
    expect(relErr(fit.alphaS, TRUE.alphaS)).toBeLessThan(1e-9);
    expect(relErr(fit.betaSPerByte, TRUE.betaSPerByte)).toBeLessThan(1e-9);
    expect(fit.gammaSPerByte).toBeNull();
    expect(fit.maxRelError).toBeLessThan(1e-9);
    expect(relErr(fit.nStarBytes, TRUE.alphaS / TRUE.betaSPerByte)).toBeLessThan(1e-9);

    // Ring puts half as many γ-bytes as β-bytes on the path, so β_eff = β + γ/2.
    const withReduce = fitAlgorithm(sweep('ring', TRUE, 0, seeded(1), 1), coeffs);
    expect(relErr(withReduce.betaSPerByte, TRUE.betaSPerByte + TRUE.gammaSPerByte / 2)).toBeLessThan(1e-9);
  });

  for (const algorithm of ['ring', 'tree', 'recursive-doubling', 'rabenseifner', 'star'] as const) {
    it(`${algorithm}: recovers α and β within 1% under 2% multiplicative noise`, () => {
      const link = { ...TRUE, gammaSPerByte: 0 };
      for (const seed of [1, 2, 3]) {
        const fit = fitAlgorithm(sweep(algorithm, link, 0.02, seeded(seed)), scheduleCoefficients('all_reduce', algorithm, P));
        expect(relErr(fit.alphaS, link.alphaS), `α seed ${seed}`).toBeLessThan(0.01);
        expect(relErr(fit.betaSPerByte, link.betaSPerByte), `β seed ${seed}`).toBeLessThan(0.01);
        expect(fit.maxRelError).toBeLessThan(0.05);
        expect(fit.r2).toBeGreaterThan(0.999);
        expect(fit.r2Log).toBeGreaterThan(0.999);
      }
    });
  }

  it('relative weighting beats unweighted least squares on α for a decade-spanning sweep', () => {
    const coeffs = scheduleCoefficients('all_reduce', 'ring', P);
    const points = sweep('ring', { ...TRUE, gammaSPerByte: 0 }, 0.02, seeded(7));
    const rel = fitAlgorithm(points, coeffs);
    const abs = fitAlgorithm(points, coeffs, { weighting: 'absolute' });
    expect(relErr(rel.alphaS, TRUE.alphaS)).toBeLessThan(relErr(abs.alphaS, TRUE.alphaS));
  });

  it('γ is not identifiable from one algorithm, and is from ring + recursive doubling together', () => {
    const ring = scheduleCoefficients('all_reduce', 'ring', P);
    const rd = scheduleCoefficients('all_reduce', 'recursive-doubling', P);
    expect(fitAlgorithm(sweep('ring', TRUE, 0, seeded(1), 1), ring, { withGamma: true }).gammaSPerByte).toBeNull();

    const rand = seeded(11);
    const samples: FitSample[] = [
      ...sweep('ring', TRUE, 0.02, rand).map((m) => ({ ...m, coefficients: ring(m.bytes) })),
      ...sweep('recursive-doubling', TRUE, 0.02, rand).map((m) => ({ ...m, coefficients: rd(m.bytes) })),
    ];
    const fit = fitCost(samples, { withGamma: true });
    expect(relErr(fit.alphaS, TRUE.alphaS)).toBeLessThan(0.01);
    expect(relErr(fit.betaSPerByte, TRUE.betaSPerByte)).toBeLessThan(0.02);
    expect(relErr(fit.gammaSPerByte!, TRUE.gammaSPerByte)).toBeLessThan(0.05);
  });

  it('rejects samples that cannot determine α and β', () => {
    const coeffs = scheduleCoefficients('all_reduce', 'ring', P);
    expect(() =>
      fitAlgorithm(
        [
          { bytes: 4096, timeS: 1e-4 },
          { bytes: 4096, timeS: 1.1e-4 },
        ],
        coeffs,
      ),
    ).toThrow(/identifiable/);
    expect(() => fitAlgorithm([{ bytes: 4096, timeS: 0 }], coeffs)).toThrow(/> 0/);
  });
});

describe('crossover', () => {
  const link = { ...TRUE, gammaSPerByte: 0 };
  const fitOf = (a: Algorithm): ReturnType<typeof fitAlgorithm> => fitAlgorithm(sweep(a, link, 0, seeded(1), 1), scheduleCoefficients('all_reduce', a, P));

  it('finds where tree stops beating ring: 6α + 6nβ = 14α + 1.75nβ', () => {
    const n = crossover(fitOf('tree'), fitOf('ring'), 4, 1 << 30);
    const theory = (8 * link.alphaS) / (4.25 * link.betaSPerByte);
    expect(n).not.toBeNull();
    expect(relErr(n!, theory)).toBeLessThan(1e-3);
  });

  it('returns null when one curve stays below the other', () => {
    // Rabenseifner never loses to ring on 8 ranks: fewer latencies, the same bytes.
    expect(crossover(fitOf('rabenseifner'), fitOf('ring'), 4, 1 << 30)).toBeNull();
  });
});

/** A seeded uniform source from the project's own generator: tests are reproducible. */
function seeded(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.uniform();
}
