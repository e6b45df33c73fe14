/**
 * Zero install: dist/ on a plain static host that sends NO COOP/COEP headers (as GitHub Pages or
 * `python3 -m http.server`), under a sub-path. The bundled service worker supplies the headers,
 * the page reloads itself once cross-origin isolated, and a sweep completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../src/cli/chromium';
import { ensureBuilt } from '../../src/cli/ensure-built';
import { serveStatic, type StaticServer } from '../../src/cli/serve';

const root = new URL('../../', import.meta.url).pathname;
let browser: Browser;
let server: StaticServer;

beforeAll(async () => {
  ensureBuilt(root);
  server = await serveStatic(`${root}dist`, { isolation: false, mount: '/class/ringlab/' });
  browser = await launchChromium({ path: inject('chromiumPath'), source: 'CHROMIUM_PATH' });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('static hosting without COOP/COEP', () => {
  it('the service worker makes the page cross-origin isolated, and a sweep completes', async (ctx) => {
    const page = await browser.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
    // The server really sends no isolation headers.
    const plain = await fetch(`${server.url}/class/ringlab/`);
    expect(plain.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(plain.headers.get('cross-origin-embedder-policy')).toBeNull();
    // Count the main frame's document requests: the service worker's reload can start before the
    // first document reaches DOMContentLoaded (it reloads on `updatefound`), so load events undercount,
    // and framenavigated also fires for the page's own history.replaceState.
    let loads = 0;
    page.on('request', (r) => {
      if (r.isNavigationRequest() && r.frame() === page.mainFrame()) loads++;
    });
    await page.goto(`${server.url}/class/ringlab/?tab=bench&ranks=2&minbytes=64&maxbytes=1K&stepfactor=4&iters=2&warmup_iters=1&autorun=1`);
    await page.waitForFunction(() => crossOriginIsolated, null, { timeout: 30_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(loads, `one navigation, then one reload by the service worker\n${logs.join('\n')}`).toBe(2);
    const env = (await page.getByTestId('env').textContent()) ?? '';
    if (/not available|no adapter/i.test(env)) ctx.skip(`!!! WebGPU unavailable in the page: ${env}`);
    await page.waitForFunction(() => /Done|failed|Cancelled/.test(document.querySelector('[data-testid=status]')?.textContent ?? ''), null, { timeout: 90_000 });
    expect(await page.getByTestId('status').textContent(), logs.slice(-8).join('\n')).toMatch(/Done: 3 sizes/);
    const wrong = await page.locator('[data-testid=results-table] tr.data-row td:nth-child(9)').allTextContents();
    expect(wrong).toEqual(['0', '0', '0']);
    // The bundled logs are static files fetched relative to the page: they load under the sub-path.
    await page.locator('summary', { hasText: 'Compare with a real cluster' }).click();
    await page.getByTestId('reference-pick').selectOption('01-h100-16rank-2node-allreduce.txt');
    await page.waitForFunction(() => /sizes|Could not/.test(document.querySelector('[data-testid=reference-status]')?.textContent ?? ''));
    expect(await page.getByTestId('reference-status').textContent()).toMatch(/Avg bus bandwidth 70\.74/);
  });
});
