/**
 * The app page's main-thread responsiveness during a sweep and during training, for
 * `npm run perf` (issue 8: no main-thread task over 50 ms). It drives the real page (index.html,
 * charts, table, timeline), not the CLI's runner page: load, wait for Run to be enabled (the
 * FLOP/s probe is in), start observing, click Run, wait for Done.
 *
 * Observed with PerformanceObserver: `longtask` (every task ≥ 50 ms) and `long-animation-frame`
 * (frames ≥ 50 ms, with the script that spent the most time in them, so a long task can be traced
 * to its source).
 */
import type { Browser } from 'playwright-core';

/** What one run on the page cost its main thread. */
export interface PageResponsiveness {
  what: string;
  /** The page's own status line when the run ended. */
  status: string;
  /** Wall time of the run from the click to Done (ms). */
  runMs: number;
  /** Tasks of 50 ms or more (longtask entries) and the longest of them (ms); 0 when none. */
  longTasks: number;
  longestTaskMs: number;
  /** The script that took the longest inside the longest animation frame, if one was ≥ 50 ms. */
  longestFrameScript: string;
}

interface Watch {
  tasks: number[];
  frames: { duration: number; script: string }[];
}

/** Runs `query` on the page, clicks `runTestId`, waits until `statusTestId` says Done. */
async function measureRun(browser: Browser, baseUrl: string, what: string, query: string, runTestId: string, statusTestId: string): Promise<PageResponsiveness> {
  const page = await browser.newPage();
  try {
    await page.goto(`${baseUrl}/?${query}`);
    const run = page.getByTestId(runTestId);
    await run.waitFor();
    await page.waitForFunction((id) => !(document.querySelector(`[data-testid=${id}]`) as HTMLButtonElement | null)?.disabled, runTestId, { timeout: 120_000 });
    await page.evaluate(() => {
      const w = window as Window & { ringlabWatch?: Watch };
      const watch: Watch = { tasks: [], frames: [] };
      w.ringlabWatch = watch;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) watch.tasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
      if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame'))
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as (PerformanceEntry & { scripts?: { duration: number; sourceURL?: string; sourceFunctionName?: string; invoker?: string }[] })[]) {
            const top = [...(e.scripts ?? [])].sort((a, b) => b.duration - a.duration)[0];
            const where = top
              ? `${top.invoker ?? ''} ${top.sourceFunctionName ?? ''} (${(top.sourceURL ?? '').split('/').pop()}) ${top.duration.toFixed(0)} ms`
              : 'no script attributed';
            watch.frames.push({ duration: e.duration, script: where.trim() });
          }
        }).observe({ type: 'long-animation-frame', buffered: false });
    });
    const t0 = Date.now();
    await run.click();
    await page.waitForFunction((id) => /Done|failed|Cancelled|error/i.test(document.querySelector(`[data-testid=${id}]`)?.textContent ?? ''), statusTestId, {
      timeout: 300_000,
      polling: 500,
    });
    const runMs = Date.now() - t0;
    // Entries are delivered after the task that ends the run; give the observers a frame.
    await page.waitForTimeout(200);
    const status = ((await page.getByTestId(statusTestId).textContent()) ?? '').trim().slice(0, 160);
    const watch = await page.evaluate(() => (window as Window & { ringlabWatch?: Watch }).ringlabWatch!);
    const longestFrame = [...watch.frames].sort((a, b) => b.duration - a.duration)[0];
    return {
      what,
      status,
      runMs,
      longTasks: watch.tasks.length,
      longestTaskMs: Math.max(0, ...watch.tasks),
      longestFrameScript: longestFrame ? `${longestFrame.duration.toFixed(0)} ms frame: ${longestFrame.script}` : 'none',
    };
  } finally {
    await page.close();
  }
}

/** A sweep (ring and tree, 8 B–1 MiB or 4 MiB) and a training run (strong scaling over 1, 2[, 4] ranks) on the app page. */
export async function measureAppPage(browser: Browser, baseUrl: string, quick: boolean): Promise<PageResponsiveness[]> {
  const [ranks, maxBytes, rankCounts, steps] = quick ? [4, '1M', '1,2', 6] : [8, '4M', '1,2,4', 12];
  const sweep = `tab=bench&ranks=${ranks}&minbytes=8&maxbytes=${maxBytes}&stepfactor=4&iters=${quick ? 3 : 5}&warmup_iters=1&algos=ring,tree`;
  const train = `tab=train&ranks=${rankCounts}&steps=${steps}`;
  // Long tasks on two shared cores vary a lot from run to run (0-3 to 3-9 tasks between runs of
  // the same code): the sweep is measured three times, each run a row.
  const sweeps: PageResponsiveness[] = [];
  for (let i = 1; i <= (quick ? 1 : 3); i++) sweeps.push(await measureRun(browser, baseUrl, `sweep ${i}: ${ranks} ranks, ring + tree, 8 B–${maxBytes}iB`, sweep, 'run', 'status'));
  return [...sweeps, await measureRun(browser, baseUrl, `training: ${rankCounts} ranks, ${steps} steps (page defaults otherwise)`, train, 'train-run', 'train-status')];
}

/** The BENCHMARKS.md lines for {@link measureAppPage}'s results. */
export function appPageLines(results: PageResponsiveness[]): string[] {
  return [
    '### The app page stays responsive (issue 8: no main-thread task over 50 ms)',
    '',
    'The real page (index.html with its charts, table and timeline), driven as a user would: Run clicked once the FLOP/s probe is in, observed until Done. `longtask` reports every main-thread task of 50 ms or more; `long-animation-frame` names the script behind the longest frame.',
    '',
    '| run | wall time (s) | tasks ≥ 50 ms | longest task (ms) | longest frame and its script | page status at the end |',
    '|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.what} | ${(r.runMs / 1000).toFixed(1)} | ${r.longTasks} | ${r.longestTaskMs.toFixed(0)} | ${r.longestFrameScript.replaceAll('|', '/')} | ${r.status.replaceAll('|', '/')} |`,
    ),
  ];
}
