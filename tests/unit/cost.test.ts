import { describe, expect, it } from 'vitest';
import { closedFormCost, costCoefficients, scheduleCost } from '../../src/core/cost';
import type { AlphaBetaGamma } from '../../src/core/link';
import { buildSchedule, segmentRange, type Algorithm } from '../../src/core/schedule';

const LINK: AlphaBetaGamma = { alphaS: 5e-6, betaSPerByte: 1e-10, gammaSPerByte: 2.5e-11 };
const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('scheduleCost vs the closed forms of DESIGN.md §6', () => {
  const algorithms: Algorithm[] = ['ring', 'recursive-doubling', 'rabenseifner', 'tree', 'star'];
  const links: AlphaBetaGamma[] = [LINK, { alphaS: 1e-3, betaSPerByte: 1e-9, gammaSPerByte: 0 }, { alphaS: 0, betaSPerByte: 1e-11, gammaSPerByte: 1e-10 }];
  for (const algorithm of algorithms) {
    it(`${algorithm} matches exactly for p = 2, 4, 8, 16`, () => {
      for (const p of [2, 4, 8, 16]) {
        for (const count of [p, 64 * p, 1000 * p]) {
          const s = buildSchedule('all_reduce', algorithm, p, count);
          for (const link of links) {
            const model = scheduleCost(s, link).timeS;
            const theory = closedFormCost(algorithm, p, count * 4, link);
            expect(relErr(model, theory), `${algorithm} p=${p} count=${count}`).toBeLessThan(1e-12);
          }
        }
      }
    });
  }

  it('the unit-cost coefficients reproduce the full cost on balanced schedules', () => {
    for (const algorithm of algorithms) {
      const s = buildSchedule('all_reduce', algorithm, 8, 8 * 1024);
      const c = costCoefficients(s);
      const t = LINK.alphaS * c.latencyTerms + LINK.betaSPerByte * c.betaBytes + LINK.gammaSPerByte * c.gammaBytes;
      expect(relErr(t, scheduleCost(s, LINK).timeS)).toBeLessThan(1e-12);
    }
    const ring = costCoefficients(buildSchedule('all_reduce', 'ring', 4, 400));
    expect(ring).toEqual({ latencyTerms: 6, betaBytes: 2 * (3 / 4) * 1600, gammaBytes: (3 / 4) * 1600 });
  });

  it('hierarchical has no closed form', () => {
    expect(() => closedFormCost('hierarchical', 8, 1024, LINK)).toThrow(/scheduleCost/);
  });
});

describe('bytes and messages per rank', () => {
  it('ring all-reduce: each rank sends 2(p−1)/p·S up to less than two elements of rounding', () => {
    for (const p of [2, 3, 5, 7, 8, 16]) {
      for (const count of [1, p - 1, p + 1, 33, 1000, 1023]) {
        const S = count * 4;
        const { bytesSentPerRank } = scheduleCost(buildSchedule('all_reduce', 'ring', p, count), LINK);
        bytesSentPerRank.forEach((bytes, r) => {
          // Rank r sends every segment but its own in the reduce-scatter, and every segment but
          // r+1's in the all-gather; segments are ⌊count/p⌋ or ⌈count/p⌉ elements.
          const exact = 4 * (2 * count - segmentRange(count, p, r).count - segmentRange(count, p, (r + 1) % p).count);
          expect(bytes).toBe(exact);
          expect(Math.abs(bytes - (2 * (p - 1) * S) / p)).toBeLessThan(2 * 4);
        });
        expect(bytesSentPerRank.reduce((a, b) => a + b, 0)).toBe(2 * (p - 1) * S);
      }
    }
  });

  it('ring all-reduce sends 2(p−1) messages per rank when count ≥ p', () => {
    expect(scheduleCost(buildSchedule('all_reduce', 'ring', 6, 60), LINK).messagesPerRank).toEqual(new Array(6).fill(10));
  });

  it('star: the root sends (p−1)·S, everyone else S', () => {
    for (const p of [2, 5, 8]) {
      const { bytesSentPerRank, steps } = scheduleCost(buildSchedule('all_reduce', 'star', p, 100), LINK);
      expect(bytesSentPerRank).toEqual([(p - 1) * 400, ...new Array(p - 1).fill(400)]);
      expect(steps.map((s) => s.criticalRank)).toEqual([0, 0]);
    }
  });

  it('recursive doubling sends lg p·S per rank (powers of two); rabenseifner 2(p−1)/p·S', () => {
    for (const p of [2, 4, 8, 16]) {
      const S = 64 * p * 4;
      expect(scheduleCost(buildSchedule('all_reduce', 'recursive-doubling', p, 64 * p), LINK).bytesSentPerRank).toEqual(new Array(p).fill(Math.log2(p) * S));
      expect(scheduleCost(buildSchedule('all_reduce', 'rabenseifner', p, 64 * p), LINK).bytesSentPerRank).toEqual(new Array(p).fill((2 * (p - 1) * S) / p));
    }
  });

  it('tree: 2(p−1)·S in total (each non-root receives once and sends once), any p', () => {
    for (const p of [3, 6, 8, 9]) {
      const { bytesSentPerRank } = scheduleCost(buildSchedule('all_reduce', 'tree', p, 10), LINK);
      expect(bytesSentPerRank.reduce((a, b) => a + b, 0)).toBe(2 * (p - 1) * 40);
    }
  });

  it('recursive doubling on 6 ranks: extras send S once, partners lg 4 + 1 times', () => {
    const { bytesSentPerRank } = scheduleCost(buildSchedule('all_reduce', 'recursive-doubling', 6, 10), LINK);
    expect(bytesSentPerRank).toEqual([40, 120, 40, 120, 80, 80]);
  });
});

describe('per-link costing', () => {
  const fast: AlphaBetaGamma = { alphaS: 1e-6, betaSPerByte: 1e-11, gammaSPerByte: 1e-12 };
  const slow: AlphaBetaGamma = { alphaS: 2e-5, betaSPerByte: 1e-9, gammaSPerByte: 1e-12 };
  const rpn = 4;
  const linkOf = (a: number, b: number): AlphaBetaGamma => (Math.floor(a / rpn) === Math.floor(b / rpn) ? fast : slow);

  it('hierarchical 2×4 costs intra-node phases on the fast link and the leader ring on the slow one', () => {
    const count = 1024;
    const n = count * 4;
    const s = buildSchedule('all_reduce', 'hierarchical', 8, count, { ranksPerNode: rpn });
    const intraReduce = 2 * (fast.alphaS + n * fast.betaSPerByte + n * fast.gammaSPerByte);
    const interRing = 2 * slow.alphaS + 2 * (n / 2) * slow.betaSPerByte + (n / 2) * slow.gammaSPerByte;
    const intraBroadcast = 2 * (fast.alphaS + n * fast.betaSPerByte);
    expect(relErr(scheduleCost(s, fast, 4, linkOf).timeS, intraReduce + interRing + intraBroadcast)).toBeLessThan(1e-12);
  });

  it('hierarchical beats a flat ring when inter-node links are slow', () => {
    const cost = (a: Algorithm): number => scheduleCost(buildSchedule('all_reduce', a, 8, 1 << 20, { ranksPerNode: rpn }), fast, 4, linkOf).timeS;
    expect(cost('hierarchical')).toBeLessThan(cost('ring'));
  });
});
