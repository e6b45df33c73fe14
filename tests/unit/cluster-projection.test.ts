import { describe, expect, it } from 'vitest';
import {
  allReduceTimeS,
  hierarchicalClosedForm,
  largestOverlapN,
  overlapCondition,
  projectCluster,
  SCHEDULE_COST_MAX_RANKS,
  type ProjectionInput,
} from '../../src/core/cluster-projection';
import { closedFormCost } from '../../src/core/cost';
import { toAlphaBetaGamma } from '../../src/core/link';

const LINK = { alphaS: 10e-6, bandwidthBytesPerS: 10e9 };
const FLAT = { ranksPerNode: 1024, intra: LINK, inter: LINK };
const BASE: ProjectionInput = {
  computePerSampleS: 1e-3,
  scaling: 'strong',
  globalBatch: 1024,
  paramBytes: 64 << 20,
  algorithm: 'ring',
  topology: FLAT,
  overlap: false,
  bucketBytes: 64 << 20,
};

describe('cluster projection', () => {
  it('N = 1: no communication, step = compute, efficiency 1', () => {
    const [p] = projectCluster(BASE, [1]);
    expect(p).toMatchObject({ n: 1, perRankBatch: 1024, commS: 0, commFraction: 0, efficiency: 1 });
    expect(p!.computeS).toBeCloseTo(1.024, 12);
    expect(p!.stepS).toBeCloseTo(1.024, 12);
  });

  it('ring on a flat link: comm is the closed form, by schedule and by formula', () => {
    const bytes = 64 << 20;
    for (const n of [2, 8, 64, 128, 1024]) {
      const expected = closedFormCost('ring', n, bytes, toAlphaBetaGamma(LINK));
      const got = allReduceTimeS('ring', n, bytes, FLAT);
      expect(got.source).toBe(n <= SCHEDULE_COST_MAX_RANKS ? 'schedule' : 'closed-form');
      expect(got.timeS).toBeCloseTo(expected, 9);
    }
    // Hand-computed at N = 8: 14 α + 2·7/8·P/B.
    const [p] = projectCluster(BASE, [8]);
    expect(p!.commS).toBeCloseTo(14 * 10e-6 + ((2 * 7) / 8) * (bytes / 10e9), 9);
    expect(p!.stepS).toBeCloseTo(p!.computeS + p!.commS, 12);
  });

  it('buckets each pay the latency terms: 4 buckets = 4× the α part, same β part', () => {
    const one = projectCluster(BASE, [8])[0]!.commS;
    const four = projectCluster({ ...BASE, bucketBytes: 16 << 20 }, [8])[0]!.commS;
    expect(four - one).toBeCloseTo(3 * 14 * 10e-6, 9);
  });

  it('strong scaling on a flat link: efficiency never rises with N, T₁/(N·T_N)', () => {
    const pts = projectCluster(BASE);
    const t1 = pts[0]!.stepS;
    for (let i = 1; i < pts.length; i++) {
      expect(pts[i]!.efficiency).toBeLessThanOrEqual(pts[i - 1]!.efficiency + 1e-12);
      expect(pts[i]!.efficiency).toBeCloseTo(t1 / (pts[i]!.n * pts[i]!.stepS), 12);
    }
    expect(pts.at(-1)!.n).toBe(1024);
  });

  it('weak scaling: fixed per-rank compute, efficiency T₁/T_N', () => {
    const pts = projectCluster({ ...BASE, scaling: 'weak', perRankBatch: 32 }, [1, 16]);
    expect(pts[1]!.computeS).toBe(pts[0]!.computeS);
    expect(pts[1]!.efficiency).toBeCloseTo(pts[0]!.stepS / pts[1]!.stepS, 12);
  });

  it('overlap: step = forward + max(backward, comm) + tail', () => {
    const input: ProjectionInput = { ...BASE, overlap: true, tailS: 0.01, backwardFraction: 0.5 };
    const [p] = projectCluster(input, [8]);
    expect(p!.stepS).toBeCloseTo(0.5 * p!.computeS + Math.max(0.5 * p!.computeS, p!.commS) + 0.01, 12);
    // Backward (64 ms) is far longer than comm (~11.7 ms): fully hidden.
    expect(p!.commFraction).toBeCloseTo(0, 12);
  });

  it('hierarchical: the closed form above 64 ranks agrees with scheduleCost below', () => {
    const topo = { ranksPerNode: 8, intra: { alphaS: 1e-6, bandwidthBytesPerS: 400e9 }, inter: LINK };
    const bytes = 1 << 20;
    const bySchedule = allReduceTimeS('hierarchical', 64, bytes, topo);
    expect(bySchedule.source).toBe('schedule');
    expect(hierarchicalClosedForm(64, 8, bytes, toAlphaBetaGamma(topo.intra), toAlphaBetaGamma(topo.inter))).toBeCloseTo(bySchedule.timeS, 12);
    expect(allReduceTimeS('hierarchical', 1024, bytes, topo).source).toBe('closed-form');
  });

  it('overlap condition (Ultra-Scale Playbook A3): 2(N−1)/N·P/B ≤ t_backward, and the largest such N', () => {
    // P = 64 MiB at 10 GB/s: comm → 13.4 ms as N grows. Backward = 2/3 · ⌈1024/N⌉ ms.
    const c = overlapCondition(BASE, 8);
    expect(c.commS).toBeCloseTo(((2 * 7) / 8) * ((64 << 20) / 10e9), 15);
    expect(c.backwardS).toBeCloseTo((2 / 3) * 128e-3, 15);
    expect(c.holds).toBe(true);
    const nMax = largestOverlapN(BASE);
    expect(overlapCondition(BASE, nMax).holds).toBe(true);
    for (let n = nMax + 1; n <= 1024; n++) expect(overlapCondition(BASE, n).holds).toBe(false);
    // By hand: holds while 2(N−1)/N · 6.711 ms ≤ 2/3·⌈1024/N⌉ ms. N = 53: ⌈1024/53⌉ = 20, so
    // 13.33 ms ≥ 13.17 ms holds; N = 54: ⌈1024/54⌉ = 19, 12.67 ms < 13.17 ms fails, and the
    // backward only shrinks from there.
    expect(nMax).toBe(53);
  });
});
