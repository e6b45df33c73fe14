/**
 * How long the main thread waits for the ranks of one call, and what it concludes when that
 * time is up (issue 10, defect 2). The limit grows with the work the call is predicted to do;
 * when it passes, every rank that has not finished is pinged: one that does not answer really
 * stopped ("did not answer"); if all answer they are still working, and the wait goes on (up
 * to a hard cap, after which the call is reported as overdue, not as a dead rank).
 */

/** Extra time the main thread gives a rank beyond its own wait timeout before checking on it. */
export const ANSWER_GRACE_MS = 5000;
/** How long a rank has to answer a liveness ping. */
export const PING_TIMEOUT_MS = 3000;
/** After this many limits with every rank answering, the call is reported as overdue. */
export const MAX_EXTENSIONS = 10;

/**
 * The first check of a call: the ranks' own wait timeout, a grace, and twice the predicted
 * work (the α-β model on emulated links, the calibrated compute), ms.
 */
export function answerLimitMs(waitTimeoutMs: number, expectedMs: number): number {
  const extra = Number.isFinite(expectedMs) && expectedMs > 0 ? 2 * expectedMs : 0;
  return waitTimeoutMs + ANSWER_GRACE_MS + extra;
}

export interface WatchOptions {
  limitMs: number;
  /** Ranks that have not finished the call yet. */
  pending(): number[];
  /** Resolves when rank r answers a ping. */
  ping(rank: number): Promise<unknown>;
  /** Rank r did not answer a ping: it stopped. */
  onDead(rank: number, waitedMs: number): void;
  /** Every pending rank answers, but the call is still not done after MAX_EXTENSIONS limits. */
  onOverdue(ranks: number[], waitedMs: number): void;
  pingTimeoutMs?: number;
  maxExtensions?: number;
}

/** Starts watching a call; returns the function that stops the watch (call it when the call settles). */
export function watchCall(o: WatchOptions): () => void {
  const t0 = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let checks = 0;
  const check = async (): Promise<void> => {
    if (stopped) return;
    checks++;
    const pending = o.pending();
    if (pending.length === 0) return;
    const answers = await Promise.all(
      pending.map((r) => {
        let t: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<boolean>((resolve) => {
          t = setTimeout(() => resolve(false), o.pingTimeoutMs ?? PING_TIMEOUT_MS);
        });
        return Promise.race([
          o.ping(r).then(
            () => true,
            () => false,
          ),
          late,
        ]).finally(() => clearTimeout(t));
      }),
    );
    if (stopped) return;
    const dead = pending.filter((_, i) => !answers[i]);
    if (dead.length) return o.onDead(dead[0]!, Date.now() - t0);
    if (checks >= (o.maxExtensions ?? MAX_EXTENSIONS)) return o.onOverdue(pending, Date.now() - t0);
    timer = setTimeout(() => void check(), o.limitMs);
  };
  timer = setTimeout(() => void check(), o.limitMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
