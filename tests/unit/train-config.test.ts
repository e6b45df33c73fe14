import { describe, expect, it } from 'vitest';
import { globalBatchAt } from '../../src/cluster/scaling';
import { scalingRequestFromConfig, trainConfigProblems } from '../../src/cluster/train-config';
import { fitSendLink } from '../../src/cluster/train-projection';
import { batchSplitProblems } from '../../src/core/batch';
import { TRAIN_FIELDS, TRAIN_TABLE, type TrainConfig } from '../../src/core/config';
import { defaults } from '../../src/core/config/fields';
import { Rng } from '../../src/core/rng';

const BASE: TrainConfig = defaults(TRAIN_FIELDS);

describe('globalBatchAt', () => {
  const req = (scaling: 'strong' | 'weak') => {
    const r = scalingRequestFromConfig({ ...BASE, scaling, ranks: [2, 4, 8], globalBatch: 64 });
    if ('error' in r) throw new Error(r.error);
    return r;
  };
  it('strong scaling: the same global batch at every rank count', () => {
    expect([2, 4, 8].map((n) => globalBatchAt(req('strong'), n))).toEqual([64, 64, 64]);
  });
  it('weak scaling: the first rank count sets the per-rank batch (64 / 2 = 32 each)', () => {
    expect([2, 4, 8].map((n) => globalBatchAt(req('weak'), n))).toEqual([64, 128, 256]);
  });
});

describe('trainConfigProblems', () => {
  it('accepts the defaults', () => {
    expect(trainConfigProblems(BASE)).toEqual([]);
  });
  it('names the rank count whose shards would be unequal (strong: 64 over 3)', () => {
    const p = trainConfigProblems({ ...BASE, scaling: 'strong', ranks: [1, 3], globalBatch: 64 });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^global batch at 3 ranks: global batch 64 does not divide by 3 ranks/);
  });
  it('weak scaling: each rank count gets its own batch and its own verdict', () => {
    // 64 over 3 ranks is uneven; at 6 ranks the batch is 128, uneven too; at 4 ranks it is not even whole (85.3).
    const p = trainConfigProblems({ ...BASE, scaling: 'weak', ranks: [3, 4, 6], globalBatch: 64 });
    expect(p).toEqual([
      'global batch at 3 ranks: global batch 64 does not divide by 3 ranks; pick a multiple of 3 (e.g. 63)',
      'global batch at 4 ranks: global batch 64 does not split over 3 ranks',
      'global batch at 6 ranks: global batch 128 does not divide by 6 ranks; pick a multiple of 6 (e.g. 126)',
    ]);
    expect(trainConfigProblems({ ...BASE, scaling: 'weak', ranks: [2, 3, 8], globalBatch: 64 })).toEqual([]);
  });
  it('spirals needs two inputs', () => {
    expect(trainConfigProblems({ ...BASE, dataset: 'spirals', layers: [3, 8, 2] })).toEqual(['dataset spirals needs input width 2 (layers 2,…), got 3']);
  });
  it('is what scalingRequestFromConfig refuses with', () => {
    const bad = { ...BASE, scaling: 'strong' as const, ranks: [1, 3], globalBatch: 64 };
    expect(scalingRequestFromConfig(bad)).toEqual({ error: trainConfigProblems(bad).join('; ') });
    expect(batchSplitProblems('strong', 64, [1, 3])).toEqual(trainConfigProblems(bad));
  });
});

describe('fitSendLink', () => {
  it('is null without samples', () => {
    expect(fitSendLink([])).toBeNull();
  });
  it('recovers α and β of an exact linear link over a wide size range', () => {
    const alphaS = 40e-6;
    const betaSPerByte = 2e-9;
    const samples = [256, 4096, 65536, 1 << 20].map((bytes) => ({ bytes, seconds: alphaS + bytes * betaSPerByte }));
    const link = fitSendLink(samples)!;
    expect(link.alphaS).toBeCloseTo(alphaS, 12);
    expect(link.betaSPerByte).toBeCloseTo(betaSPerByte, 18);
  });
  it('sizes within a factor of 2: α is the median time and β is 0 (the slope would be noise)', () => {
    const rng = new Rng(7);
    const seconds = Array.from({ length: 5 }, () => 1e-4 * (1 + rng.uniform()));
    const samples = seconds.map((s, i) => ({ bytes: 1000 + i, seconds: s }));
    const sorted = [...seconds].sort((a, b) => a - b);
    expect(fitSendLink(samples)).toEqual({ alphaS: sorted[2], betaSPerByte: 0 });
    const four = [...seconds.slice(0, 4)].sort((a, b) => a - b);
    expect(fitSendLink(samples.slice(0, 4))!.alphaS).toBeCloseTo((four[1]! + four[2]!) / 2, 15);
  });
  it('clamps to non-negative α and β', () => {
    // Times that fall with size: the OLS slope is negative, so β = 0 and α = the mean time.
    const falling = fitSendLink([
      { bytes: 100, seconds: 3e-3 },
      { bytes: 10_000, seconds: 2e-3 },
      { bytes: 1_000_000, seconds: 1e-3 },
    ])!;
    expect(falling.betaSPerByte).toBe(0);
    expect(falling.alphaS).toBeCloseTo(2e-3, 12);
    // A steep line through the origin's far side: the intercept would be negative, so α = 0.
    const steep = fitSendLink([
      { bytes: 1000, seconds: 0 },
      { bytes: 1_000_000, seconds: 1e-3 },
    ])!;
    expect(steep.alphaS).toBe(0);
    expect(steep.betaSPerByte).toBeGreaterThan(0);
  });
});

describe('the config check and the batch rule agree', () => {
  it('whatever global batch and rank counts a URL gives, the checked config splits at every rank count', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 300; i++) {
      const ranks = Array.from({ length: 1 + rng.int(3) }, () => 1 + rng.int(8));
      const raw: TrainConfig = { ...BASE, scaling: rng.uniform() < 0.5 ? 'strong' : 'weak', ranks, globalBatch: 1 + rng.int(5000) };
      const { config } = TRAIN_TABLE.check!(raw);
      expect(
        batchSplitProblems(config.scaling, config.globalBatch, config.ranks),
        JSON.stringify({ raw: [raw.scaling, raw.ranks, raw.globalBatch], checked: [config.ranks, config.globalBatch] }),
      ).toEqual([]);
    }
  });
});
