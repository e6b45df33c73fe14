import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type BenchRow,
  formatColumnHeader,
  formatFooter,
  formatG,
  formatReport,
  formatRow,
  formatTimeUs,
  parseNcclTestsJson,
  parseNcclTestsOutput,
} from '../../src/core/nccl-format';

const fixture = (name: string): string => readFileSync(new URL(`../../public/nccl-logs/${name}`, import.meta.url), 'utf8');

const row = (over: Partial<BenchRow> = {}): BenchRow => ({
  bytes: 8,
  count: 2,
  type: 'float',
  redop: 'sum',
  root: -1,
  timeUs: 135.8,
  algbwGBps: 0,
  busbwGBps: 0,
  wrong: 0,
  minUs: 120.04,
  medianUs: 130.5,
  p99Us: 20000,
  ...over,
});

describe('formatG (printf %g)', () => {
  it('matches C', () => {
    expect(formatG(70.742)).toBe('70.742');
    expect(formatG(30.2993)).toBe('30.2993');
    expect(formatG(14.99661234)).toBe('14.9966');
    expect(formatG(1.153274)).toBe('1.15327');
    expect(formatG(0)).toBe('0');
    expect(formatG(1)).toBe('1');
    expect(formatG(123456)).toBe('123456');
    expect(formatG(1234567)).toBe('1.23457e+06');
    expect(formatG(1e6)).toBe('1e+06');
    expect(formatG(0.0001)).toBe('0.0001');
    expect(formatG(0.00001234)).toBe('1.234e-05');
  });
});

describe('formatRow', () => {
  it('uses nccl-tests widths: the first columns and the block match a real H100 line', () => {
    const real = fixture('01-h100-16rank-2node-allreduce.txt')
      .split('\n')
      .find((l) => l.startsWith('           8 '))!;
    const ours = formatRow(row({ bytes: 8, count: 2, timeUs: 135.8, algbwGBps: 0, busbwGBps: 0 }));
    // Same prefix as nccl-tests up to and including the out-of-place block.
    expect(ours.slice(0, 85)).toBe(real.slice(0, 85));
  });
  it('puts the block label where nccl-tests does', () => {
    const real = fixture('01-h100-16rank-2node-allreduce.txt')
      .split('\n')
      .find((l) => l.includes('out-of-place'))!;
    expect(formatColumnHeader()[0]!.indexOf('out-of-place')).toBe(real.indexOf('out-of-place'));
    const names = fixture('01-h100-16rank-2node-allreduce.txt')
      .split('\n')
      .find((l) => l.includes('#wrong'))!;
    const end = names.indexOf('#wrong') + 6;
    expect(formatColumnHeader()[1]!.slice(0, end)).toBe(names.slice(0, end));
  });
  it('switches time precision at 100 us and 10 ms', () => {
    expect(formatTimeUs(57.3)).toBe('  57.30');
    expect(formatTimeUs(135.84)).toBe('  135.8');
    expect(formatTimeUs(47535.2)).toBe('  47535');
  });
  it('prints N/A when unchecked and %g wrong counts', () => {
    expect(formatRow(row({ wrong: null }))).toContain('    N/A');
    expect(formatRow(row({ wrong: 3 }))).toMatch(/ {4}3 {2}/);
  });
  it('has the extra columns under the headers', () => {
    const [, names, unitsLine] = formatColumnHeader();
    const line = formatRow(row());
    for (const [name, value] of [
      ['min', '120.0'],
      ['median', '130.5'],
      ['p99', '20000'],
    ] as const) {
      const end = names!.indexOf(` ${name}`) + name.length + 1;
      expect(line.slice(end - 7, end).trim()).toBe(value);
      expect(unitsLine!.slice(end - 4, end)).toBe('(us)');
    }
    expect(names!.indexOf('#wrong') + 6).toBe(line.indexOf(' 0 ') + 2);
  });
});

