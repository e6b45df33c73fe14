/**
 * Every lesson end to end in the page, at its shipped size, as a learner takes it: open the
 * lesson, predict, Run, read the reveal. For each one the test checks that it finished within
 * 60 s, that the reveal on the page is exactly what the lesson's pure reveal computes from the
 * outcomes the page measured (so its numbers come from this run), that the page shows those
 * numbers, and that the lesson's claim holds in the measurement; for the key lessons it also
 * checks the claim directly on the raw outcomes, independently of the lesson's code.
 *
 * What depends on this machine's clock (the 60 s, and the verdict and independent check of every
 * lesson whose claim compares measured times) is a timing judgement that may be measured once
 * more, loudly, from a new page (tests/support/timing.ts); everything else is checked on every
 * measurement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../src/cli/chromium';
import { reasons, remeasureOnce } from '../support/timing';
import type { LessonRecord } from '../../src/ui/lessons/lesson-page';
import { LESSONS, type Lesson, type Outcome, type SweepOutcome, type TrainOutcome } from '../../src/core/lessons';

/** What the page's lesson left after a run (window.ringlab.lessons.current.last). */
type RunRecord = LessonRecord;

let browser: Browser;
const logs: string[] = [];

beforeAll(async () => {
  browser = await launchChromium({ path: inject('chromiumPath'), source: 'CHROMIUM_PATH' });
});
afterAll(async () => browser?.close());

async function openLesson(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  await page.goto(`${inject('baseUrl')}/?${query}`);
  return page;
}

async function waitRecord(page: Page): Promise<RunRecord> {
  await page.waitForFunction(() => (window as unknown as { ringlab?: { lessons: { current?: { last?: unknown } } } }).ringlab?.lessons.current?.last !== undefined, null, {
    timeout: 120_000,
  });
  return page.evaluate(() => (window as unknown as { ringlab: { lessons: { current: { last: RunRecord } } } }).ringlab.lessons.current.last);
}

const sweep = (o: Outcome[], label: string): SweepOutcome => o.find((x) => x.label === label) as SweepOutcome;
const trainPoint = (o: Outcome[], label: string, ranks: number) => (o.find((x) => x.label === label) as TrainOutcome).points.find((p) => p.ranks === ranks)!;

/**
 * Lessons whose verdict reads no clock: #wrong and the replayed schedule (what-is-all-reduce),
 * losses and parameter hashes (same-math). Every other verdict compares measured or calibrated
 * times (src/core/lessons), so it is a timing judgement.
 */
const UNTIMED = new Set(['what-is-all-reduce', 'same-math']);

/** The key lessons' exact claims, checked on the raw outcomes without the lesson's code, on every measurement. */
const INDEPENDENT: Partial<Record<string, (o: Outcome[]) => void>> = {
  'what-is-all-reduce': (o) => expect(sweep(o, 'ring').rows[0]!.wrong).toBe(0),
  'same-math': (o) => {
    const one = trainPoint(o, 'strong', 1).losses;
    for (const n of [2, 4]) trainPoint(o, 'strong', n).losses.forEach((l, i) => expect(Math.abs(l - one[i]!) / one[i]!).toBeLessThan(1e-4));
  },
  // On the projected clock every rank's step waits for the straggler's compute (5 % for rounding).
  straggler: (o) => {
    const slow = trainPoint(o, 'straggler', 4);
    expect(slow.projected.stepMs).toBeGreaterThanOrEqual(0.95 * slow.perRankProjected[1]!.computeMs);
  },
};

