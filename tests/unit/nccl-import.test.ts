/**
 * Issue 10, defect 5: real-cluster import accepted garbage. Each bad row is now rejected with
 * its line number and reason, messages name the file, and the bundled logs import cleanly.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importNcclTests } from '../../src/core/nccl-import';

const DIR = 'public/nccl-logs';
const fixture = (name: string): string => readFileSync(`${DIR}/${name}`, 'utf8');
const H100 = '01-h100-16rank-2node-allreduce.txt';

/** The fixture with line `n` (1-based) replaced. */
function withLine(name: string, n: number, edit: (line: string) => string): string {
  const lines = fixture(name).split('\n');
  lines[n - 1] = edit(lines[n - 1]!);
  return lines.join('\n');
}

/** Replaces whitespace-separated token `i` of a line, keeping the rest. */
const token =
  (i: number, value: string | null) =>
  (line: string): string => {
    const t = line.trim().split(/\s+/);
    if (value === null) t.splice(i, 1);
    else t[i] = value;
    return t.join('  ');
  };

describe('every bundled real-cluster log imports with no row rejected', () => {
  for (const name of readdirSync(DIR).filter((n) => /\.(txt|json)$/.test(n))) {
    it(name, () => {
      const r = importNcclTests(name, fixture(name));
      expect(r.rejected).toEqual([]);
      expect(r.rows.length).toBeGreaterThan(0);
      expect(r.label).toContain(name.replace(/\.(txt|json)$/, ''));
      expect(r.collective).toMatch(/all_reduce|all_gather/);
    });
  }

  it('the failed V100 all_gather is marked FAILED in its label', () => {
    const r = importNcclTests('03-v100-12gpu-1node-allgather-failed.txt', fixture('03-v100-12gpu-1node-allgather-failed.txt'));
    expect(r.failed).toBe(true);
    expect(r.label).toBe('real: 12 GPUs, all_gather, 03-v100-12gpu-1node-allgather-failed (FAILED: wrong results)');
  });
});

describe('bad rows are rejected with their line and reason', () => {
  // Line 41 of the H100 log: 1048576 B, 262144 elements, time 203.2 µs, algbw 5.16, busbw 9.68 GB/s.
  const cases: [string, (l: string) => string, RegExp][] = [
    ['nan time', token(5, 'nan'), /out-of-place time is not a number/],
    ['inf algbw', token(6, 'inf'), /out-of-place algbw is infinite/],
    ['negative time', token(5, '-21.5'), /out-of-place time -21\.5 is negative/],
    ['a missing redop column', token(3, null), /^12 values where the column header has 13 \(a missing or extra column\)$/],
    ['a missing root column', token(4, null), /^12 values where the column header has 13/],
    ['an extra column', (l) => `${l}  7`, /^14 values where the column header has 13/],
    ['algbw that is not size / time', token(6, '0.52'), /algbw 0\.52 GB\/s does not match size \/ time = 1048576 B \/ 203\.2 µs = 5\.16 GB\/s/],
    ['busbw off the file factor', token(7, '9.99'), /busbw 9\.99 GB\/s is not algbw × 1\.875/],
    ['size beyond 2^53', (l) => l.replace(/^\s*1048576\s+262144/, '  18014398509481984  4503599627370496'), /size 18014398509481984 is not a whole number of bytes below 2\^53/],
    ['count that is not size / 4', token(1, '262145'), /size 1048576 B is not count 262145 × 4 B/],
  ];
  for (const [what, edit, reason] of cases) {
    it(what, () => {
      const before = importNcclTests(H100, fixture(H100)).rows.length;
      const r = importNcclTests(H100, withLine(H100, 41, edit));
      expect(r.rejected).toEqual([{ line: 41, reason: expect.stringMatching(reason) }]);
      expect(r.rows).toHaveLength(before - 1);
    });
  }

  it('JSON with size 1e309 (Infinity once parsed) is rejected, with the line of its "size"', () => {
    const text = fixture('08-h100-8gpu-1node-allreduce-J.json').replace(/"size": *\d+/, '"size": 1e309');
    const line = text.split('\n').findIndex((l) => l.includes('1e309')) + 1;
    expect(() => importNcclTests('mine.json', text)).toThrow(new RegExp(`^mine\\.json: every row was rejected; line ${line}: size Infinity is not a finite number$`));
  });

  it('messages name the file, never an internal function', () => {
    expect(() => importNcclTests('notes.txt', 'hello\n')).toThrow(/^notes\.txt: no nccl-tests column header/);
    expect(() => importNcclTests('x.json', '{"results": [{"size": 1}]}')).toThrow(/^x\.json: missing 'redop' in results\[0\]$/);
    expect(() => importNcclTests('y.json', '{"results": [')).toThrow(/^y\.json: not valid JSON/);
  });
});
