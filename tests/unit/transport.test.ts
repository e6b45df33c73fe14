/**
 * The SharedArrayBuffer transport in Node worker threads (the same Atomics.waitAsync code the
 * browser ranks run): slot wrap-around, the port clock under contention, timeouts that name the
 * right peer, and the barrier.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Barrier } from '../../src/transport/barrier';
import { Channel, PortClock, createChannelSpec } from '../../src/transport/channel';
import type { SliceLink } from '../../src/transport/slice-link';
import { AbortFlag } from '../../src/transport/wait';

const WORKER = new URL('./support/transport-worker.ts', import.meta.url);

/** Starts one worker per job once all have loaded, and resolves with what each posted. */
async function peers<T>(jobs: Record<string, unknown>[]): Promise<PromiseSettledResult<T>[]> {
  const gate = new SharedArrayBuffer(8);
  const g = new Int32Array(gate);
  const done = jobs.map((job) => peer<T>({ ...job, gate }));
  while (Atomics.load(g, 0) < jobs.length) {
    const r = Atomics.waitAsync(g, 0, Atomics.load(g, 0), 100);
    if (r.async) await r.value;
  }
  Atomics.store(g, 1, 1);
  Atomics.notify(g, 1);
  return Promise.allSettled(done);
}

function values<T>(settled: PromiseSettledResult<T>[]): T[] {
  return settled.map((s) => {
    if (s.status === 'rejected') throw s.reason;
    return s.value;
  });
}

function peer<T>(job: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    // The worker loads its TypeScript through tsx's API (Node 20 has no type stripping).
    const boot = `import('tsx/esm/api').then((api) => api.tsImport(${JSON.stringify(WORKER.href)}, ${JSON.stringify(import.meta.url)}))`;
    const w = new Worker(boot, { eval: true, workerData: job });
    w.once('message', (m: { ok: boolean; value?: T; error?: string }) => {
      void w.terminate();
      if (m.ok) resolve(m.value as T);
      else reject(new Error(m.error));
    });
    w.once('error', reject);
  });
}

