/**
 * Issue 10, defect 2: healthy runs were blamed on a dead rank. The main thread's limit now
 * grows with the work a call predicts, and only a rank that does not answer a liveness ping is
 * reported as not answering.
 */
import { describe, expect, it } from 'vitest';
import { BENCH_TABLE, parseUrl } from '../../src/core/config';
import { emulatedLinks } from '../../src/core/link';
import { sweepRequestFromConfig } from '../../src/cluster/bench-config';
import { predictSweep, sweepSizes } from '../../src/cluster/sweep-prediction';
import { ANSWER_GRACE_MS, answerLimitMs, watchCall } from '../../src/cluster/watchdog';

describe('timeouts follow the predicted work', () => {
  it("the issue's slow-link sweep gets more time per size than the α-β model predicts for it", () => {
    const { config, errors } = parseUrl(BENCH_TABLE, new URLSearchParams('ranks=4&link=100gbe&slow-link=0-1:4&minbytes=8&maxbytes=32&iters=2&warmup_iters=1'));
    expect(errors).toEqual([]);
    // A software adapter's matmul rate: the scaled 100 GbE link then takes seconds per message.
    const linkOf = emulatedLinks(config, config.ranks, 1e8).linkOf!;
    const req = { ...sweepRequestFromConfig(config), linkOf };
    const sizes = sweepSizes(config.minBytes, config.maxBytes, config.stepFactor);
    const p = predictSweep(req, sizes);
    expect(p.totalS).toBeGreaterThan(60); // the page predicted 96 s; the old limit was 35 s per size
    for (const iterS of p.iterationS) {
      const expectedMs = (config.warmupIters + config.iters) * iterS * 1e3;
      expect(expectedMs).toBeGreaterThan(config.timeoutMs + ANSWER_GRACE_MS - 10_000);
      expect(answerLimitMs(config.timeoutMs + 2 * iterS * 1e3, expectedMs)).toBeGreaterThanOrEqual(2 * expectedMs + config.timeoutMs);
    }
  });

  it('no link, no prediction: the limit is the wait timeout plus the grace', () => {
    expect(answerLimitMs(30_000, 0)).toBe(30_000 + ANSWER_GRACE_MS);
    expect(answerLimitMs(30_000, Number.NaN)).toBe(30_000 + ANSWER_GRACE_MS);
  });
});

describe('watchCall: "did not answer" only for a rank that stopped', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('ranks that are busy past the limit but answer pings are left to finish', async () => {
    const done = [false, false];
    const events: string[] = [];
    const stop = watchCall({
      limitMs: 20,
      pingTimeoutMs: 20,
      pending: () => done.flatMap((d, r) => (d ? [] : [r])),
      ping: async () => 'alive',
      onDead: (r) => events.push(`dead ${r}`),
      onOverdue: (rs) => events.push(`overdue ${rs.join(',')}`),
    });
    await sleep(150); // several limits pass while the ranks work
    done[0] = done[1] = true;
    stop();
    expect(events).toEqual([]);
  });

  it('a rank that does not answer a ping is named, and only that one', async () => {
    const events: string[] = [];
    const stop = watchCall({
      limitMs: 20,
      pingTimeoutMs: 30,
      pending: () => [0, 2],
      ping: (r) => (r === 2 ? new Promise(() => undefined) : Promise.resolve(r)),
      onDead: (r) => events.push(`dead ${r}`),
      onOverdue: (rs) => events.push(`overdue ${rs.join(',')}`),
    });
    await sleep(120);
    stop();
    expect(events).toEqual(['dead 2']);
  });

  it('answering ranks that never finish are reported overdue after the cap, not dead', async () => {
    const events: string[] = [];
    const stop = watchCall({
      limitMs: 10,
      pingTimeoutMs: 10,
      maxExtensions: 3,
      pending: () => [1],
      ping: async () => 1,
      onDead: (r) => events.push(`dead ${r}`),
      onOverdue: (rs) => events.push(`overdue ${rs.join(',')}`),
    });
    await sleep(150);
    stop();
    expect(events).toEqual(['overdue 1']);
  });
});
