/**
 * Nudging Chromium's GPU process. It looks for finished GPU work when it handles commands, and
 * otherwise only on a periodic check a few ms apart: a readback or a fence that completes just
 * after a look resolves a check later. On this machine an 8 B all-reduce on 2 ranks (one readback
 * and one fence per iteration) came out bimodal, 1.3 ms or 3.6 ms. While such a wait is pending, an
 * empty `queue.submit` every `everyMs` is a command to handle, so the process looks again: the
 * same all-reduce took a median of 1.9 ms instead of 2.8 (docs/design-notes.md, "Nudging").
 */
import { nap } from '../transport/wait';

/** Default nudge period, ms (0.1 ms cost more than it gained with 4 ranks on two cores). */
export const NUDGE_MS = 0.25;

/** Nudges per wait: after this many a transfer is long, and a late look costs it little. */
export const MAX_NUDGES = 8;

/**
 * Returns `pending` unchanged; until it settles, submits nothing to `device`'s queue every
 * `everyMs` (at most MAX_NUDGES times). `everyMs` 0 turns nudging off.
 */
export function nudgeWhilePending<T>(device: GPUDevice, pending: Promise<T>, everyMs: number): Promise<T> {
  if (!(everyMs > 0)) return pending;
  let settled = false;
  pending.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  void (async () => {
    for (let i = 0; i < MAX_NUDGES; i++) {
      await nap(everyMs);
      if (settled) return;
      device.queue.submit([]);
    }
  })();
  return pending;
}