describe('formatReport', () => {
  it('has preamble, headers, rows and nccl-tests footer', () => {
    const rows = [row({ busbwGBps: 1 }), row({ bytes: 32, count: 8, busbwGBps: 2, wrong: 2 })];
    const text = formatReport(
      { collective: 'all_reduce', algorithm: 'ring', ranks: 4, minBytes: 8, maxBytes: 32, stepFactor: 4, warmupIters: 5, iters: 20, check: 1, adapter: 'SwiftShader' },
      rows,
    );
    expect(text).toContain('# nThread 1 nGpus 4 minBytes 8 maxBytes 32 step: 4(factor) warmup iters: 5 iters: 20');
    expect(text).toContain('ringlab');
    expect(text).toContain('one out-of-place block');
    expect(text).toContain('# Out of bounds values : 1 FAILED');
    expect(text).toContain('# Avg bus bandwidth    : 1.5 \n');
    // Our own output parses back with the nccl-tests reader.
    const parsed = parseNcclTestsOutput(text);
    expect(parsed.rows).toHaveLength(2);
    expect(parsed.rows[1]!.bytes).toBe(32);
    expect(parsed.rows[1]!.outOfPlace.wrong).toBe(2);
    expect(parsed.avgBusbwGBps).toBe(1.5);
    expect(parsed.ok).toBe(false);
    expect(formatFooter([])[0]).toBe('# Out of bounds values : 0 OK');
  });
});

/** Mean of every printed busbw, as nccl-tests' footer computes it. */
function meanBusbw(rows: ReturnType<typeof parseNcclTestsOutput>['rows']): number {
  const all = rows.flatMap((r) => [r.outOfPlace.busbwGBps, ...(r.inPlace ? [r.inPlace.busbwGBps] : [])]);
  return all.reduce((a, b) => a + b, 0) / all.length;
}

