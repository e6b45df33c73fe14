import { describe, expect, it } from 'vitest';
import { BENCH_FIELDS, defaults } from '../../src/core/config';
import { GPUS, GPU_IDS, hierarchicalRanksPerNode, LINK_IDS, LINK_PRESETS, resolveLink, scaleLink, similarityRatio, splitNodes } from '../../src/core/link';
import { benchConfigOf, linkModelS } from '../../src/core/lessons/sweep-model';

describe('presets', () => {
  it('every link and GPU has a source and sane numbers', () => {
    for (const id of LINK_IDS) {
      const p = LINK_PRESETS[id];
      expect(p.id).toBe(id);
      expect(p.source.length).toBeGreaterThan(20);
      expect(p.alphaS).toBeGreaterThan(0);
      expect(p.alphaS).toBeLessThan(1e-4);
      expect(p.bandwidthBytesPerS).toBeGreaterThan(1e9);
    }
    for (const id of GPU_IDS) {
      expect(GPUS[id].id).toBe(id);
      expect(GPUS[id].source).toMatch(/FP32/);
      expect(GPUS[id].peakFlopsFp32).toBeGreaterThan(1e12);
    }
  });
  it('has the documented values', () => {
    expect(LINK_PRESETS.nvlink.bandwidthBytesPerS).toBe(450e9);
    expect(LINK_PRESETS['ib-ndr400'].bandwidthBytesPerS).toBe(50e9);
    expect(LINK_PRESETS['100gbe'].bandwidthBytesPerS).toBe(12.5e9);
    expect(LINK_PRESETS['10gbe'].bandwidthBytesPerS).toBe(1.25e9);
    expect(GPUS.h100.peakFlopsFp32).toBe(67e12);
    // Faster links have lower latency.
    const byBw = [...LINK_IDS].sort((a, b) => LINK_PRESETS[b].bandwidthBytesPerS - LINK_PRESETS[a].bandwidthBytesPerS);
    expect(byBw).toEqual(['nvlink', 'pcie5', 'ib-ndr400', '100gbe', '10gbe']);
    for (let i = 1; i < byBw.length; i++) expect(LINK_PRESETS[byBw[i]!].alphaS).toBeGreaterThan(LINK_PRESETS[byBw[i - 1]!].alphaS);
  });
});

describe('similarity ratio and scaling', () => {
  it('is measured over peak', () => {
    expect(similarityRatio(67e9, 'h100')).toBeCloseTo(1e-3, 12);
    expect(() => similarityRatio(0, 'h100')).toThrow(/positive/);
    expect(() => similarityRatio(Number.NaN, 'h100')).toThrow();
  });
  it('stretches every transfer by 1/ratio, keeping compute:communication', () => {
    const ratio = 1e-3;
    const real = LINK_PRESETS['ib-ndr400'];
    const scaled = scaleLink(real, ratio);
    expect(scaled.alphaS).toBeCloseTo(real.alphaS / ratio, 15);
    expect(scaled.bandwidthBytesPerS).toBeCloseTo(real.bandwidthBytesPerS * ratio, 3);
    for (const bytes of [0, 1024, 1 << 20, 1 << 28]) {
      const tReal = real.alphaS + bytes / real.bandwidthBytesPerS;
      const tScaled = scaled.alphaS + bytes / scaled.bandwidthBytesPerS;
      expect(tScaled * ratio).toBeCloseTo(tReal, 12);
    }
    expect(() => scaleLink(real, 0)).toThrow();
  });
});

describe('splitNodes', () => {
  it('splits ranks over nodes', () => {
    expect(splitNodes(8, 2, null)).toEqual({ nodes: 2, ranksPerNode: 4 });
    expect(splitNodes(8, 1, 4)).toEqual({ nodes: 2, ranksPerNode: 4 });
    expect(splitNodes(2, 1, 4)).toEqual({ nodes: 1, ranksPerNode: 2 });
    expect(splitNodes(6, 4, null)).toHaveProperty('error');
    expect(splitNodes(6, 1, 4)).toHaveProperty('error');
    expect(splitNodes(8, 4, 4)).toHaveProperty('error');
  });
});