// Each worker loads TypeScript first: seconds on a busy two-core machine.
describe('SharedArrayBuffer transport (worker threads)', { timeout: 60_000 }, () => {
  it('a 3-slot channel carries 11 slices of mixed lengths in order across the wrap-around', async () => {
    const spec = createChannelSpec(0, 1, 3, 64, null, PortClock.create());
    const abort = new AbortFlag().sab;
    const lengths = [64, 1, 4, 63, 64, 8, 2, 64, 30, 5, 64];
    // a slow receiver, so the sender fills all three slots and must wait for the wrap
    type Got = { n: number; first: number; last: number; uniform: boolean }[];
    const [sent, got] = values(
      await peers<string | Got>([
        { role: 'send', spec, abort, lengths },
        { role: 'recv', spec, abort, count: lengths.length, delayEveryMs: 2 },
      ]),
    ) as [string, Got];
    expect(sent).toBe('sent');
    expect(got.map((g) => g.n)).toEqual(lengths);
    expect(got.map((g) => g.first)).toEqual(lengths.map((_, i) => i + 1));
    expect(got.every((g) => g.uniform && g.last === g.first)).toBe(true);
  });

  it('Channel is a SliceLink: its geometry is the spec', () => {
    const link: SliceLink = new Channel(createChannelSpec(2, 5, 4, 4096, null, PortClock.create()), new AbortFlag(), 100);
    expect([link.from, link.to, link.slotBytes]).toEqual([2, 5, 4096]);
  });

  it('two senders on two threads into one receiver: its ingress serialises them in the order it takes them, whatever order they were sent in', async () => {
    const ports = PortClock.create();
    const abort = new AbortFlag().sab;
    // 1 ms per slice: α 0, 1000 B at 1 MB/s. Both senders start from the same ready time.
    const link = { alphaS: 0, betaSPerByte: 1e-6 };
    const a = createChannelSpec(0, 2, 4, 1000, link, ports);
    const b = createChannelSpec(1, 2, 4, 1000, link, ports);
    const readyAtMs = 1e6;
    const lengths = Array.from({ length: 10 }, () => 1000);
    const [, , got] = values(
      await peers<string | number[][]>([
        { role: 'send', spec: a, abort, lengths, readyAtMs },
        { role: 'send', spec: b, abort, lengths, readyAtMs },
        { role: 'gather', specs: [b, a], abort, count: 10 },
      ]),
    ) as [string, string, number[][]];
    // The receiver takes rank 1's slices first, then rank 0's: 1..10 ms, then 11..20 ms.
    const ms = (t: number[]): number[] => t.map((x) => Math.round((x - readyAtMs) * 1e6) / 1e6);
    expect(ms(got[0]!)).toEqual(lengths.map((_, i) => i + 1));
    expect(ms(got[1]!)).toEqual(lengths.map((_, i) => i + 11));
  });

  it('a booking starts when the link and the port are free, from the ready time it is given; the receiver books its ingress in its own order', () => {
    const clock = new PortClock(PortClock.create());
    const link = new Float64Array(2);
    expect(clock.bookSend(0, link, 0, 100, 5)).toBe(105);
    expect(clock.bookSend(0, link, 0, 90, 5)).toBe(110); // queued behind the first (link and egress busy)
    expect(clock.bookSend(2, link, 1, 50, 1)).toBe(51); // other link and sender: free
    expect(clock.bookReceive(1, 105, 5)).toBe(105);
    expect(clock.bookReceive(1, 110, 5)).toBe(110);
    expect(clock.bookReceive(1, 51, 1)).toBe(111); // rank 1's ingress is busy until 110
    // Booked out of the model's order on the senders' side (rank 3's second-step message
    // first), taken in step order by the receiver: each is delivered when the model says.
    expect(clock.bookSend(3, link, 0, 200, 10)).toBe(210);
    expect(clock.bookSend(4, link, 1, 190, 10)).toBe(200);
    expect(clock.bookReceive(5, 200, 10)).toBe(200);
    expect(clock.bookReceive(5, 210, 10)).toBe(210);
  });

  it('timeouts name the peer that did not act', async () => {
    const abort = new AbortFlag();
    const idle = new Channel(createChannelSpec(2, 0, 2, 16, null, PortClock.create()), abort, 30);
    await expect(idle.recvSlice(() => undefined)).rejects.toThrow(/waiting for rank 2 \(link 2→0\)/);
    const full = new Channel(createChannelSpec(0, 3, 1, 16, null, PortClock.create()), abort, 30);
    await full.sendSlice(new Uint8Array(4), true);
    await expect(full.sendSlice(new Uint8Array(4), false)).rejects.toThrow(/waiting for rank 3 to drain the link from rank 0/);
    const tooBig = new Channel(createChannelSpec(0, 1, 1, 16, null, PortClock.create()), abort, 30);
    await expect(tooBig.sendSlice(new Uint8Array(20), true)).rejects.toThrow(/slice of 20 B exceeds slot of 16 B/);
  });

  it('a cancel stops a waiting receiver at once', async () => {
    const abort = new AbortFlag();
    const ch = new Channel(createChannelSpec(1, 0, 2, 16, null, PortClock.create()), abort, 10_000);
    const t0 = performance.now();
    const waiting = ch.recvSlice(() => undefined);
    setTimeout(() => abort.abort(), 10);
    await expect(waiting).rejects.toThrow(/cancelled/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('the barrier lets 4 threads through 20 generations together, and tells each when every generation opened', async () => {
    const sab = Barrier.create();
    const abort = new AbortFlag().sab;
    const res = values(await peers<number[]>([0, 1, 2, 3].map((rank) => ({ role: 'barrier', sab, abort, parties: 4, rank, rounds: 20, timeoutMs: 5000 }))));
    // The same release time on every thread, one per generation, in order.
    for (const r of res) expect(r).toEqual(res[0]);
    expect(res[0]).toHaveLength(20);
    expect(res[0]!.every((t, g) => g === 0 || t > res[0]![g - 1]!)).toBe(true);
  });

  it('a barrier timeout names the ranks that never arrived', async () => {
    const sab = Barrier.create();
    const abort = new AbortFlag().sab;
    const results = await peers<string>([0, 1, 3].map((rank) => ({ role: 'barrier', sab, abort, parties: 4, rank, rounds: 1, timeoutMs: 300 })));
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason.message).toMatch(/waiting for rank 2 to reach the barrier/);
    }
  });
});
