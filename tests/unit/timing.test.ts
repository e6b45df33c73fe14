/**
 * tests/support/timing.ts, the one re-measure policy of the timing checks: a once-failing
 * judgement is measured again and reported (printed and logged), a twice-failing one fails the
 * test naming both reasons, and a failing correctness check inside `measure` is never retried.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Attempt, reasons, remeasureOnce } from '../support/timing';

let dir: string;
let logPath: string;
let printed: string[];
const options = () => ({ logPath, warn: (l: string) => printed.push(l) });
const logged = (): string => readFileSync(logPath, 'utf8');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ringlab-timing-test-'));
  logPath = join(dir, 'log');
  printed = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A measurement that returns the given numbers in turn and records which attempt asked. */
function measurements(values: number[]): { measure: (a: Attempt) => Promise<number>; attempts: Attempt[] } {
  const attempts: Attempt[] = [];
  return {
    attempts,
    measure: async (a) => {
      attempts.push(a);
      return values[attempts.length - 1]!;
    },
  };
}
const atMost10 = (ms: number): string | null => (ms <= 10 ? null : `${ms} ms > 10 ms`);

describe('remeasureOnce', () => {
  it('returns the first measurement when it passes, silently', async () => {
    const m = measurements([5, 50]);
    await expect(remeasureOnce('fast', m.measure, atMost10, options())).resolves.toBe(5);
    expect(m.attempts).toEqual([0]);
    expect(printed).toEqual([]);
  });

  it('measures once more after a failed judgement, says so loudly and logs it, and returns the passing measurement', async () => {
    const m = measurements([50, 5]);
    await expect(remeasureOnce('slow once', m.measure, atMost10, options())).resolves.toBe(5);
    expect(m.attempts).toEqual([0, 1]);
    expect(printed[0]).toBe('!!! TIMING RE-MEASURE slow once: 50 ms > 10 ms');
    expect(logged()).toContain('!!! TIMING RE-MEASURE slow once: 50 ms > 10 ms\n');
    expect(logged()).toContain('re-measured slow once: passed');
  });

  it('fails naming both reasons when the re-measure fails too', async () => {
    const m = measurements([50, 70]);
    await expect(remeasureOnce('slow twice', m.measure, atMost10, options())).rejects.toThrow(
      "timing check 'slow twice' failed on both measurements: first: 50 ms > 10 ms; again: 70 ms > 10 ms",
    );
    expect(m.attempts).toEqual([0, 1]);
    expect(logged()).toContain('!!! TIMING RE-MEASURE slow twice: 50 ms > 10 ms');
    expect(logged()).toContain('!!! TIMING FAILED TWICE slow twice: 70 ms > 10 ms');
  });

  it('never re-measures a failing correctness check made inside measure', async () => {
    const attempts: Attempt[] = [];
    const wrong = async (a: Attempt): Promise<number> => {
      attempts.push(a);
      throw new Error('#wrong = 3');
    };
    await expect(remeasureOnce('wrong', wrong, atMost10, options())).rejects.toThrow('#wrong = 3');
    expect(attempts).toEqual([0]);
    expect(printed).toEqual([]);
  });

  it('a correctness failure on the re-measure fails the test as it is', async () => {
    let n = 0;
    const thenWrong = async (): Promise<number> => {
      if (n++ === 0) return 50;
      throw new Error('hashes differ');
    };
    await expect(remeasureOnce('then wrong', thenWrong, atMost10, options())).rejects.toThrow('hashes differ');
    expect(printed).toEqual(['!!! TIMING RE-MEASURE then wrong: 50 ms > 10 ms']);
  });
});

describe('reasons', () => {
  it('is null when every part passes, else the failing parts joined', () => {
    expect(reasons(false, null)).toBeNull();
    expect(reasons('a', false, 'b', null)).toBe('a; b');
  });
});
