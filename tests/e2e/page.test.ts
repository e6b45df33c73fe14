/**
 * The page as a user drives it: a URL restores the experiment, Run fills the table and the
 * charts, a second run adds a series, bad parameters are named, no WebGPU is explained.
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
});
afterAll(async () => browser?.close());

async function waitDone(p: Page): Promise<string> {
  await p.waitForFunction(() => /Done|failed|Cancelled/.test(document.querySelector('[data-testid=status]')?.textContent ?? ''), null, { timeout: 120_000 });
  return (await p.getByTestId('status').textContent()) ?? '';
}

describe('benchmark page', () => {
  it('restores a URL, runs the sweep, and fills the table and both charts', async (ctx) => {
    await page.goto(`${inject('baseUrl')}/?tab=bench&ranks=3&algo=rabenseifner&minbytes=64&maxbytes=4K&stepfactor=4&iters=2&warmup_iters=1&op=max`);
    await page.getByTestId('run').waitFor();
    const env = (await page.getByTestId('env').textContent()) ?? '';
    if (/not available|no adapter/i.test(env)) ctx.skip(`WebGPU unavailable in the page: ${env}`);
    expect(await page.locator('#bench-ranks').inputValue()).toBe('3');
    expect(await page.locator('#bench-algo').inputValue()).toBe('rabenseifner');
    expect(await page.locator('#bench-op').inputValue()).toBe('max');
    await page.getByTestId('run').click();
    const status = await waitDone(page);
    expect(status, logs.slice(-5).join('\n')).toMatch(/Done: 4 sizes/);
    const rows = await page.locator('[data-testid=results-table] tr.data-row').allTextContents();
    expect(rows).toHaveLength(4);
    const wrongCol = await page.locator('[data-testid=results-table] tr.data-row td:nth-child(9)').allTextContents();
    expect(wrongCol).toEqual(['0', '0', '0', '0']);
    const points = await page.evaluate(() =>
      (window as unknown as { ringlab: { bench: { chartPoints(): Promise<{ busbw: number; time: number }> } } }).ringlab.bench.chartPoints(),
    );
    expect(points).toEqual({ busbw: 4, time: 4 });

    // Switch the algorithm and run again: a second series lands beside the first.
    await page.locator('#bench-algo').selectOption('tree');
    await expect.poll(() => page.url(), { timeout: 10_000 }).toContain('algo=tree');
    await page.getByTestId('run').click();
    expect(await waitDone(page)).toMatch(/Done/);
    const again = await page.evaluate(() => (window as unknown as { ringlab: { bench: { chartPoints(): Promise<{ busbw: number; time: number }> } } }).ringlab.bench.chartPoints());
    expect(again).toEqual({ busbw: 8, time: 8 });

    // A real cluster's nccl-tests output lands on the same charts.
    await page.locator('summary', { hasText: 'Compare with a real cluster' }).click();
    await page.getByTestId('reference-pick').selectOption('01-h100-16rank-2node-allreduce.txt');
    await page.waitForFunction(() => /sizes/.test(document.querySelector('[data-testid=reference-status]')?.textContent ?? ''));
    expect(await page.getByTestId('reference-status').textContent()).toMatch(/Avg bus bandwidth 70\.74/);
    const withReal = await page.evaluate(() =>
      (window as unknown as { ringlab: { bench: { chartPoints(): Promise<{ busbw: number; time: number }> } } }).ringlab.bench.chartPoints(),
    );
    expect(withReal.time).toBeGreaterThan(8 + 20);
  });

  it('names every invalid URL parameter and what is allowed', async () => {
    await page.goto(`${inject('baseUrl')}/?tab=bench&ranks=99&algo=nope&bogus=1`);
    await page.getByTestId('run').waitFor();
    const status = (await page.getByTestId('status').textContent()) ?? '';
    expect(status).toMatch(/ranks/);
    expect(status).toMatch(/16/);
    expect(status).toMatch(/algo/);
    expect(status).toMatch(/ring/);
    expect(status).toMatch(/bogus/);
  });

  it('without WebGPU, says so plainly and what would give it', async () => {
    const plain = await launchChromium({ path: inject('chromiumPath'), source: 'CHROMIUM_PATH' }, [], { webgpu: false });
    try {
      const p = await plain.newPage();
      // Some Chromium builds offer WebGPU even without --enable-unsafe-webgpu: take it away in the
      // page itself, as a browser without WebGPU has it, so this case always runs.
      await p.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
      });
      await p.goto(`${inject('baseUrl')}/`);
      await p.getByTestId('run').waitFor();
      const env = (await p.getByTestId('env').textContent()) ?? '';
      const hasGpu = await p.evaluate(() => 'gpu' in navigator && (navigator as Navigator & { gpu?: GPU }).gpu !== undefined);
      expect(hasGpu, 'navigator.gpu must be gone for this case').toBe(false);
      expect(env).toMatch(/WebGPU/);
      expect(env).toMatch(/Chrome|flag|--enable-unsafe-webgpu/);
      expect(await p.getByTestId('run').isDisabled()).toBe(true);
    } finally {
      await plain.close();
    }
  });
});

describe('training page', () => {
  it('what-if: the first view says why its chart is empty, and one click shards the model; the link keeps the choice', async () => {
    await page.goto(`${inject('baseUrl')}/?tab=train`);
    const note = page.getByTestId('whatif-chart-note');
    await note.waitFor({ timeout: 30_000 });
    // The defaults (8B, plain data parallelism) hold a whole replica, 128 GB, on every 80 GB GPU.
    expect(await note.textContent()).toMatch(/ZeRO-0, Llama 3 8B does not fit in the 80 GB of a H100/);
    expect(await page.getByTestId('whatif-zero-choices').textContent()).toMatch(/ZeRO-1 \(fits from 3 GPUs\).*ZeRO-2.*ZeRO-3/);
    await page.getByTestId('whatif-zero-1').click();
    await note.waitFor({ state: 'hidden' });
    expect(await page.locator('#wi-zero').inputValue()).toBe('1');
    expect(await page.getByTestId('whatif-column').textContent()).toMatch(/32\.1 GB per GPU/);
    await expect.poll(() => new URL(page.url()).searchParams.get('wi-zero'), { timeout: 10_000 }).toBe('1');
    await page.goto(page.url());
    await page.getByTestId('whatif-column').waitFor();
    expect(await page.locator('#wi-zero').inputValue()).toBe('1');
    expect(await page.getByTestId('whatif-chart-note').isHidden()).toBe(true);
  });

  it('trains from a URL: loss curve, timeline on both clocks, scaling summary, what-if', async (ctx) => {
    await page.goto(`${inject('baseUrl')}/?tab=train&ranks=1,2&layers=8,16,3&global-batch=16&steps=3&bucket-mb=0.001&first-bucket-mb=0.0005`);
    await page.getByTestId('train-run').waitFor();
    const env = (await page.getByTestId('env').textContent()) ?? '';
    if (/not available|no adapter/i.test(env)) ctx.skip(`WebGPU unavailable in the page: ${env}`);
    expect(await page.locator('#train-ranks').inputValue()).toBe('1,2');
    expect(await page.locator('#train-layers').inputValue()).toBe('8,16,3');
    await page.getByTestId('train-run').click();
    await page.waitForFunction(() => /Done|failed|Cancelled/.test(document.querySelector('[data-testid=train-status]')?.textContent ?? ''), null, { timeout: 150_000 });
    expect(await page.getByTestId('train-status').textContent(), logs.slice(-5).join('\n')).toMatch(/Done: 2 rank count/);
    const points = await page.evaluate(() => (window as unknown as { ringlab: { train: { chartPoints(): number } } }).ringlab.train.chartPoints());
    expect(points).toBe(6);
    expect(await page.locator('[data-testid=train-summary] tbody tr').count()).toBe(2);
    const title = page.locator('.timeline-title');
    expect(await title.textContent()).toMatch(/measured clock/);
    await page.getByTestId('timeline-clock').selectOption('projected');
    expect(await title.textContent()).toMatch(/projected clock/);
    expect(await page.getByTestId('whatif-text').textContent()).toMatch(/GPUs|efficiency/);
    // The what-if follows the tab's interconnect and can project the MLP just trained.
    expect(await page.getByTestId('whatif-follow').textContent()).toMatch(/Follows the training tab.*no emulated link/);
    await page.locator('#wi-model').selectOption('measured');
    expect(await page.getByTestId('whatif-column').textContent()).toMatch(/the MLP just trained/);
    // page.url() follows the page's replaceState a moment later: poll it.
    await expect.poll(() => new URL(page.url()).searchParams.get('wi-model'), { timeout: 10_000 }).toBe('measured');
  });
});
