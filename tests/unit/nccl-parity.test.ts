/**
 * nccl-tests parity of ringlab's own table (issue 9): with both blocks, a ringlab line and its
 * column headers match a real nccl-tests log character for character up to the end of the
 * in-place block, and parse back into both blocks; -a reduces an iteration across ranks.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { acrossRanks } from '../../src/cluster/sweep';
import { type BenchRow, formatColumnHeader, formatFooter, formatPreamble, formatRow, parseNcclTestsOutput, rowToJson } from '../../src/core/nccl-format';

const real = readFileSync(new URL('../../public/nccl-logs/01-h100-16rank-2node-allreduce.txt', import.meta.url), 'utf8').split('\n');

const block = { timeUs: 135.8, algbwGBps: 0, busbwGBps: 0, wrong: 0, minUs: 1, medianUs: 2, p99Us: 3 };
const row: BenchRow = { bytes: 8, count: 2, type: 'float', redop: 'sum', root: -1, ...block, timeUs: 123.5, outOfPlace: block };

describe('out-of-place and in-place blocks', () => {
  it('lines up with a real log through both blocks', () => {
    const line = real.find((l) => l.startsWith('           8 '))!;
    const end = line.trimEnd().length;
    expect(formatRow(row).slice(0, end)).toBe(line.slice(0, end));
    const [labels, names, units] = formatColumnHeader('both');
    const realLabels = real.find((l) => l.includes('out-of-place'))!;
    expect(labels!.indexOf('out-of-place')).toBe(realLabels.indexOf('out-of-place'));
    expect(labels!.indexOf(' in-place')).toBe(realLabels.indexOf(' in-place'));
    const realNames = real.find((l) => l.includes('#wrong'))!.trimEnd();
    expect(names!.slice(0, realNames.length)).toBe(realNames);
    const realUnits = real.find((l) => l.includes('(elements)'))!.trimEnd();
    expect(units!.slice(0, realUnits.length)).toBe(realUnits);
  });

  it('parses back into both blocks, and the footer counts both', () => {
    const text = [
      ...formatPreamble({
        collective: 'all_reduce',
        algorithm: 'ring',
        ranks: 2,
        minBytes: 8,
        maxBytes: 8,
        stepFactor: 2,
        warmupIters: 1,
        iters: 2,
        check: 1,
        adapter: 'x',
        placement: 'both',
        average: 3,
      }),
      ...formatColumnHeader('both'),
      formatRow(row),
      ...formatFooter([row]),
    ].join('\n');
    expect(text).toMatch(/out-of-place and in-place blocks/);
    expect(text).toMatch(/# time: max over ranks \(slowest rank\) of each iteration \(-a 3\)/);
    const parsed = parseNcclTestsOutput(text);
    expect(parsed.rows[0]!.outOfPlace.timeUs).toBe(135.8);
    expect(parsed.rows[0]!.inPlace!.timeUs).toBe(123.5);
    const bad = { ...row, outOfPlace: { ...block, wrong: 4 } };
    expect(formatFooter([bad])[0]).toBe('# Out of bounds values : 1 FAILED');
    expect(rowToJson(row).out_of_place?.time_us).toBe(135.8);
    expect(rowToJson({ ...row, outOfPlace: undefined }).out_of_place).toBeUndefined();
  });
});

describe('-a: an iteration across ranks', () => {
  it('is rank 0, the mean, the min or the max', () => {
    const t = [3, 1, 8];
    expect([0, 1, 2, 3].map((a) => acrossRanks(t, a))).toEqual([3, 4, 1, 8]);
  });
});
