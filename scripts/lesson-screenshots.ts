/**
 * The README's lesson screenshots: a lesson in presenter mode after its run, and the list.
 * `npx tsx scripts/lesson-screenshots.ts [lesson-id] [docs-dir]`
 */
import { createServer } from 'vite';
import { launchChromium } from '../src/cli/chromium';

const id = process.argv[2] ?? 'ring-vs-tree';
const dir = process.argv[3] ?? 'docs';
const server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1', hmr: false }, logLevel: 'warn' });
await server.listen();
const base = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => m.type() === 'error' && console.error('[page]', m.text()));
  await page.goto(`${base}/?lesson=${id}&present=1&autorun=1`);
  await page.getByTestId('reveal').waitFor({ timeout: 300_000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${dir}/screenshot-lesson-present.png`, fullPage: true });
  console.log(`saved ${dir}/screenshot-lesson-present.png: ${await page.getByTestId('reveal-sentence').textContent()}`);
  const list = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await list.goto(`${base}/?tab=lessons`);
  await list.getByTestId('lesson-list').waitFor();
  await list.screenshot({ path: `${dir}/screenshot-lessons.png` });
  console.log(`saved ${dir}/screenshot-lessons.png`);
} finally {
  await browser.close();
  await server.close();
}
