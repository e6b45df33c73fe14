/**
 * Nudging Chromium's GPU process. It looks for finished GPU work when it handles commands, and
 * otherwise only on a periodic check a few ms apart: a readback or a fence that completes just
 * after a look resolves a check later. On this machine an 8 B all-reduce on 2 ranks (one readback
 * and one fence per iteration) came out bimodal, 1.3 ms or 3.6 ms. While such a wait is pending, an
 * empty `queue.submit` every `everyMs` is a command to handle, so the process looks again: the
 * same all-reduce took a median of 1.75 ms instead of 2.94 (docs/design-notes.md, "Nudging").
 * Waits on transfers above NUDGE_MAX_BYTES are left alone.
 */
import { nap } from '../transport/wait';

/**
 * Default nudge period, ms. Interleaved rounds on this machine (8 B ring, medians of 6–8 rounds
 * of 20 iterations): 2 ranks 2.94 ms off, 2.20 at 0.25, 1.75 at 0.5; 4 ranks 4.87 / 4.74 / 4.09,
 * and at 1 ms 3.44–3.49 against 3.74–3.80 at 0.5. 0.1 ms was worse than 0.25 (the nudges of 4 ranks
 * compete for two cores); a machine with more cores loses less to shorter periods.
 */
export const NUDGE_MS = 0.5;

/** Nudges per wait: after this many a transfer is long, and a late look costs it little. */
export const MAX_NUDGES = 8;

/**
 * The default period for `ranks` ranks on `cores` CPU cores: NUDGE_MS while there are at most two
 * ranks per core, else 0 (off). Each nudge costs a little CPU in the rank and in the GPU process;
 * with 8 ranks on two cores (interleaved rounds, 8 B, medians of 5) tree went from 6.2 ms off to
 * 8.8 ms nudged every 0.5 ms (ring 7.2 / 7.0), and the readback round trip with every rank at once
 * from 1.5 to 2.0 ms, while 2 and 4 ranks gained (0.92 → 0.78 and 1.3 → 1.0 ms).
 */
export function defaultNudgeMs(ranks: number, cores: number): number {
  return ranks <= 2 * Math.max(1, cores) ? NUDGE_MS : 0;
}

/**
 * Transfers above this are not nudged: they outlast the GPU process's check interval anyway, and
 * nudges only take CPU from their copies (16 MiB ring, interleaved rounds: 1–4 % slower nudged).
 */
export const NUDGE_MAX_BYTES = 1 << 20;

/** The nudge period for a wait on a transfer of `bytes`: `everyMs`, or 0 (off) above NUDGE_MAX_BYTES. */
export function nudgeFor(bytes: number, everyMs: number): number {
  return bytes <= NUDGE_MAX_BYTES ? everyMs : 0;
}

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
