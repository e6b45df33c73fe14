/**
 * Opens the page as a user would (Vite dev server, headless Chromium), runs what the URL
 * describes, and saves a screenshot: `npx tsx scripts/screenshot.ts [query] [out.png]`.
 */
import { createServer } from 'vite';
import { launchChromium } from '../src/cli/chromium';

const query = process.argv[2] ?? '?tab=bench&ranks=4&maxbytes=256K';
const out = process.argv[3] ?? 'docs/screenshot.png';
/** Optional: after the first run, switch the benchmark's algorithm to this and run again. */
const thenAlgo = process.argv[4];
const server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
await server.listen();
const base = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (m) => m.type() === 'error' && console.error('[page]', m.text()));
  await page.goto(`${base}/${query}`);
  const run = page.getByTestId(query.includes('tab=train') ? 'train-run' : 'run');
  await run.waitFor();
  if (!query.includes('autorun=1')) await run.click();
  const statusId = query.includes('tab=train') ? 'train-status' : 'status';
  const doneRe = process.env.SHOT_DONE ?? 'Done|failed|Cancelled';
  const done = (): Promise<unknown> =>
    page.waitForFunction(([id, re]) => new RegExp(re!).test(document.querySelector(`[data-testid=${id}]`)?.textContent ?? ''), [statusId, doneRe], { timeout: 300_000 });
  await done();
  if (thenAlgo) {
    await page.locator('#bench-algo').selectOption(thenAlgo);
    await run.click();
    await page.waitForFunction(() => !/Done/.test(document.querySelector('[data-testid=status]')?.textContent ?? ''));
    await done();
  }
  await page.screenshot({ path: out, fullPage: !process.env.SHOT_VIEWPORT });
  console.log(`saved ${out}: ${await page.getByTestId(statusId).textContent()}`);
} finally {
  await browser.close();
  await server.close();
}
