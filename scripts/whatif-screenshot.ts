/**
 * Screenshot of the what-if panel as a user sees it (Vite dev server, headless Chromium), no
 * training needed: `npx tsx scripts/whatif-screenshot.ts [query] [out.png]`.
 */
import { createServer } from 'vite';
import { launchChromium } from '../src/cli/chromium';

const query = process.argv[2] ?? '?tab=train&wi-model=70b&wi-zero=3&wi-at=16384&wi-algo=rabenseifner&wi-bucket-mb=1024&wi-link=ib-ndr400&wi-compare=--oversubscription%204';
const out = process.argv[3] ?? 'docs/screenshot-whatif.png';
const server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
await server.listen();
const base = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (m) => m.type() === 'error' && console.error('[page]', m.text()));
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(`${base}/${query}`);
  const panel = page.getByTestId('whatif');
  await page.getByTestId('whatif-column-B').or(page.getByTestId('whatif-column')).first().waitFor({ timeout: 60_000 });
  await panel.scrollIntoViewIfNeeded();
  await page.waitForTimeout(500);
  await panel.screenshot({ path: out });
  console.log(`saved ${out}; errors: ${(await page.getByTestId('whatif-error').textContent()) || 'none'}`);
} finally {
  await browser.close();
  await server.close();
}
