/**
 * Issue 10, defect 4: "hierarchical is faster than ring at every size from 8 B to 2 MiB" was
 * said from sweeps up to 2 KiB, from fits with R² below zero, and across interconnects.
 */
import { describe, expect, it } from 'vitest';
import { crossoverStatementSteps, crossoverStatements, type FittedSweep } from '../../src/core/crossover-statements';
import { runSliced } from '../../src/ui/dom';
import type { Algorithm } from '../../src/core/schedule/types';

/** A straight-line fitted model t = α + βS with given R². */
function sweep(algorithm: Algorithm, alphaS: number, betaSPerByte: number, opts: Partial<Pick<FittedSweep, 'minBytes' | 'maxBytes' | 'link'>> & { r2?: number } = {}): FittedSweep {
  return {
    id: { collective: 'all_reduce', algorithm, ranks: 8, root: 0 },
    fit: { predictS: (b) => alphaS + betaSPerByte * b, r2: opts.r2 ?? 0.99, r2Log: opts.r2 ?? 0.99 },
    minBytes: opts.minBytes ?? 8,
    maxBytes: opts.maxBytes ?? 2048,
    link: opts.link ?? '10gbe',
  };
}

// tree: small α, large β; ring: large α, small β. They cross at 3e-5 / 9e-10 B ≈ 32.6 KiB.
const tree = sweep('tree', 1e-5, 1e-9);
const ring = sweep('ring', 4e-5, 1e-10);

describe('crossover statements say only what the data supports', () => {
  it('a crossover beyond the measured sizes is called extrapolated, and "every size" stays within them', () => {
    const [s] = crossoverStatements([tree, ring]);
    expect(s).toMatch(
      /^tree is faster than ring at every measured size from 8 B to 2 KiB; extrapolated beyond the measured sizes, ring would overtake it above 32\.55 KiB \(8 ranks, 10gbe\)\.$/,
    );
  });

  it('a crossover inside the measured sizes is stated plainly', () => {
    const [s] = crossoverStatements([sweep('tree', 1e-5, 1e-9, { maxBytes: 1 << 20 }), sweep('ring', 4e-5, 1e-10, { maxBytes: 1 << 20 })]);
    expect(s).toMatch(/^ring overtakes tree above 32\.55 KiB \(8 ranks, 10gbe; fitted models, within the measured sizes\)\.$/);
  });

  it('a fit with R² below zero makes the statement "unreliable fit"', () => {
    const [s] = crossoverStatements([sweep('tree', 1e-5, 1e-9, { r2: -0.31 }), ring]);
    expect(s).toMatch(/unreliable fit: tree R² -0\.31, R² of log t -0\.31\)\.$/);
  });

  it('runs on different interconnects are not compared', () => {
    const s = crossoverStatements([tree, sweep('ring', 4e-5, 1e-10, { link: 'nvlink' })]);
    expect(s).toEqual(['tree and ring not compared: they ran on different interconnects (10gbe vs nvlink).']);
  });

  it('no crossover even when extrapolating: one sentence, within the measured sizes', () => {
    const [s] = crossoverStatements([sweep('tree', 1e-5, 1e-9), sweep('ring', 4e-5, 2e-9)]);
    expect(s).toBe('tree is faster than ring at every measured size from 8 B to 2 KiB (8 ranks, 10gbe).');
  });
});

describe('the loss chart claims the same curve only where it holds', () => {
  it('strong scaling: the same curve; weak scaling: the curves differ', async () => {
    const { lossChartNote } = await import('../../src/core/loss-note');
    expect(lossChartNote('strong')).toMatch(/same seed and global batch, so every rank count follows the same curve/);
    expect(lossChartNote('weak')).toMatch(/global batch grows with the rank count, so the curves differ/);
    expect(lossChartNote('weak')).not.toMatch(/same curve/);
  });
});

describe('interconnect keys tell runs apart', () => {
  it('preset, overrides, topology, slow link and scaling all count', async () => {
    const { interconnectKey } = await import('../../src/core/crossover-statements');
    const { BENCH_TABLE, parseUrl } = await import('../../src/core/config');
    const key = (q: string) => interconnectKey(parseUrl(BENCH_TABLE, new URLSearchParams(q)).config);
    expect(key('')).toBe('no emulated link');
    expect(key('link=10gbe')).toBe('10gbe, scaled to h100');
    expect(key('link=10gbe&scaled=false')).not.toBe(key('link=10gbe'));
    expect(key('link=10gbe&slow-link=0-1:4')).not.toBe(key('link=10gbe'));
    expect(key('link=custom&alpha-us=5&bandwidth=10MB/s')).toBe('custom, α 5 µs, 10 MB/s, scaled to h100');
  });
});

describe('the crossover search in steps (the page runs it in short tasks, issue 8)', () => {
  it('yields between model evaluations and gives the same statements as the one-go search', () => {
    const steps = crossoverStatementSteps([tree, ring, sweep('ring', 4e-5, 1e-10, { link: 'nvlink' })]);
    let yields = 0;
    let r = steps.next();
    while (!r.done) {
      yields++;
      r = steps.next();
    }
    expect(yields).toBeGreaterThan(100);
    expect(r.value).toEqual(crossoverStatements([tree, ring, sweep('ring', 4e-5, 1e-10, { link: 'nvlink' })]));
  });

  it('runSliced gives the same result across tasks, and nothing once a newer render took over', async () => {
    const whole = crossoverStatements([tree, ring]);
    expect(await runSliced(crossoverStatementSteps([tree, ring]), () => false, 0)).toEqual(whole);
    let calls = 0;
    expect(await runSliced(crossoverStatementSteps([tree, ring]), () => ++calls > 5, 0)).toBeUndefined();
  });
});
