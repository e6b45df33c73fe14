import { describe, expect, it } from 'vitest';
import { closedFormCost, scheduleCost } from '../../src/core/cost';
import { toAlphaBetaGamma as costLink } from '../../src/core/link';
import { buildSchedule } from '../../src/core/schedule';
import { ALGORITHMS } from '../../src/core/schedule/types';
import { fabricAllReduceS, fabricLinkOf } from '../../src/core/whatif/allreduce';
import { bisectionBytesPerS, checkFabric, fabricCapacity, jobLevel, levelLink, pairLevel, subtreeGpus, type Fabric } from '../../src/core/whatif/fabric';

const NV = { alphaS: 1e-6, bandwidthBytesPerS: 400e9 };
const IB = { alphaS: 3e-6, bandwidthBytesPerS: 50e9 };
const TREE: Fabric = { gpusPerNode: 2, intra: NV, inter: IB, kind: 'fat-tree', radix: 4, levels: 2, hopLatencyS: 0.5e-6, oversubscription: 1 };

function bySchedule(f: Fabric, algorithm: (typeof ALGORITHMS)[number], n: number, bytes: number): number {
  const s = buildSchedule('all_reduce', algorithm, n, bytes / 4, algorithm === 'hierarchical' ? { ranksPerNode: Math.min(f.gpusPerNode, n) } : {});
  return scheduleCost(s, { alphaS: 0, betaSPerByte: 0, gammaSPerByte: 0 }, 4, fabricLinkOf(f)).timeS;
}

describe('what-if fabric', () => {
  it('fat-tree sizes: radix r at 1:1 holds r (1 level), r²/2 (2), r³/4 (3); 4:1 puts 4/5 of the leaf down', () => {
    const f = (levels: number, o = 1): Fabric => ({ ...TREE, gpusPerNode: 1, radix: 64, levels, oversubscription: o });
    expect(fabricCapacity(f(1))).toBe(64);
    expect(fabricCapacity(f(2))).toBe(2048);
    expect(fabricCapacity(f(3))).toBe(65536);
    // 4:1: floor(64·4/5) = 51 down-links per leaf, 64 leaves under a 2-level spine.
    expect(subtreeGpus(f(2, 4), 1)).toBe(51);
    expect(fabricCapacity(f(2, 4))).toBe(51 * 64);
  });

  it('levels, hops and α: 1, 2 and 8 levels; α = link α + (2ℓ−1) hops; β ×4 above the leaf at 4:1', () => {
    const one: Fabric = { ...TREE, levels: 1 };
    expect(pairLevel(one, 0, 3)).toBe(1);
    expect(levelLink(one, 1).alphaS).toBeCloseTo(3e-6 + 0.5e-6, 15);
    // 2 levels, radix 4, 1:1: 2 GPUs (one node) per leaf, 8 in all.
    expect(fabricCapacity(TREE)).toBe(8);
    expect([pairLevel(TREE, 0, 1), pairLevel(TREE, 0, 2), jobLevel(TREE, 8)]).toEqual([0, 2, 2]);
    expect(levelLink(TREE, 2).alphaS).toBeCloseTo(3e-6 + 3 * 0.5e-6, 15);
    const eight: Fabric = { ...TREE, gpusPerNode: 1, levels: 8 };
    // Leaf 2, then ×2 per level up to level 7 (2·2⁶ = 128), the top ×4: 512 GPUs.
    expect(fabricCapacity(eight)).toBe(512);
    expect(jobLevel(eight, 512)).toBe(8);
    expect(jobLevel(eight, 256)).toBe(8);
    expect(jobLevel(eight, 128)).toBe(7);
    expect(levelLink(eight, 8).alphaS).toBeCloseTo(3e-6 + 15 * 0.5e-6, 15);
    const tapered: Fabric = { ...TREE, radix: 10, oversubscription: 4 };
    expect(levelLink(tapered, 1).betaSPerByte).toBeCloseTo(1 / 50e9, 20);
    expect(levelLink(tapered, 2).betaSPerByte).toBeCloseTo(4 / 50e9, 20);
    // Bisection of 16 GPUs spread over leaves: 8 GPUs × 50 GB/s ÷ 4.
    expect(bisectionBytesPerS(tapered, 16)).toBeCloseTo((8 * 50e9) / 4, 0);
    expect(bisectionBytesPerS({ ...tapered, oversubscription: 1 }, 16)).toBeCloseTo(8 * 50e9, 0);
  });

  it('bad fabrics are refused with the value and what is allowed', () => {
    expect(() => checkFabric({ ...TREE, radix: 1 })).toThrow(/radix must be an integer ≥ 2.*got 1/);
    expect(() => checkFabric({ ...TREE, oversubscription: 0.5 })).toThrow(/oversubscription must be ≥ 1.*got 0.5/);
    expect(() => checkFabric({ ...TREE, gpusPerNode: 8 })).toThrow(/fewer than one node of 8/);
  });

  it('flat fabric, one link: the closed forms of DESIGN.md §6 (ring, tree, recursive doubling, rabenseifner, star)', () => {
    const flat: Fabric = { ...TREE, kind: 'flat', gpusPerNode: 1 };
    const bytes = 64 << 20;
    for (const n of [2, 8, 64, 1024, 131072]) {
      for (const a of ['ring', 'tree', 'recursive-doubling', 'rabenseifner', 'star'] as const) {
        expect(fabricAllReduceS(a, flat, n, bytes)).toBeCloseTo(closedFormCost(a, n, bytes, costLink(IB)), 9);
      }
    }
  });

  it('hierarchical by hand: 2 lg k intra steps of S, ring of S over the N/k leaders', () => {
    const flat: Fabric = { ...TREE, kind: 'flat', gpusPerNode: 8 };
    const S = 1 << 30;
    const n = 1024;
    const intra = 3 * (1e-6 + S / 400e9);
    const ring = 2 * 127 * (3e-6 + S / 128 / 50e9);
    expect(fabricAllReduceS('hierarchical', flat, n, S)).toBeCloseTo(2 * intra + ring, 9);
  });

  it('every algorithm equals scheduleCost on its built schedule, link per pair level (1, 2 and 8 levels; 1:1 and 4:1)', () => {
    const fabrics: Fabric[] = [
      { ...TREE, levels: 1, radix: 64 },
      TREE,
      { ...TREE, radix: 10, oversubscription: 4 },
      { ...TREE, gpusPerNode: 1, levels: 8 },
      { ...TREE, gpusPerNode: 4, radix: 16, levels: 3, oversubscription: 1 },
      { ...TREE, gpusPerNode: 4, radix: 20, levels: 3, oversubscription: 4 },
      { ...TREE, kind: 'flat', gpusPerNode: 4 },
    ];
    for (const f of fabrics) {
      for (const n of [2, 4, 8, 16, 32, 64]) {
        if (n > fabricCapacity(f)) continue;
        for (const a of ALGORITHMS) {
          const bytes = 4 * 64 * 1024;
          const want = bySchedule(f, a, n, bytes);
          const got = fabricAllReduceS(a, f, n, bytes);
          expect(got, `${a} n=${n} ${JSON.stringify({ ...f, intra: 0, inter: 0 })}`).toBeCloseTo(want, 12);
        }
      }
    }
  });
});
