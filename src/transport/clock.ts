/**
 * The common time base of every rank (DESIGN.md §4): milliseconds since the Unix epoch with
 * sub-millisecond precision, `performance.timeOrigin + performance.now()`. Each worker has its
 * own timeOrigin, so raw `performance.now()` values are never compared across ranks.
 */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Smallest step of `performance.now()` seen in `samples` reads, in ms. Cross-origin-isolated
 * pages get 5 µs in Chromium, others 100 µs; recorded with every result.
 */
export function timerResolutionMs(samples = 2000): number {
  let best = Infinity;
  let last = performance.now();
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    if (t > last) {
      best = Math.min(best, t - last);
      last = t;
    }
  }
  return Number.isFinite(best) ? best : 0;
}
