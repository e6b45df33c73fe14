/**
 * Browser-test helpers: one Chromium per test file, one harness page, and `call()` that runs
 * a named harness function inside the page (tests/browser/harness.ts) and returns its result.
 */
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../src/cli/chromium';

export interface HarnessPage {
  browser: Browser;
  page: Page;
  /** Messages the page printed (console errors included), for failure reports. */
  logs: string[];
  call<T>(name: string, ...args: unknown[]): Promise<T>;
  /** Adapter description, or the reason WebGPU is unavailable. */
  webgpu: { ok: true; adapter: string; isFallback: boolean } | { ok: false; reason: string };
  close(): Promise<void>;
}

export async function openHarness(path = '/tests/browser/harness.html'): Promise<HarnessPage> {
  const browser = await launchChromium({ path: inject('chromiumPath'), source: 'CHROMIUM_PATH' });
  const page = await browser.newPage();
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  await page.goto(inject('baseUrl') + path);
  await page.waitForFunction(() => (window as unknown as { harness?: unknown }).harness !== undefined, null, { timeout: 60_000 });
  const call = async <T>(name: string, ...args: unknown[]): Promise<T> =>
    page.evaluate(
      async ([n, a]) => {
        const h = (window as unknown as { harness: Record<string, (...x: unknown[]) => Promise<unknown>> }).harness;
        const fn = h[n as string];
        if (!fn) throw new Error(`no harness function ${String(n)}; have ${Object.keys(h).join(', ')}`);
        return fn(...(a as unknown[]));
      },
      [name, args] as const,
    ) as Promise<T>;
  const webgpu = await call<HarnessPage['webgpu']>('webgpuInfo');
  if (!webgpu.ok) {
    console.warn(`\n!!! WEBGPU UNAVAILABLE in ${inject('chromiumPath')}: ${webgpu.reason}\n!!! GPU tests in this file will be SKIPPED\n`);
  }
  return { browser, page, logs, call, webgpu, close: () => browser.close() };
}
