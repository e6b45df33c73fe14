/**
 * The classroom features as a teacher uses them: several runs from one URL that start by
 * themselves and stay overlaid until Clear (training tab: compare=; benchmark: algos=), in
 * presenter mode (large type, full-width charts, nothing moving while results stream in), with
 * named parts hidden and keyboard navigation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../src/cli/chromium';

let browser: Browser;
let page: Page;
const logs: string[] = [];

beforeAll(async () => {
  browser = await launchChromium({ path: inject('chromiumPath'), source: 'CHROMIUM_PATH' });
  page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
});
afterAll(async () => browser?.close());

interface Overlays {
  studies: string[];
  lossSeries: string[];
  scalingSeries: number;
}
const overlays = (p: Page): Promise<Overlays> => p.evaluate(() => (window as unknown as { ringlab: { train: { overlays(): Overlays } } }).ringlab.train.overlays());

async function skipWithoutWebGpu(p: Page, skip: (why: string) => void): Promise<void> {
  const env = (await p.getByTestId('env').textContent()) ?? '';
  if (/not available|no adapter/i.test(env)) skip(`!!! WebGPU unavailable in the page: ${env}`);
}

describe('comparisons from the URL', () => {
  it('training: compare=… with autorun=1 in presenter mode runs every variant and overlays them until Clear', async (ctx) => {
    // A baseline and a straggler (rank 1 three times slower), tiny model, 2 steps.
    const q = 'tab=train&ranks=2&layers=4,8,2&global-batch=4&steps=2&bucket-mb=0.001&first-bucket-mb=0.0005&compare=straggler:,straggler:1:3&autorun=1&present=1';
    await page.goto(`${inject('baseUrl')}/?${q}`);
    await page.getByTestId('train-run').waitFor();
    await skipWithoutWebGpu(page, ctx.skip);
    // Presenter mode: controls hidden, Run shown, ≥ 20 px text, the loss chart the full width.
    expect(await page.locator('#train-ranks').isVisible()).toBe(false);
    expect(await page.getByTestId('train-run').isVisible()).toBe(true);
    const fontPx = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('[data-testid=train-status]')!).fontSize));
    expect(fontPx).toBeGreaterThanOrEqual(20);
    const before = (await page.getByTestId('loss-chart').boundingBox())!;
    expect(before.width).toBeGreaterThan(1300 * 0.9);
    await page.waitForFunction(() => /Done: .*straggler 1:3|failed|Cancelled/.test(document.querySelector('[data-testid=train-status]')?.textContent ?? ''), null, {
      timeout: 150_000,
    });
    expect(await page.getByTestId('train-status').textContent(), logs.slice(-8).join('\n')).toMatch(/Done/);
    // Nothing above the chart grew while the runs streamed in.
    const after = (await page.getByTestId('loss-chart').boundingBox())!;
    expect({ y: after.y, height: after.height, width: after.width }).toEqual({ y: before.y, height: before.height, width: before.width });
    const o = await overlays(page);
    expect(o.studies).toEqual(['no straggler', 'straggler 1:3']);
    expect(o.lossSeries).toEqual(['no straggler · 2 ranks', 'straggler 1:3 · 2 ranks']);
    expect(o.scalingSeries).toBe(4); // measured + projected per study
    // Both studies' rows in the summary, and the timeline can show either study's runs.
    expect(await page.locator('[data-testid=train-summary] tbody tr').count()).toBe(2);
    expect(await page.locator('[data-testid=timeline-run] option').count()).toBe(2);
    // The straggler's projected 2-rank step is longer than the baseline's (it repeats its compute 3×).
    const steps = await page.locator('[data-testid=train-summary] tbody tr td:nth-child(7)').allTextContents();
    expect(Number(steps[1])).toBeGreaterThan(Number(steps[0]));
    // Model FLOPs utilization on both clocks, in the results and the table: achieved model
    // FLOP/s over the measured matmul peak (one shared GPU measured, N GPUs projected).
    const u = await page.evaluate(
      () =>
        (
          window as unknown as {
            ringlab: {
              train: {
                results: {
                  result: {
                    points: {
                      ranks: number;
                      flopsPerStep: number;
                      peakFlopsPerS: number;
                      measured: { stepMs: number; utilization: { mfu: number } };
                      projected: { stepMs: number; utilization: { mfu: number } };
                    }[];
                  };
                }[];
              };
            };
          }
        ).ringlab.train.results[0]!.result.points[0]!,
    );
    expect(u.flopsPerStep).toBe(6 * (4 * 8 + 8 + 8 * 2 + 2) * 4);
    expect(u.measured.utilization.mfu).toBeCloseTo(u.flopsPerStep / (u.measured.stepMs / 1e3) / u.peakFlopsPerS, 6);
    expect(u.projected.utilization.mfu).toBeCloseTo(u.flopsPerStep / (u.projected.stepMs / 1e3) / (u.ranks * u.peakFlopsPerS), 6);
    expect(u.measured.utilization.mfu).toBeGreaterThan(0);
    expect(u.projected.utilization.mfu).toBeLessThan(1);
    expect(await page.locator('[data-testid=train-summary] thead').textContent()).toMatch(/MFU M.*MFU P/);
    await expect.poll(() => page.url(), { timeout: 10_000 }).toContain('compare=straggler');
    await expect.poll(() => page.url(), { timeout: 10_000 }).toContain('present=1');
    await page.getByTestId('train-clear').click();
    expect(await overlays(page)).toEqual({ studies: [], lossSeries: [], scalingSeries: 0 });
  });

  it('hide= names a bad part and what is allowed; keys switch tabs and keep the presentation', async () => {
    await page.goto(`${inject('baseUrl')}/?tab=bench&hide=bogus,controls,table`);
    await page.getByTestId('run').waitFor();
    expect(await page.getByTestId('status').textContent()).toMatch(/hide: unknown part 'bogus'; allowed: header, tabs, controls, table/);
    expect(await page.locator('#bench-ranks').isVisible()).toBe(false);
    expect(await page.getByTestId('results-table').isVisible()).toBe(false);
    expect(await page.getByTestId('busbw-chart').isVisible()).toBe(true);
    await page.locator('body').press('ArrowRight');
    expect(await page.getByTestId('train-run').isVisible()).toBe(true);
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/tab=train.*hide=controls%2Ctable|tab=train.*hide=controls,table/);
    await page.locator('body').press('ArrowLeft');
    expect(await page.getByTestId('run').isVisible()).toBe(true);
  });

  it('benchmark: algos=ring,tree&autorun=1 overlays one sweep per algorithm; a bad name is named', async (ctx) => {
    await page.goto(`${inject('baseUrl')}/?tab=bench&ranks=3&minbytes=64&maxbytes=1K&stepfactor=4&iters=2&warmup_iters=1&algos=ring,tree,nope&autorun=1`);
    await page.getByTestId('run').waitFor();
    await skipWithoutWebGpu(page, ctx.skip);
    expect(await page.getByTestId('status').textContent()).toMatch(/algos: unknown algorithm 'nope'; allowed: ring, tree/);
    await page.waitForFunction(() => /Done: .*\(tree|failed|Cancelled/.test(document.querySelector('[data-testid=status]')?.textContent ?? ''), null, { timeout: 120_000 });
    const labels = await page.locator('[data-testid=results-table] tr.run-head').allTextContents();
    expect(labels.map((l) => l.split(' · ')[0])).toEqual(['ring', 'tree']);
    const points = await page.evaluate(() => (window as unknown as { ringlab: { bench: { chartPoints(): Promise<{ busbw: number }> } } }).ringlab.bench.chartPoints());
    expect(points.busbw).toBe(6);
  });
});
