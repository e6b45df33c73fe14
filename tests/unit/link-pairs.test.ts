import { describe, expect, it } from 'vitest';
import { defaults } from '../../src/core/config/fields';
import { closedFormCost, scheduleCost } from '../../src/core/cost';
import {
  alphaBetaGammaOf,
  alphaBetaOf,
  checkSlowLink,
  describeTopology,
  emulatedLinks,
  LINK_FIELDS,
  LINK_PRESETS,
  linkSpecBetween,
  nodeOf,
  resolveLink,
  toAlphaBeta,
  toAlphaBetaGamma,
  type LinkConfig,
  type LinkTopology,
} from '../../src/core/link';
import { buildSchedule } from '../../src/core/schedule';

const FAST = { alphaS: 1e-6, bandwidthBytesPerS: 100e9 };
const SLOW = { alphaS: 10e-6, bandwidthBytesPerS: 10e9 };
const TWO_BY_FOUR: LinkTopology = { ranksPerNode: 4, intra: FAST, inter: SLOW };

describe('link map', () => {
  it('puts ranks ⌊r / k⌋ in one node', () => {
    expect([0, 3, 4, 7, 8].map((r) => nodeOf(r, 4))).toEqual([0, 0, 1, 1, 2]);
  });

  it('uses intra inside a node and inter across', () => {
    expect(linkSpecBetween(0, 3, TWO_BY_FOUR)).toBe(FAST);
    expect(linkSpecBetween(5, 6, TWO_BY_FOUR)).toBe(FAST);
    expect(linkSpecBetween(3, 4, TWO_BY_FOUR)).toBe(SLOW);
    expect(linkSpecBetween(7, 0, TWO_BY_FOUR)).toBe(SLOW);
  });

  it('converts bandwidth to β = 1/B', () => {
    expect(toAlphaBeta({ alphaS: 2e-3, bandwidthBytesPerS: 50e6 })).toEqual({ alphaS: 2e-3, betaSPerByte: 2e-8 });
    expect(() => toAlphaBeta({ alphaS: 0, bandwidthBytesPerS: 0 })).toThrow(/positive/);
    expect(toAlphaBetaGamma(SLOW, 1e-9)).toEqual({ alphaS: 10e-6, betaSPerByte: 1e-10, gammaSPerByte: 1e-9 });
  });

  it('slows one pair: latency × factor, bandwidth ÷ factor, both ways unless directed', () => {
    const slow = { from: 1, to: 2, factor: 4 };
    expect(linkSpecBetween(1, 2, TWO_BY_FOUR, slow)).toEqual({ alphaS: 4e-6, bandwidthBytesPerS: 25e9 });
    expect(linkSpecBetween(2, 1, TWO_BY_FOUR, slow)).toEqual({ alphaS: 4e-6, bandwidthBytesPerS: 25e9 });
    expect(linkSpecBetween(2, 1, TWO_BY_FOUR, { ...slow, directed: true })).toBe(FAST);
    expect(linkSpecBetween(0, 1, TWO_BY_FOUR, slow)).toBe(FAST);
    const em = alphaBetaOf(TWO_BY_FOUR, slow);
    expect(em(1, 2).betaSPerByte).toBeCloseTo(4 / 100e9, 20);
  });

  it('rejects impossible slow links', () => {
    expect(() => checkSlowLink({ from: 0, to: 8, factor: 2 }, 8)).toThrow(/rank 8/);
    expect(() => checkSlowLink({ from: 1, to: 1, factor: 2 }, 8)).toThrow(/itself/);
    expect(() => checkSlowLink({ from: 0, to: 1, factor: 0.5 }, 8)).toThrow(/≥ 1/);
    expect(() => checkSlowLink({ from: 0, to: 1, factor: 2 }, 8)).not.toThrow();
  });

  it('on a flat map, scheduleCost with alphaBetaGammaOf equals the closed form', () => {
    const flat: LinkTopology = { ranksPerNode: 8, intra: SLOW, inter: SLOW };
    const s = buildSchedule('all_reduce', 'ring', 8, 1 << 18);
    const link = toAlphaBetaGamma(SLOW);
    expect(scheduleCost(s, link, 4, alphaBetaGammaOf(flat)).timeS).toBeCloseTo(closedFormCost('ring', 8, 1 << 20, link), 12);
  });

  it('a slow ring link sets the ring all-reduce time (every step crosses it)', () => {
    const flat: LinkTopology = { ranksPerNode: 4, intra: SLOW, inter: SLOW };
    const s = buildSchedule('all_reduce', 'ring', 4, 1 << 16);
    const base = scheduleCost(s, toAlphaBetaGamma(SLOW), 4, alphaBetaGammaOf(flat)).timeS;
    const slowed = scheduleCost(s, toAlphaBetaGamma(SLOW), 4, alphaBetaGammaOf(flat, 0, { from: 1, to: 2, factor: 3 })).timeS;
    expect(slowed).toBeCloseTo(3 * base, 12);
  });

  it('follows resolveLink: nodes of k ranks, intra preset inside', () => {
    const config: LinkConfig = { ...defaults(LINK_FIELDS), link: 'ib-ndr400', ranksPerNode: 4, scaled: false };
    const r = resolveLink(config, 8)!;
    expect(linkSpecBetween(0, 1, r)).toEqual({ alphaS: LINK_PRESETS.nvlink.alphaS, bandwidthBytesPerS: LINK_PRESETS.nvlink.bandwidthBytesPerS });
    expect(linkSpecBetween(3, 4, r).bandwidthBytesPerS).toBe(LINK_PRESETS['ib-ndr400'].bandwidthBytesPerS);
    expect(describeTopology(r, r.nodes)).toBe('intra α 0.6 µs, 450 GB/s; inter α 2.7 µs, 50 GB/s; 2 nodes × 4 ranks');
    expect(describeTopology(r, r.nodes, { from: 0, to: 4, factor: 2 })).toMatch(/slow link 0↔4 ×2$/);
  });
});

