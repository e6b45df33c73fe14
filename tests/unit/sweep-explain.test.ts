import { describe, expect, it } from 'vitest';
import { closedFormCost } from '../../src/core/cost';
import type { AlgorithmFit } from '../../src/core/fit';
import type { BenchRow } from '../../src/core/nccl-format';
import { animationPace, explainRowCell, sweepSchedule } from '../../src/core/sweep-explain';
import type { SweepIdentity } from '../../src/core/sweep-fit';

const ID: SweepIdentity = { collective: 'all_reduce', algorithm: 'ring', ranks: 4, root: 0 };
const ROW = {
  bytes: 4096,
  count: 1024,
  type: 'float',
  redop: 'sum',
  root: -1,
  timeUs: 100,
  algbwGBps: 0.04096,
  busbwGBps: 0.06144,
  wrong: 0,
  minUs: 90,
  medianUs: 100,
  p99Us: 120,
} as BenchRow;
const FIT = { alphaS: 5e-6, betaSPerByte: 1e-9, gammaSPerByte: 0, predictS: () => 0 } as unknown as AlgorithmFit;

describe('explainRowCell', () => {
  it('algbw and busbw come from their definitions and the row’s own time', () => {
    const a = explainRowCell(ROW, 'algbw', ID, FIT);
    const b = explainRowCell(ROW, 'busbw', ID, FIT);
    if (typeof a === 'string' || typeof b === 'string') throw new Error('expected explanations');
    expect(a.value).toBeCloseTo(4096 / 100e-6 / 1e9, 12);
    expect(b.value).toBeCloseTo(a.value * 1.5, 12); // 2(n−1)/n at 4 ranks
  });
  it('the time is the fitted model on the schedule (ring: the closed form), with the measured time beside it', () => {
    const t = explainRowCell(ROW, 'time', ID, FIT);
    if (typeof t === 'string') throw new Error('expected an explanation');
    expect(t.value).toBeCloseTo(closedFormCost('ring', 4, 4096, { alphaS: 5e-6, betaSPerByte: 1e-9, gammaSPerByte: 0 }), 15);
    expect(t.note).toMatch(/Measured: 100\.0 µs/);
  });
  it('without a fit, says so', () => {
    expect(explainRowCell(ROW, 'time', ID, undefined)).toMatch(/No fitted model/);
  });
});

describe('animationPace', () => {
  it('gives each step its share of the play time, in proportion to its α-β time', () => {
    const pace = animationPace(ID, 4096, { alphaS: 1e-6, betaSPerByte: 1e-9, gammaSPerByte: 0 }, 6000, 0);
    expect(pace.schedule.steps).toHaveLength(sweepSchedule(ID, 1024).steps.length);
    expect(pace.stepMs.reduce((a, b) => a + b, 0)).toBeCloseTo(6000, 9);
    // Ring steps are all alike: equal shares.
    for (const ms of pace.stepMs) expect(ms).toBeCloseTo(6000 / pace.stepMs.length, 9);
  });
  it('never makes a step shorter than the minimum', () => {
    const pace = animationPace({ ...ID, algorithm: 'tree' }, 8, undefined, 100, 40);
    expect(Math.min(...pace.stepMs)).toBeGreaterThanOrEqual(40);
  });
});
