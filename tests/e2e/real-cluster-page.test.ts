/**
 * "Run it on a real cluster" on the page (issue 9): the training tab downloads ringlab_ddp.py
 * for the experiment in the URL and overlays a loaded DDP report (or names what is wrong with
 * it); the benchmark tab downloads commands.txt and ringlab_collectives.py, and its compare
 * reads the script's JSON. No GPU work: it runs without WebGPU too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Download, Page } from 'playwright-core';
import { launchChromium } from '../../src/cli/chromium';
import { parseArgv, TRAIN_TABLE } from '../../src/core/config';
import { ddpExportConfig } from '../../src/core/export/ddp-export';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await launchChromium({ path: inject('chromiumPath'), source: 'CHROMIUM_PATH' });
  page = await browser.newPage({ viewport: { width: 1300, height: 900 }, acceptDownloads: true });
});
afterAll(async () => browser?.close());

async function text(d: Download): Promise<string> {
  const path = await d.path();
  return readFileSync(path, 'utf8');
}

const report = {
  backend: 'gloo',
  world_size: 2,
  host: 'node7',
  hosts: ['node7'],
  global_batch: 16,
  losses: [1.2, 0.8, 0.5, 0.3],
  accuracies: [0.3, 0.6, 0.8, 0.9],
  step_times_s: [0.2, 0.01, 0.012, 0.011],
  param_hashes: ['0badf00d', '0badf00d'],
};

describe('real cluster bridge on the page', () => {
  it('training tab: downloads the DDP program of the URL experiment; loads a report, or names what is wrong', async () => {
    await page.goto(`${inject('baseUrl')}/?tab=train&layers=8,12,3&steps=4&seed=5&global-batch=16&ranks=1,2`);
    await page.locator('summary', { hasText: 'Run it on a real cluster' }).click();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ddp-export').click()]);
    expect(dl.suggestedFilename()).toBe('ringlab_ddp.py');
    const script = await text(dl);
    const cfg = JSON.parse(/RINGLAB_CONFIG = json\.loads\(r'''\n([\s\S]*?)\n'''\)/.exec(script)![1]!) as ReturnType<typeof ddpExportConfig>;
    const want = ddpExportConfig(parseArgv(TRAIN_TABLE, ['--layers', '8,12,3', '--steps', '4', '--seed', '5', '--global-batch', '16', '--ranks', '1,2']).config);
    expect(cfg).toEqual(want);
    expect(await page.getByTestId('ddp-status').textContent()).toMatch(/torchrun --nproc_per_node/);

    const file = page.getByTestId('ddp-report-file');
    await file.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...report, step_times_s: [0.1] })) });
    await page.waitForFunction(() => /bad\.json/.test(document.querySelector('[data-testid=ddp-status]')?.textContent ?? ''));
    expect(await page.getByTestId('ddp-status').textContent()).toMatch(/bad\.json: DDP report: 'step_times_s' has 1 steps but 'losses' has 4/);

    await file.setInputFiles({ name: 'report.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(report)) });
    await page.waitForFunction(() => /report\.json: PyTorch DDP/.test(document.querySelector('[data-testid=ddp-status]')?.textContent ?? ''));
    const overlays = await page.evaluate(() =>
      (window as unknown as { ringlab: { train: { overlays(): { lossSeries: string[]; scalingSeries: number } } } }).ringlab.train.overlays(),
    );
    expect(overlays.lossSeries).toContain('PyTorch DDP · gloo × 2 · node7');
    expect(overlays.scalingSeries).toBe(1); // the DDP step time, drawn as a star at 2 ranks
  });

  it('benchmark tab: downloads commands.txt and the script; compare reads the script JSON', async () => {
    await page.goto(`${inject('baseUrl')}/?tab=bench&ranks=8&algo=tree&minbytes=64&maxbytes=1M`);
    // One click, two downloads: the predicate collects every download and is true on the second.
    const downloads: Download[] = [];
    const both = page.waitForEvent('download', { predicate: (d) => downloads.push(d) === 2, timeout: 10_000 });
    await page.getByTestId('bench-export').click();
    await both;
    const byName = new Map(await Promise.all(downloads.map(async (d) => [d.suggestedFilename(), await text(d)] as const)));
    expect(byName.get('commands.txt')).toMatch(/NCCL_ALGO=Tree mpirun -np 8 -x NCCL_ALGO \.\/build\/all_reduce_perf -b 64 -e 1048576 /);
    expect(byName.get('ringlab_collectives.py')).toBe(readFileSync(join(import.meta.dirname, '../../python/ringlab_collectives.py'), 'utf8'));

    await page.locator('summary', { hasText: 'Compare with a real cluster' }).click();
    const doc = {
      config: { devices: [{}, {}] },
      results: [64, 256].map((size) => ({
        size,
        count: size / 4,
        type: 'float',
        redop: 'sum',
        root: '    -1',
        out_of_place: { time: 100, alg_bw: size / 1e5, bus_bw: size / 1e5, nwrong: 0 },
        in_place: { time: 90, alg_bw: size / 9e4, bus_bw: size / 9e4, nwrong: 0 },
      })),
      out_of_bounds: { count: 0, okay: 'true' },
      average_bus_bandwidth: { bandwidth: 0.002 },
      ringlab: { tool: 'ringlab_collectives.py', backend: 'gloo', world_size: 2, host: 'node7' },
    };
    await page.getByTestId('reference-file').setInputFiles({ name: 'all_reduce.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
    await page.waitForFunction(() => /all_reduce\.json: 2 sizes/.test(document.querySelector('[data-testid=reference-status]')?.textContent ?? ''));
    await page.getByTestId('reference-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"results": 3}') });
    await page.waitForFunction(() => /broken\.json/.test(document.querySelector('[data-testid=reference-status]')?.textContent ?? ''));
    expect(await page.getByTestId('reference-status').textContent()).toMatch(/broken\.json: 'results' is not an array/);
  });
});
