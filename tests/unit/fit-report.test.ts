import { describe, expect, it } from 'vitest';
import { fitReportLines, type MeasuredSweep } from '../../src/core/fit-report';
import { scheduleCost } from '../../src/core/cost';
import { buildSchedule } from '../../src/core/schedule';
import type { Algorithm } from '../../src/core/schedule/types';
import type { BenchRow } from '../../src/core/nccl-format';
import { crossover } from '../../src/core/fit';
import { fitSweep } from '../../src/core/sweep-fit';

const link = { alphaS: 20e-6, betaSPerByte: 1 / 1e9, gammaSPerByte: 0 };
const sizes = Array.from({ length: 12 }, (_, i) => 8 * 4 ** i);

function sweep(algorithm: Algorithm, ranks: number): MeasuredSweep {
  const rows = sizes.map((bytes): BenchRow => {
    const t = scheduleCost(buildSchedule('all_reduce', algorithm, ranks, bytes / 4), link).timeS;
    return { bytes, count: bytes / 4, type: 'float', redop: 'sum', root: -1, timeUs: t * 1e6, algbwGBps: 0, busbwGBps: 0, wrong: 0, minUs: 0, medianUs: 0, p99Us: 0 };
  });
  return { id: { collective: 'all_reduce', algorithm, ranks, root: 0 }, rows };
}

describe('fit report over several algorithms', () => {
  it('recovers α and β for each algorithm and names the crossover the model predicts', () => {
    const ring = sweep('ring', 8);
    const rd = sweep('recursive-doubling', 8);
    const lines = fitReportLines([ring, rd], sizes[0]!, sizes.at(-1)!);
    const text = lines.join('\n');
    expect(text).toMatch(/# ring\s+20(\.0+)?\s/);
    expect(text).toMatch(/# recursive-doubling\s+20(\.0+)?\s/);
    const fr = fitSweep(ring.id, ring.rows);
    const fd = fitSweep(rd.id, rd.rows);
    if ('error' in fr || 'error' in fd) throw new Error('fit failed');
    const x = crossover(fr, fd, sizes[0]!, sizes.at(-1)!);
    expect(x).not.toBeNull();
    expect(text).toMatch(/ring overtakes recursive-doubling above/);
  });

  it('says why a sweep cannot be fitted', () => {
    const one = { ...sweep('ring', 8), id: { collective: 'all_reduce' as const, algorithm: 'ring' as const, ranks: 1, root: 0 } };
    expect(fitReportLines([one], 8, 1024).join('\n')).toMatch(/no fit: one rank/);
  });
});
