/**
 * Waiting on shared memory without blocking the worker's event loop (DESIGN.md §8: a worker
 * blocked in Atomics.wait can never see its own mapAsync resolve), with cancellation and a
 * deadline, so no collective can hang.
 */
import { nowMs } from './clock';

/** Thrown when a wait passes its deadline; `what` says whom we were waiting for. */
export class WaitTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly waitedMs: number,
  ) {
    super(`timed out after ${Math.round(waitedMs)} ms waiting for ${what}`);
    this.name = 'WaitTimeoutError';
  }
}

export class AbortedError extends Error {
  constructor(reason = 'run cancelled') {
    super(reason);
    this.name = 'AbortedError';
  }
}

/** Shared cancel flag: word 0 ≠ 0 means every rank stops at its next wait. */
export class AbortFlag {
  readonly words: Int32Array;
  constructor(readonly sab: SharedArrayBuffer = new SharedArrayBuffer(8)) {
    this.words = new Int32Array(sab);
  }
  get aborted(): boolean {
    return Atomics.load(this.words, 0) !== 0;
  }
  abort(): void {
    Atomics.store(this.words, 0, 1);
    Atomics.notify(this.words, 0);
  }
  reset(): void {
    Atomics.store(this.words, 0, 0);
  }
}

/** Longest single wait before re-checking the abort flag, ms. */
const POLL_MS = 50;

/**
 * Resolves once `cond()` holds, re-evaluated whenever `words[index]` changes (Atomics.notify)
 * and at least every POLL_MS. Throws AbortedError when `abort` is raised and WaitTimeoutError
 * after `timeoutMs`.
 */
export async function waitUntil(words: Int32Array, index: number, cond: () => boolean, opts: { abort: AbortFlag; timeoutMs: number; what: string }): Promise<void> {
  const t0 = performance.now();
  for (;;) {
    const seen = Atomics.load(words, index);
    if (cond()) return;
    if (opts.abort.aborted) throw new AbortedError();
    const waited = performance.now() - t0;
    if (waited >= opts.timeoutMs) throw new WaitTimeoutError(opts.what, waited);
    const budget = Math.min(POLL_MS, opts.timeoutMs - waited);
    const r = Atomics.waitAsync(words, index, seen, budget);
    if (r.async) await r.value;
  }
}

/** A word nobody notifies: Atomics.waitAsync on it is a sleep that burns no CPU. */
const SLEEP_WORD = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps `ms` without polling (Atomics.waitAsync with a timeout on SLEEP_WORD). */
export async function nap(ms: number): Promise<void> {
  const r = Atomics.waitAsync(SLEEP_WORD, 0, 0, ms);
  if (r.async) await r.value;
}

/**
 * Waits until the common clock (transport/clock.ts) reaches `tMs` without polling:
 * Atomics.waitAsync with a timeout on a word nobody notifies (a spin here would take a core from
 * the other ranks, and two cores are all this machine has). Returns at once for a time already
 * past (0: no emulated link) and when `abort` is raised; re-checks it at least every POLL_MS.
 */
export async function sleepUntil(tMs: number, abort: AbortFlag): Promise<void> {
  for (;;) {
    const left = tMs - nowMs();
    if (left <= 0.02 || abort.aborted) return;
    await nap(Math.min(left, POLL_MS));
  }
}
