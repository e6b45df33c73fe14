/**
 * The one policy for checks that depend on measured time on a shared two-core machine
 * (docs/design-notes.md, "Tests"): a timing check may be measured once more, loudly, and never
 * a correctness check.
 *
 * `measure` runs the experiment from scratch and makes every deterministic check itself (a
 * failing `expect` there fails the test at once, with no second try); `judge` looks only at the
 * timing and returns null, or the reason it fails with the measured number and the threshold.
 * On a first failure the reason is printed (`!!! TIMING RE-MEASURE …`) and appended to the log
 * whose summary global-setup prints at the end of the run; a second failure fails the test with
 * both reasons. Thresholds are the tests' own: nothing here widens them.
 */
import { appendFileSync } from 'node:fs';
import { inject } from 'vitest';

/** 0: the first measurement (it may come from a cache the test shares); 1: the re-measure, which must not. */
export type Attempt = 0 | 1;

export interface RemeasureOptions {
  /** Where to append the loud lines; default global-setup's log (`inject('timingLog')`), none outside the browser project. */
  logPath?: string;
  /** Where to print them; default console.warn. */
  warn?: (line: string) => void;
}

/**
 * Measures, judges, and on a failed judgement measures and judges once more. Returns the
 * measurement that passed; throws naming both reasons when neither did.
 */
export async function remeasureOnce<T>(name: string, measure: (attempt: Attempt) => Promise<T>, judge: (m: T) => string | null, options: RemeasureOptions = {}): Promise<T> {
  const say = (line: string): void => announce(line, options);
  const first = await measure(0);
  const why = judge(first);
  if (why === null) return first;
  say(`!!! TIMING RE-MEASURE ${name}: ${why}`);
  const second = await measure(1);
  const again = judge(second);
  if (again === null) {
    say(`    re-measured ${name}: passed`);
    return second;
  }
  say(`!!! TIMING FAILED TWICE ${name}: ${again}`);
  throw new Error(`timing check '${name}' failed on both measurements: first: ${why}; again: ${again}`);
}

/**
 * Prints a timing note loudly and adds it to the end-of-run summary (global-setup): re-measures,
 * and a test that had to run above this machine's measured floor.
 */
export function announce(line: string, options: RemeasureOptions = {}): void {
  const logPath = options.logPath ?? (inject('timingLog') as string | undefined);
  (options.warn ?? console.warn)(line);
  if (logPath) appendFileSync(logPath, `${line}\n`);
}

/** Null when every part passes, else the failing parts joined: for judges with several bounds. */
export function reasons(...parts: (string | null | false)[]): string | null {
  const failed = parts.filter((p): p is string => typeof p === 'string');
  return failed.length > 0 ? failed.join('; ') : null;
}