/** The key lessons' timed claims, checked on the raw outcomes without the lesson's code: null, or why not. */
const INDEPENDENT_TIMED: Partial<Record<string, (o: Outcome[]) => string | null>> = {
  'ring-vs-tree': (o) => {
    const [ring, tree] = [sweep(o, 'ring').rows, sweep(o, 'tree').rows];
    const [r0, t0, r1, t1] = [ring[0]!, tree[0]!, ring.at(-1)!, tree.at(-1)!];
    return reasons(
      !(t0.timeUs < r0.timeUs) && `tree ${t0.timeUs} µs is not below ring ${r0.timeUs} µs at ${r0.bytes} B`,
      !(r1.timeUs < t1.timeUs) && `ring ${r1.timeUs} µs is not below tree ${t1.timeUs} µs at ${r1.bytes} B`,
    );
  },
  'parameter-server': (o) => {
    const t = (l: string): number => sweep(o, l).rows[0]!.timeUs;
    const [star, ring] = [t('star, 8 ranks') / t('star, 4 ranks'), t('ring, 8 ranks') / t('ring, 4 ranks')];
    return star > ring ? null : `star's 8/4-rank time ratio ${star.toFixed(2)} is not above ring's ${ring.toFixed(2)}`;
  },
  'strong-vs-weak': (o) => {
    const [weak, strong] = [trainPoint(o, 'weak', 4).projected.efficiency, trainPoint(o, 'strong', 4).projected.efficiency];
    return weak > strong ? null : `weak efficiency ${weak.toFixed(3)} at 4 ranks is not above strong ${strong.toFixed(3)}`;
  },
  straggler: (o) => {
    const [slow, baseline] = [trainPoint(o, 'straggler', 4).projected.stepMs, trainPoint(o, 'baseline', 4).projected.stepMs];
    return slow > baseline ? null : `straggler step ${slow} ms is not above baseline ${baseline} ms`;
  },
};

/** A copy with every number rounded to 10 significant digits. */
function roundDeep(x: unknown): unknown {
  if (typeof x === 'number') return Number.isFinite(x) ? Number(x.toPrecision(10)) : x;
  if (Array.isArray(x)) return x.map(roundDeep);
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, roundDeep(v)]));
  return x;
}

/** A guess: the first choice, or the slider moved one notch. */
async function predict(page: Page, lesson: Lesson): Promise<void> {
  if (lesson.prediction.kind === 'choice') await page.getByTestId(`guess-${lesson.prediction.choices[0]!.id}`).check();
  else {
    const slider = page.getByTestId('guess-slider');
    await slider.focus();
    await page.keyboard.press('ArrowRight');
  }
}

/**
 * The checks that hold on every measurement: the run finished, the reveal on the page is the
 * lesson's pure function of what this run measured, the page shows it, every experiment is on
 * the chart; and for a lesson in UNTIMED its verdict and exact claims.
 */
async function checkReveal(page: Page, lesson: Lesson, rec: RunRecord): Promise<void> {
  const context = `${lesson.id}: ${rec.error ?? ''}\n${logs.slice(-8).join('\n')}`;
  expect(rec.status, context).toBe('done');
  expect(rec.outcomes.map((o) => o.label)).toEqual(lesson.experiments.map((e) => e.label));
  // The reveal on the page is the lesson's pure function of what this run measured.
  const reveal = lesson.reveal(rec.outcomes, rec.guess);
  // Chromium's and Node's Math.log/exp may differ in the last bit: compare numbers to 10 digits.
  expect(roundDeep(rec.reveal)).toEqual(roundDeep(reveal));
  expect(reveal.measured.length).toBeGreaterThan(0);
  expect(await page.getByTestId('reveal').getAttribute('data-verdict')).toBe(reveal.verdict);
  expect(await page.getByTestId('reveal-sentence').textContent()).toBe(reveal.sentence);
  const measured = (await page.getByTestId('reveal-measured').textContent()) ?? '';
  for (const f of reveal.measured) expect(measured).toContain(f.text);
  expect(await page.getByTestId('reveal-guess').textContent()).toContain(reveal.guess.text);
  if (UNTIMED.has(lesson.id)) expect(reveal.verdict, `${lesson.id}: ${reveal.sentence}\nwhy: ${reveal.why}`).toBe('holds');
  INDEPENDENT[lesson.id]?.(rec.outcomes);
  // Every experiment is on the one chart.
  const series = await page.evaluate(() =>
    (window as unknown as { ringlab: { lessons: { current: { chartSeries(): { label: string; points: number }[] } } } }).ringlab.lessons.current.chartSeries(),
  );
  expect(series.filter((s) => s.points > 0).length).toBeGreaterThanOrEqual(Math.min(2, lesson.experiments.length));
}

/**
 * The timing judgement of one run: within 60 s; for a timed lesson also the claim, as the lesson
 * evaluates it from the results (at the shipped size) and as INDEPENDENT_TIMED checks it.
 */
function judge(lesson: Lesson, rec: RunRecord): string | null {
  const slow = rec.seconds > 60 && `took ${rec.seconds.toFixed(1)} s > 60 s`;
  if (UNTIMED.has(lesson.id)) return reasons(slow);
  const reveal = lesson.reveal(rec.outcomes, rec.guess);
  return reasons(
    slow,
    reveal.verdict !== 'holds' && `verdict ${reveal.verdict}: ${reveal.sentence} why: ${reveal.why ?? ''}`,
    INDEPENDENT_TIMED[lesson.id]?.(rec.outcomes) ?? null,
  );
}