describe('parseNcclTestsOutput on real logs', () => {
  it('01: modern layout, 16 H100', () => {
    const p = parseNcclTestsOutput(fixture('01-h100-16rank-2node-allreduce.txt'));
    expect(p.rows).toHaveLength(31);
    expect(p.ranks).toBe(16);
    expect(p.params.minBytes).toBe('8');
    expect(p.params.iters).toBe('20');
    expect(p.params.warmupIters).toBe('5');
    expect(p.wrongColumn).toBe('#wrong');
    expect(p.rows[0]).toEqual({
      bytes: 8,
      count: 2,
      type: 'float',
      redop: 'sum',
      root: -1,
      outOfPlace: { timeUs: 135.8, algbwGBps: 0, busbwGBps: 0, wrong: 0 },
      inPlace: { timeUs: 123.5, algbwGBps: 0, busbwGBps: 0, wrong: 0 },
      line: 24,
      columns: { row: 13, header: 13 },
    });
    expect(p.rows[30]).toMatchObject({
      bytes: 8589934592,
      count: 2147483648,
      outOfPlace: { timeUs: 47535, algbwGBps: 180.71, busbwGBps: 338.82 },
      inPlace: { timeUs: 47743, busbwGBps: 337.35 },
    });
    expect(p.ok).toBe(true);
    expect(p.outOfBounds).toBe(0);
    expect(p.avgBusbwGBps).toBe(70.742);
    expect(Math.abs(meanBusbw(p.rows) - 70.742)).toBeLessThan(0.005);
  });
  it('03: oldest layout with error column and a FAILED footer', () => {
    const p = parseNcclTestsOutput(fixture('03-v100-12gpu-1node-allgather-failed.txt'));
    expect(p.rows).toHaveLength(31);
    expect(p.ranks).toBe(12);
    expect(p.wrongColumn).toBe('error');
    expect(p.rows[0]).toEqual({
      bytes: 0,
      count: 0,
      type: 'float',
      redop: null,
      root: null,
      outOfPlace: { timeUs: 57.3, algbwGBps: 0, busbwGBps: 0, wrong: 0 },
      inPlace: { timeUs: 57.09, algbwGBps: 0, busbwGBps: 0, wrong: 0 },
      line: 20,
      columns: { row: 11, header: 11 },
    });
    expect(p.rows[30]).toMatchObject({
      bytes: 8589934560,
      count: 178956970,
      outOfPlace: { timeUs: 106773, busbwGBps: 73.75, wrong: 1 },
      inPlace: { timeUs: 70089, busbwGBps: 112.34, wrong: 1 },
    });
    expect(p.rows.filter((r) => r.outOfPlace.wrong || r.inPlace?.wrong)).toHaveLength(2);
    expect(p.ok).toBe(false);
    expect(p.outOfBounds).toBe(4);
    expect(p.avgBusbwGBps).toBe(30.2993);
    expect(Math.abs(meanBusbw(p.rows) - 30.2993)).toBeLessThan(0.005);
  });
  it('05: mpirun-prefixed lines with NCCL INFO noise', () => {
    const p = parseNcclTestsOutput(fixture('05-t4-2rank-2node-allreduce-mpirun-prefixed.txt'));
    expect(p.rows).toHaveLength(31);
    expect(p.ranks).toBe(2);
    expect(p.rows[0]).toMatchObject({ bytes: 0, count: 0, outOfPlace: { timeUs: 6.36 }, inPlace: { timeUs: 6.4 } });
    expect(p.rows[2]).toMatchObject({ bytes: 4, count: 1, outOfPlace: { timeUs: 65.7 } });
    expect(p.rows[30]).toMatchObject({ bytes: 1073741824, count: 268435456, outOfPlace: { timeUs: 344981, busbwGBps: 3.11 }, inPlace: { timeUs: 344454, busbwGBps: 3.12 } });
    expect(p.ok).toBe(true);
    expect(p.avgBusbwGBps).toBe(1.15327);
    expect(Math.abs(meanBusbw(p.rows) - 1.15327)).toBeLessThan(0.005);
  });
  it('07: nccl-tests 2.18 wide layout', () => {
    const p = parseNcclTestsOutput(fixture('07-gh200-2rank-2node-allreduce-v2.18.txt'));
    expect(p.rows).toHaveLength(8);
    expect(p.ranks).toBe(2);
    expect(p.params.unalign).toBe('0');
    expect(p.rows[0]).toMatchObject({
      bytes: 1048576,
      count: 262144,
      redop: 'sum',
      root: -1,
      outOfPlace: { timeUs: 339.61, algbwGBps: 3.09, busbwGBps: 3.09, wrong: 0 },
      inPlace: { timeUs: 335.85 },
    });
    expect(p.rows[7]).toMatchObject({ bytes: 134217728, outOfPlace: { timeUs: 5871.07, busbwGBps: 22.86 }, inPlace: { timeUs: 5867.43, busbwGBps: 22.88 } });
    expect(p.avgBusbwGBps).toBe(14.9966);
    expect(Math.abs(meanBusbw(p.rows) - 14.9966)).toBeLessThan(0.005);
  });
  it('rejects text with no table', () => {
    expect(() => parseNcclTestsOutput('hello\n')).toThrow(/column header/);
  });
});

describe('parseNcclTestsJson on a real -J report', () => {
  it('08: one 16 GiB all_reduce on 8 H100', () => {
    const p = parseNcclTestsJson(fixture('08-h100-8gpu-1node-allreduce-J.json'));
    expect(p.rows).toHaveLength(1);
    expect(p.ranks).toBe(8);
    expect(p.rows[0]).toEqual({
      bytes: 17179869184,
      count: 4294967296,
      type: 'float',
      redop: 'sum',
      root: -1,
      outOfPlace: { timeUs: 62517.395194, algbwGBps: 274.801423, busbwGBps: 480.902491, wrong: 0 },
      inPlace: { timeUs: 62675.926806, algbwGBps: 274.106344, busbwGBps: 479.686103, wrong: 0 },
    });
    expect(p.ok).toBe(true);
    expect(p.outOfBounds).toBe(0);
    expect(p.avgBusbwGBps).toBe(480.294297);
    expect(meanBusbw(p.rows)).toBeCloseTo(480.294297, 6);
  });
  it('names a missing field', () => {
    expect(() => parseNcclTestsJson('{"results":[{"size":1}]}')).toThrow(/missing '\w+' in results\[0\]/);
    expect(() => parseNcclTestsJson('{}')).toThrow(/results/);
  });
});