describe('emulatedLinks (the emulator side of the map)', () => {
  it('none: no link anywhere; custom on nodes of 2: intra preset inside, custom across', () => {
    const none = emulatedLinks(defaults(LINK_FIELDS), 4, null);
    expect(none.linkOf).toBeUndefined();
    expect(none.resolved).toBeNull();
    const config: LinkConfig = { ...defaults(LINK_FIELDS), link: 'custom', alphaUs: 2000, bandwidth: 50e6, ranksPerNode: 2, scaled: false };
    const m = emulatedLinks(config, 4, null, { from: 1, to: 2, factor: 2 });
    const linkOf = m.linkOf!;
    expect(linkOf(0, 1)).toEqual(toAlphaBeta(LINK_PRESETS.nvlink));
    expect(linkOf(0, 2)).toEqual({ alphaS: 2e-3, betaSPerByte: 2e-8 });
    expect(linkOf(2, 1)).toEqual({ alphaS: 4e-3, betaSPerByte: 4e-8 });
    expect(m.describe).toBe('intra α 0.6 µs, 450 GB/s; inter α 2 ms, 50 MB/s; 2 nodes × 2 ranks; slow link 1↔2 ×2');
    expect(() => emulatedLinks(config, 4, null, { from: 0, to: 4, factor: 2 })).toThrow(/rank 4/);
  });
  it('scaled by a measured FLOP/s says so', () => {
    const m = emulatedLinks({ ...defaults(LINK_FIELDS), link: 'ib-ndr400' }, 4, 67e9, undefined);
    expect(m.resolved!.ratio).toBeCloseTo(1e-3, 12);
    expect(m.linkOf!(0, 1).alphaS).toBeCloseTo(2.7e-3, 12);
    expect(m.describe).toMatch(/scaled by 1\.00e-3 against NVIDIA H100 SXM$/);
  });
});