describe('resolveLink', () => {
  const base = defaults(BENCH_FIELDS);
  it('is null for none', () => {
    expect(resolveLink(base, 4, 1e8)).toBeNull();
  });
  it('flat: one link class, scaled when measured', () => {
    const r = resolveLink({ ...base, link: 'ib-ndr400' }, 4, 67e9)!;
    expect(r.nodes).toBe(1);
    expect(r.ranksPerNode).toBe(4);
    expect(r.real.inter).toEqual({ alphaS: 2.7e-6, bandwidthBytesPerS: 50e9 });
    expect(r.real.intra).toEqual(r.real.inter);
    expect(r.ratio).toBeCloseTo(1e-3, 12);
    expect(r.inter).toEqual(r.scaled!.inter);
    expect(r.inter.bandwidthBytesPerS).toBeCloseTo(50e6, 3);
    expect(r.gpu.id).toBe('h100');
  });
  it('uses real links when not scaled or not measured', () => {
    expect(resolveLink({ ...base, link: 'nvlink', scaled: false }, 4, 1e8)!.inter).toEqual(resolveLink({ ...base, link: 'nvlink' }, 4)!.real.inter);
    expect(resolveLink({ ...base, link: 'nvlink' }, 4)!.scaled).toBeNull();
  });
  it('two nodes: intra-link inside, chosen link between, with overrides', () => {
    const r = resolveLink({ ...base, link: '100gbe', nodes: 2, alphaUs: 10, scaled: false }, 8)!;
    expect(r.nodes).toBe(2);
    expect(r.ranksPerNode).toBe(4);
    expect(r.intra.bandwidthBytesPerS).toBe(450e9);
    expect(r.inter).toEqual({ alphaS: 10e-6, bandwidthBytesPerS: 12.5e9 });
  });
  it('custom link from alpha and bandwidth', () => {
    const r = resolveLink({ ...base, link: 'custom', alphaUs: 3, bandwidth: 2e9, scaled: false }, 2)!;
    expect(r.inter).toEqual({ alphaS: 3e-6, bandwidthBytesPerS: 2e9 });
    expect(() => resolveLink({ ...base, link: 'custom' }, 2)).toThrow(/custom/);
    expect(() => resolveLink({ ...base, link: 'nvlink', nodes: 3 }, 4)).toThrow(/nodes/);
  });
});

describe('hierarchicalRanksPerNode (the one rule for hierarchical’s node size)', () => {
  it('follows splitNodes: nodes of 8 at 4 ranks are one node of 4; nodes=2 at 8 ranks are nodes of 4', () => {
    expect(hierarchicalRanksPerNode({ ranks: 4, nodes: 1, ranksPerNode: 8 }, 'hierarchical')).toBe(4);
    expect(hierarchicalRanksPerNode({ ranks: 8, nodes: 2, ranksPerNode: null }, 'hierarchical')).toBe(4);
    expect(hierarchicalRanksPerNode({ ranks: 8, nodes: 1, ranksPerNode: 2 }, 'hierarchical')).toBe(2);
  });
  it('is undefined for other algorithms and for a topology that does not split', () => {
    expect(hierarchicalRanksPerNode({ ranks: 8, nodes: 2, ranksPerNode: null }, 'ring')).toBeUndefined();
    expect(hierarchicalRanksPerNode({ ranks: 6, nodes: 4, ranksPerNode: null }, 'hierarchical')).toBeUndefined();
  });
  it('lets a lesson cost hierarchical on fewer ranks than a node holds (its own copy built nodes of 8 for 4 ranks and threw)', () => {
    const config = benchConfigOf({ ranks: 4, ranksPerNode: 8, algo: 'hierarchical', link: 'ib-ndr400' });
    expect(linkModelS(config, 4096)).toBeGreaterThan(0);
  });
});
