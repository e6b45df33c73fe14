/**
 * Issue 10, defect 6: traps for a first run, the parts that are pure rules. (Run waiting for
 * the FLOP/s measurement, `scaled` off on a software adapter, Copy link showing the link and
 * Clear emptying the animation are checked on the page by tests/e2e/first-run.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { BENCH_TABLE, TRAIN_TABLE, parsePageParams, parseUrl, serializePageParams } from '../../src/core/config';
import { formatDurationHuman } from '../../src/core/units';
import { describeSizes } from '../../src/cluster/sweep-prediction';

describe('the similarity ratio can be pinned by the URL (flops=)', () => {
  it('reads a FLOP/s figure, refuses nonsense by name, and every link writes it back', () => {
    expect(parsePageParams(new URLSearchParams('flops=1.234e8')).page.flops).toBe(1.234e8);
    const bad = parsePageParams(new URLSearchParams('flops=fast'));
    expect(bad.page.flops).toBeNull();
    expect(bad.errors[0]!.message).toBe("flops: 'fast' is not a FLOP/s figure from 1e3 to 1e18 (e.g. 1.2e8); measuring this GPU instead");
    expect(serializePageParams({ autorun: false, present: false, hide: [], flops: 123456789.123 })).toEqual([['flops', '123500000']]);
    // The experiment tables leave it to the page.
    expect(parseUrl(BENCH_TABLE, new URLSearchParams('flops=1e8'), { ignore: ['flops'] }).errors).toEqual([]);
  });
});

describe('?tab=train&straggler=1:3 with ranks 1,2,4', () => {
  it('is accepted: rank 1 exists at 2 and 4 ranks (the 1-rank run is the baseline)', () => {
    const { config, errors } = parseUrl(TRAIN_TABLE, new URLSearchParams('straggler=1:3'));
    expect(errors).toEqual([]);
    expect(config.straggler).toBe('1:3');
  });

  it('a rank that exists at no rank count is still refused', () => {
    expect(parseUrl(TRAIN_TABLE, new URLSearchParams('straggler=4:3')).errors[0]!.message).toMatch(/^straggler: rank 4 does not exist with 4 ranks/);
  });
});

describe('long values are cut where they are echoed', () => {
  it('a 10,000-character value or parameter name gives a short message', () => {
    const long = 'x'.repeat(10_000);
    for (const q of [`ranks=${long}`, `${long}=1`, `algo=${long}`, `straggler=${long}`]) {
      const { errors } = parseUrl(BENCH_TABLE, new URLSearchParams(q));
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message.length, q.slice(0, 20)).toBeLessThan(400);
      expect(errors[0]!.message).toMatch(/…' \(10000 characters\)/);
    }
  });
});

describe('durations in human units', () => {
  it('seconds, minutes, hours, days', () => {
    expect(formatDurationHuman(45)).toBe('45 s');
    expect(formatDurationHuman(96)).toBe('1.6 min');
    expect(formatDurationHuman(45_000)).toBe('12.5 h');
    expect(formatDurationHuman(86400 * 3)).toBe('3 days');
    expect(formatDurationHuman(0.002)).toBe('2 ms');
  });
});

describe('max bytes: the largest size is said, and why', () => {
  it('8 to 1M by 4 stops at 512 KiB, and says the next would be 2 MiB', () => {
    expect(describeSizes(8, 1 << 20, 4)).toBe(
      '9 sizes, 8 B to 512 KiB: each size is the previous × 4 while ≤ max bytes 1 MiB, as nccl-tests does, and the next, 2 MiB, is beyond it (set max bytes to 2 MiB to include it).',
    );
    expect(describeSizes(8, 2 << 20, 4)).toBe('10 sizes, 8 B to 2 MiB.');
  });
});
