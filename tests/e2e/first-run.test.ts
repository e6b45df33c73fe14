/**
 * Issue 10, defect 6, on the page: Run waits for the GPU measurement, a software adapter
 * starts unscaled, every link pins the measured FLOP/s, Copy link shows the link, Clear
 * empties the animation. One small sweep (2 ranks, 2 sizes).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../src/cli/chromium';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchChromium({ path: inject('chromiumPath'), source: 'CHROMIUM_PATH' });
  page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
});
afterAll(async () => browser?.close());

describe('a first run', () => {
  it('waits for the FLOP/s measurement, starts unscaled on a software adapter, pins flops= in its link, copies it visibly, clears the animation', async (ctx) => {
    await page.goto(`${inject('baseUrl')}/?tab=bench&ranks=2&minbytes=8&maxbytes=32&iters=1&warmup_iters=0&link=10gbe`);
    await page.getByTestId('run').waitFor();
    const env = (await page.getByTestId('env').textContent()) ?? '';
    if (/not available|no adapter/i.test(env)) ctx.skip(`WebGPU unavailable in the page: ${env}`);
    // Run is enabled only once the measurement is in (the banner then shows it).
    await page.waitForFunction(() => !(document.querySelector('[data-testid=run]') as HTMLButtonElement).disabled, null, { timeout: 60_000 });
    expect(await page.getByTestId('env').textContent()).toMatch(/GFLOP\/s/);
    expect(await page.getByTestId('run-reason').textContent()).toBe('');
    if (/software/.test(env)) {
      expect(await page.locator('#bench-scaled').isChecked()).toBe(false);
      await expect.poll(() => page.url(), { timeout: 10_000 }).toContain('scaled=false');
    }
    await page.getByTestId('run').click();
    await page.waitForFunction(() => /Done|failed/.test(document.querySelector('[data-testid=status]')?.textContent ?? ''), null, { timeout: 60_000 });
    expect(await page.getByTestId('status').textContent()).toMatch(/Done: 2 sizes/);
    await page.getByTestId('copy-link').click();
    const link = await page.getByTestId('copied-link').inputValue();
    expect(link).toMatch(/tab=bench/);
    expect(link).toMatch(/flops=\d/);
    expect(await page.getByTestId('status').textContent()).toMatch(/Link copied|select the link and copy it/);
    expect(await page.locator('.animation .hint').textContent()).not.toMatch(/^Run a sweep/);
    await page.getByTestId('clear').click();
    expect(await page.locator('.animation .hint').textContent()).toMatch(/^Run a sweep: its schedule is animated here\./);
  });
});
