import { describe, expect, it } from 'vitest';
import type { ScalingPoint, ScalingResult } from '../../src/cluster/scaling';
import { explainScalingCell } from '../../src/cluster/scaling-explain';
import { baseStepMs, explainScalingEfficiency, scalingEfficiency } from '../../src/core/scaling-efficiency';

describe('scaling efficiency from the first rank count', () => {
  it('strong: T₁ ≈ N₀·T_N₀, so halving the step at twice the ranks is 100 %', () => {
    expect(baseStepMs('strong', { ranks: 2, stepMs: 10 })).toBe(20);
    expect(scalingEfficiency('strong', { ranks: 2, stepMs: 10 }, 4, 5)).toBeCloseTo(1, 12);
    expect(scalingEfficiency('strong', { ranks: 1, stepMs: 12 }, 4, 4)).toBeCloseTo(0.75, 12);
  });
  it('weak: T₁ = T_N₀, so a step 25 % longer is 80 %', () => {
    expect(baseStepMs('weak', { ranks: 2, stepMs: 10 })).toBe(10);
    expect(scalingEfficiency('weak', { ranks: 2, stepMs: 10 }, 4, 12.5)).toBeCloseTo(0.8, 12);
  });
  it('says how T₁ was taken when the study does not start at one rank, per regime', () => {
    expect(explainScalingEfficiency('strong', { ranks: 2, stepMs: 10 }, 4, 5).note).toMatch(/T₁ taken as 2·T at 2 ranks/);
    // The page used to write "2·T" for weak scaling too, where T₁ is T itself.
    expect(explainScalingEfficiency('weak', { ranks: 2, stepMs: 10 }, 4, 12.5).note).toMatch(/T₁ taken as T at 2 ranks/);
    expect(explainScalingEfficiency('weak', { ranks: 1, stepMs: 10 }, 4, 12.5).note).not.toMatch(/taken as/);
  });
});

describe('explainScalingCell (the training table’s "why this number")', () => {
  const point = (ranks: number, measuredMs: number, projectedMs: number, efficiency: [number, number]): ScalingPoint =>
    ({
      ranks,
      measured: { stepMs: measuredMs, efficiency: efficiency[0] },
      projected: { stepMs: projectedMs, efficiency: efficiency[1] },
    }) as unknown as ScalingPoint;
  const result = {
    status: 'done',
    scaling: 'strong',
    points: [point(1, 40, 30, [1, 1]), point(4, 20, 10, [0.5, 0.75])],
    runs: [
      { request: { ranks: 1 }, projected: { stepS: 0.03, perRank: [{ computeS: 0.03, commS: 0 }] } },
      {
        request: { ranks: 4 },
        projected: {
          stepS: 0.01,
          perRank: [
            { computeS: 0.0075, commS: 0.004 },
            { computeS: 0.0075, commS: 0.005 },
          ],
        },
      },
    ],
  } as unknown as ScalingResult;

  it('gives the value the table shows, on the clock asked', () => {
    const p = result.points[1]!;
    expect(explainScalingCell(result, p, 'effM')!.value).toBeCloseTo(p.measured.efficiency, 12);
    expect(explainScalingCell(result, p, 'effP')!.value).toBeCloseTo(p.projected.efficiency, 12);
    expect(explainScalingCell(result, p, 'effP')!.note).toMatch(/projected clock/);
  });
  it('overlap comes from the projected run of that rank count (slowest rank’s compute and communication)', () => {
    const e = explainScalingCell(result, result.points[1]!, 'overlap')!;
    // overlap = 1 − (T_step − T_compute) / T_comm = 1 − (10 − 7.5) / 5 = 50 %
    expect(e.value).toBeCloseTo(50, 9);
  });
  it('is null when the rank count has no projected run', () => {
    expect(explainScalingCell({ ...result, runs: [] }, result.points[1]!, 'overlap')).toBeNull();
  });
});

describe('explainScalingCell: MFU', () => {
  it('explains the MFU cell of either clock with the point’s own utilization', () => {
    const p = {
      ranks: 4,
      flopsPerStep: 6e9,
      peakFlopsPerS: 1e11,
      measured: { stepMs: 200, utilization: { mfu: 0.075, computeShare: 0.5, kernelUtilization: 0.15 } },
      projected: { stepMs: 50, utilization: { mfu: 0.3, computeShare: 0.6, kernelUtilization: 0.5 } },
    } as unknown as ScalingPoint;
    const r = { status: 'done', scaling: 'strong', points: [p], runs: [] } as unknown as ScalingResult;
    expect(explainScalingCell(r, p, 'mfuM')!.value).toBeCloseTo(7.5, 12);
    const proj = explainScalingCell(r, p, 'mfuP')!;
    expect(proj.value).toBeCloseTo(30, 12);
    expect(proj.substituted).toMatch(/\(4 × 100 GFLOP\/s\)/);
  });
});
