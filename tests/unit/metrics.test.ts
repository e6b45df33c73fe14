import { describe, expect, it } from 'vitest';
import { algbwGBps, avgBusBandwidth, busbwFactor, busbwGBps, summarize, median } from '../../src/core/metrics';

describe('busbwFactor', () => {
  it('follows nccl-tests', () => {
    expect(busbwFactor('all_reduce', 4)).toBe(1.5);
    expect(busbwFactor('all_reduce', 16)).toBe((2 * 15) / 16);
    expect(busbwFactor('reduce_scatter', 4)).toBe(0.75);
    expect(busbwFactor('all_gather', 12)).toBe(11 / 12);
    expect(busbwFactor('broadcast', 8)).toBe(1);
  });
  it('keeps nccl-tests semantics for one rank', () => {
    expect(busbwFactor('all_reduce', 1)).toBe(0);
    expect(busbwFactor('all_gather', 1)).toBe(0);
    expect(busbwFactor('broadcast', 1)).toBe(1);
  });
  it('rejects bad rank counts', () => {
    expect(() => busbwFactor('all_reduce', 0)).toThrow(/ranks/);
  });
  it('reproduces a real H100 row (16 ranks, 8 GiB, 47535 us → 180.71 / 338.82)', () => {
    expect(algbwGBps(8589934592, 47535e-6).toFixed(2)).toBe('180.71');
    // The log's time is rounded to 1 us, so busbw from it is off in the last digit.
    expect(busbwGBps(8589934592, 47535e-6, 'all_reduce', 16)).toBeCloseTo(338.82, 1);
  });
});

describe('summarize', () => {
  it('gives min, median, nearest-rank p99 and mean', () => {
    const s = summarize([5, 1, 3, 2, 4]);
    expect(s).toEqual({ minS: 1, medianS: 3, p99S: 5, meanS: 3, count: 5 });
    expect(summarize([4, 1, 3, 2]).medianS).toBe(2.5);
    const hundredAndOne = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(summarize(hundredAndOne).p99S).toBe(198);
    expect(summarize([7]).p99S).toBe(7);
  });
  it('throws on no data', () => {
    expect(() => summarize([])).toThrow();
  });
});

describe('avgBusBandwidth', () => {
  it('is a plain mean', () => {
    expect(avgBusBandwidth([{ busbwGBps: 1 }, { busbwGBps: 2 }, { busbwGBps: 6 }])).toBe(3);
    expect(avgBusBandwidth([])).toBe(0);
  });
});

describe('median (the one copy)', () => {
  it('takes the middle value, or the mean of the two middle ones, in any input order', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5])).toBe(5);
    expect(() => median([])).toThrow(/no values/);
  });
});
