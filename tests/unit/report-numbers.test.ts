/**
 * Issue 10, defects 3 and 6: one definition of "Out of bounds values" (nccl-tests': tests with
 * wrong elements, not wrong elements), and bandwidth columns that do not print 0.00 on every
 * row at this tab's speeds.
 */
import { describe, expect, it } from 'vitest';
import { formatBandwidthColumn, formatFooter, formatRow, outOfBoundsCount, parseNcclTestsOutput, type BenchRow } from '../../src/core/nccl-format';
import { formatColumnHeader } from '../../src/core/nccl-format';

const row = (bytes: number, timeUs: number, wrong: number | null): BenchRow => {
  const algbw = bytes / (timeUs * 1e-6) / 1e9;
  return {
    bytes,
    count: bytes / 4,
    type: 'float',
    redop: 'sum',
    root: -1,
    timeUs,
    algbwGBps: algbw,
    busbwGBps: algbw * 1.5,
    wrong,
    minUs: timeUs,
    medianUs: timeUs,
    p99Us: timeUs,
  };
};

describe('Out of bounds values: sizes with wrong elements, as nccl-tests counts', () => {
  it('three sizes with 0, 5 and 3 wrong elements: 2, not 8', () => {
    const rows = [row(8, 10, 0), row(32, 10, 5), row(128, 10, 3), row(512, 10, null)];
    expect(outOfBoundsCount(rows)).toBe(2);
    expect(formatFooter(rows)[0]).toBe('# Out of bounds values : 2 FAILED');
  });

  it('the footer of a real FAILED nccl-tests log agrees with the rows it printed', () => {
    const text = [
      '#       size         count      type   redop    root     time   algbw   busbw #wrong     time   algbw   busbw #wrong',
      '           8             2     float     none      -1    10.00    0.00    0.00      0    10.00    0.00    0.00      0',
      '          32             8     float     none      -1    10.00    0.00    0.00      4    10.00    0.00    0.00      0',
      '# Out of bounds values : 1 FAILED',
    ].join('\n');
    const parsed = parseNcclTestsOutput(text);
    const oop = parsed.rows.map((r) => ({ wrong: r.outOfPlace.wrong }));
    expect(outOfBoundsCount(oop)).toBe(parsed.outOfBounds);
  });
});

describe('bandwidth columns keep the layout and enough significant digits', () => {
  it('0.00556 GB/s prints 0.0056, not 0.00, in the same 6 characters; fast links keep %6.2f', () => {
    expect(formatBandwidthColumn(0.005563)).toBe('0.0056');
    expect(formatBandwidthColumn(5.2e-5)).toBe('5.2e-5');
    expect(formatBandwidthColumn(4.47e-7)).toBe('4.5e-7');
    expect(formatBandwidthColumn(70.7419)).toBe(' 70.74');
    expect(formatBandwidthColumn(0)).toBe('  0.00');
  });

  it('a slow row reads back through the nccl-tests parser with its digits', () => {
    const r = row(8, 17902, 0);
    const text = [...formatColumnHeader('in-place'), formatRow(r)].join('\n');
    const parsed = parseNcclTestsOutput(text).rows[0]!;
    expect(parsed.outOfPlace.algbwGBps).toBeGreaterThan(0);
    expect(Math.abs(parsed.outOfPlace.algbwGBps / r.algbwGBps - 1)).toBeLessThan(0.05);
    expect(Math.abs(parsed.outOfPlace.busbwGBps / r.busbwGBps - 1)).toBeLessThan(0.05);
    expect(formatRow(r).length).toBe(formatRow({ ...r, algbwGBps: 12.34, busbwGBps: 18.51 }).length);
  });
});