/** Room for a timing re-measure: two runs of up to waitRecord's 120 s each, with their page loads. */
const TWO_RUNS_MS = 300_000;

describe('lessons in the page', () => {
  it.each(LESSONS.filter((l) => l.id !== 'strong-vs-weak').map((l) => [l.id, l] as const))(
    '%s: predict, run, reveal from measured numbers',
    async (_id, lesson) => {
      // Each measurement takes the lesson from a new page (a new browser context): nothing of an
      // earlier run is left in it.
      const measure = async (): Promise<RunRecord> => {
        const page = await openLesson(`lesson=${lesson.id}`);
        try {
          const run = page.getByTestId('lesson-run');
          await run.waitFor();
          const env = (await page.getByTestId('env').textContent()) ?? '';
          if (await run.isDisabled()) throw new Error(`Run is disabled: ${env}`);
          await predict(page, lesson);
          await run.click();
          const rec = await waitRecord(page);
          await checkReveal(page, lesson, rec);
          return rec;
        } finally {
          await page.close();
        }
      };
      await remeasureOnce(`lesson ${lesson.id}`, measure, (rec) => judge(lesson, rec));
    },
    TWO_RUNS_MS,
  );

  it(
    'strong-vs-weak in presenter mode with autorun: both runs on one chart, controls hidden',
    async () => {
      const lesson = LESSONS.find((l) => l.id === 'strong-vs-weak')!;
      const measure = async (): Promise<RunRecord> => {
        const page = await openLesson('lesson=strong-vs-weak&present=1&autorun=1');
        try {
          const rec = await waitRecord(page);
          await checkReveal(page, lesson, rec);
          const series = await page.evaluate(() =>
            (window as unknown as { ringlab: { lessons: { current: { chartSeries(): { label: string; points: number }[] } } } }).ringlab.lessons.current.chartSeries(),
          );
          expect(series.find((s) => s.label === 'strong (projected)')?.points).toBe(2);
          expect(series.find((s) => s.label === 'weak (projected)')?.points).toBe(2);
          await expect.poll(() => page.getByTestId('lesson-chart').isVisible(), { timeout: 10_000 }).toBe(true);
          for (const hidden of ['header', 'nav.tabs', '.lesson-links', '[data-testid=prediction]', '[data-testid=lesson-run]', '#train-ranks', '#bench-ranks']) {
            expect(await page.locator(hidden).first().isVisible(), `${hidden} should be hidden`).toBe(false);
          }
          const px = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.lesson-text')!).fontSize));
          expect(px).toBeGreaterThanOrEqual(20);
          // Arrow keys step back through the lesson. (page.url() follows the page's replaceState a moment
          // later, so every URL check here polls: CI once read step=3 right after the key press.)
          await page.keyboard.press('ArrowLeft');
          await expect.poll(() => page.url(), { timeout: 10_000 }).toContain('step=2');
          expect(await page.getByTestId('lesson-run').isVisible()).toBe(true);
          return rec;
        } finally {
          await page.close();
        }
      };
      await remeasureOnce('lesson strong-vs-weak (presenter mode)', measure, (rec) => judge(lesson, rec));
    },
    TWO_RUNS_MS,
  );

  it('names a bad lesson, step or hidden part and what is allowed, and still shows the list', async () => {
    const page = await openLesson('lesson=nope&step=99&hide=bogus');
    try {
      await page.getByTestId('lesson-list').waitFor();
      const text = (await page.getByTestId('lesson-messages').textContent()) ?? '';
      expect(text).toMatch(/lesson: unknown lesson 'nope'; allowed: what-is-all-reduce/);
      expect(text).toMatch(/step: '99' is not an integer 1\.\.3/);
      expect(text).toMatch(/hide: unknown part 'bogus'; allowed: header, tabs, controls/);
      expect(await page.locator('[data-testid^=lesson-card-]').count()).toBe(LESSONS.length);
      await page.getByTestId('lesson-card-ring-vs-tree').locator('a').click();
      expect(await page.getByTestId('lesson').getAttribute('data-lesson')).toBe('ring-vs-tree');
      await expect.poll(() => page.url(), { timeout: 10_000 }).toContain('lesson=ring-vs-tree');
    } finally {
      await page.close();
    }
  });
});
