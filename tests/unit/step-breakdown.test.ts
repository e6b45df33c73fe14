/**
 * Issue 10, defect 3: a breakdown's parts must add up to the step, on both clocks, with the
 * definitions the header gives. With a straggler the old parts (slowest rank's compute + mean
 * of step − compute + mean idle) reached 315 ms for a 164 ms step.
 */
import { describe, expect, it } from 'vitest';
import { buildTrainingStepGraph, projectStep } from '../../src/core/projection';
import { buildSchedule } from '../../src/core/schedule';
import { makeBuckets } from '../../src/core/buckets';
import { paramLayout } from '../../src/core/model';
import { stepBreakdown, rankParts } from '../../src/core/step-breakdown';
import { medianStep } from '../../src/cluster/scaling';
import { Rng } from '../../src/core/rng';
import type { StepRecord } from '../../src/cluster/train';

function stragglerProjection(overlap: boolean) {
  const layers = [32, 128, 128, 10];
  const buckets = makeBuckets(paramLayout({ layers }), { bucketCapBytes: 16 * 1024, firstBucketBytes: 4 * 1024 });
  const graph = buildTrainingStepGraph({
    ranks: 4,
    layerComputeS: { fwd: [0.004, 0.004, 0.002], bwd: [0.008, 0.008, 0.004] },
    optimizerS: 0.002,
    buckets,
    scheduleFor: (b) => buildSchedule('all_reduce', 'ring', 4, b.count),
    link: () => ({ alphaS: 2e-3, betaSPerByte: 1e-8 }),
    overlap,
  });
  // Rank 1 computes 3× (as the measured run and train-projection.ts do).
  for (const n of graph.nodes) if ('durationS' in n && n.rank === 1 && (n.kind === 'forward' || n.kind === 'backward')) n.durationS *= 3;
  return projectStep(graph);
}

describe('every breakdown adds up to its step', () => {
  for (const overlap of [false, true]) {
    it(`projected clock, straggler 1:3, overlap ${overlap ? 'on' : 'off'}: per rank and in the mean`, () => {
      const p = stragglerProjection(overlap);
      for (const r of p.ranks) expect(r.computeS + r.exposedCommS + r.idleS).toBeCloseTo(p.stepS, 12);
      const b = stepBreakdown(
        p.stepS,
        p.ranks.map((r) => ({ compute: r.computeS, busy: r.computeS + r.exposedCommS })),
      );
      expect(b.compute + b.exposedComm + b.idle).toBeCloseTo(p.stepS, 12);
      // The straggler's compute sets the step; the others wait in the all-reduce.
      expect(Math.max(...p.ranks.map((r) => r.computeS))).toBeGreaterThan(b.compute);
      expect(b.exposedComm).toBeGreaterThan(0);
    });
  }

  it('random ranks on the measured clock, jitter included (busy a hair past the step)', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const step = 1 + rng.uniform() * 200;
      const ranks = Array.from({ length: 1 + Math.floor(rng.uniform() * 16) }, () => {
        const compute = rng.uniform() * step * 1.01;
        return { compute, busy: compute + rng.uniform() * step * 0.6 };
      });
      const b = stepBreakdown(step, ranks);
      expect(b.compute + b.exposedComm + b.idle).toBeCloseTo(step, 9);
      for (const part of [b.compute, b.exposedComm, b.idle]) expect(part).toBeGreaterThanOrEqual(0);
      for (const r of ranks) {
        const q = rankParts(step, r);
        expect(q.compute + q.exposedComm + q.idle).toBeCloseTo(step, 9);
      }
    }
  });

  it('the measured step is a real step (the median after the first), so its breakdown is its own', () => {
    const rec = (step: number, stepMs: number): StepRecord => ({ step, loss: 1, accuracy: 0, stepMs, perRank: [] });
    const steps = [rec(0, 500), rec(1, 30), rec(2, 10), rec(3, 20), rec(4, 40)];
    expect(medianStep(steps).step).toBe(3); // 10, 20, 30, 40: the lower middle
    expect(medianStep(steps.slice(0, 4)).step).toBe(3); // 10, 20, 30
    expect(medianStep([rec(0, 5)]).step).toBe(0);
  });
});
