/**
 * Runs lessons in the page as a learner would (Vite dev server, headless Chromium): opens
 * `?lesson=<id>&autorun=1` for each id, waits for the reveal, prints the time, the verdict,
 * the sentence and the figures, and saves a screenshot per lesson.
 * `npx tsx scripts/lessons.ts [ids,comma,separated|all] [out-dir] [extra query, e.g. &present=1]`
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'vite';
import { launchChromium } from '../src/cli/chromium';
import { LESSON_IDS } from '../src/core/lessons';

const ids = !process.argv[2] || process.argv[2] === 'all' ? [...LESSON_IDS] : process.argv[2].split(',');
const outDir = process.argv[3] ?? '/tmp/lessons';
const extra = process.argv[4] ?? '';
mkdirSync(outDir, { recursive: true });
const server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1', hmr: false }, logLevel: 'warn' });
await server.listen();
const base = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
const browser = await launchChromium();
try {
  for (const id of ids) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => m.type() === 'error' && console.error('[page]', m.text()));
    const t0 = Date.now();
    await page.goto(`${base}/?lesson=${id}&autorun=1${extra}`);
    await page.waitForFunction(
      () => {
        const v = (window as unknown as { ringlab?: { lessons: { current?: { last?: unknown } } } }).ringlab;
        return v?.lessons.current?.last !== undefined;
      },
      null,
      { timeout: 300_000 },
    );
    const last = await page.evaluate(
      () =>
        (
          window as unknown as {
            ringlab: {
              lessons: {
                current: {
                  last: {
                    status: string;
                    seconds: number;
                    error?: string;
                    reveal: { verdict: string; sentence: string; why?: string; measured: { label: string; text: string }[]; model: { label: string; text: string }[] } | null;
                  };
                };
              };
            };
          }
        ).ringlab.lessons.current.last,
    );
    console.log(`\n=== ${id}: ${last.status} in ${last.seconds.toFixed(1)} s (page ${((Date.now() - t0) / 1000).toFixed(1)} s)${last.error ? ` error: ${last.error}` : ''}`);
    if (last.reveal) {
      console.log(`verdict: ${last.reveal.verdict}\n${last.reveal.sentence}${last.reveal.why ? `\nwhy: ${last.reveal.why}` : ''}`);
      console.log(`measured: ${last.reveal.measured.map((f) => `${f.label} = ${f.text}`).join('; ')}`);
      console.log(`model: ${last.reveal.model.map((f) => `${f.label} = ${f.text}`).join('; ')}`);
    }
    await page.screenshot({ path: `${outDir}/${id}.png`, fullPage: true });
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
