import { describe, expect, it } from 'vitest';
import { paramLayout } from '../../src/core/model';
import { modelFlopsPerStep, utilizationOf } from '../../src/core/utilization';

describe('model FLOPs utilization', () => {
  it('counts 6 FLOPs per parameter per sample', () => {
    // 4·8 + 8 + 8·2 + 2 = 58 parameters.
    expect(paramLayout({ layers: [4, 8, 2] }).count).toBe(58);
    expect(modelFlopsPerStep([4, 8, 2], 16)).toBe(6 * 58 * 16);
  });

  it('divides by every GPU the step ran on, and splits into compute share × kernel utilization', () => {
    // 1 GFLOP in 0.1 s on 4 GPUs of 10 GFLOP/s: 10 GFLOP/s of 40 = 25 %.
    const u = utilizationOf({ flopsPerStep: 1e9, stepS: 0.1, computeS: 0.05, gpus: 4, peakFlopsPerS: 1e10 });
    expect(u.achievedFlopsPerS).toBeCloseTo(1e10);
    expect(u.mfu).toBeCloseTo(0.25);
    expect(u.computeShare).toBeCloseTo(0.5);
    expect(u.kernelUtilization).toBeCloseTo(0.5);
    expect(u.computeShare * u.kernelUtilization).toBeCloseTo(u.mfu);
    // The same step on one shared GPU (the measured clock): four times the utilization.
    expect(utilizationOf({ flopsPerStep: 1e9, stepS: 0.1, computeS: 0.05, gpus: 1, peakFlopsPerS: 1e10 }).mfu).toBeCloseTo(1);
  });
});
