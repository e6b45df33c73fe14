/**
 * Errors, never hangs: a rank that throws or never answers ends the run with a message naming
 * it within a bounded time; Cancel stops promptly; the next run in the same page works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessPage } from '../support/browser';
import type { SweepRequest, SweepResult } from '../../src/cluster/sweep';

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h?.close());

const base: Omit<SweepRequest, 'linkOf'> = {
  collective: 'all_reduce',
  algorithm: 'ring',
  ranks: 4,
  minBytes: 64,
  maxBytes: 4096,
  stepFactor: 4,
  iters: 2,
  warmupIters: 1,
  check: true,
  op: 'sum',
  root: 0,
  timeoutMs: 2000,
};

type Result = SweepResult & { rowsSeen: number };

describe('failures and cancellation', () => {
  it('a rank that throws is named, and the next run works', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    const t0 = Date.now();
    const r = await h.call<Result>('runSweep', { ...base, fault: { rank: 2, kind: 'throw' } });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/rank 2/);
    expect(r.failedRank).toBe(2);
    expect(Date.now() - t0).toBeLessThan(20_000);
    const ok = await h.call<Result>('runSweep', base);
    expect(ok.status).toBe('done');
    expect(ok.rows.every((row) => row.wrong === 0)).toBe(true);
  });

  it('a rank that never answers is named after the timeout, and the next run works', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    const t0 = Date.now();
    const r = await h.call<Result>('runSweep', { ...base, fault: { rank: 3, kind: 'stall' } });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/rank 3\b/);
    expect(Date.now() - t0).toBeLessThan(base.timeoutMs + 10_000);
    const ok = await h.call<Result>('runSweep', base);
    expect(ok.status).toBe('done');
  });

  it('cancel stops the sweep promptly and the next run works', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    const r = await h.call<Result>('runSweep', { ...base, maxBytes: 1 << 20 }, 1);
    expect(r.status).toBe('cancelled');
    expect(r.rows.length).toBeLessThan(6);
    const ok = await h.call<Result>('runSweep', base);
    expect(ok.status).toBe('done');
    expect(ok.rows.map((row) => row.bytes)).toEqual([64, 256, 1024, 4096]);
    for (const row of ok.rows) {
      expect(row.busbwGBps / row.algbwGBps).toBeCloseTo((2 * 3) / 4, 12);
      expect(row.algbwGBps).toBeCloseTo(row.bytes / (row.timeUs * 1e-6) / 1e9, 9);
    }
  });
});
