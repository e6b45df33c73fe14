/**
 * A worker_threads peer for tests/unit/transport.test.ts: runs one role against the real
 * Channel / PortClock / Barrier over SharedArrayBuffers handed in by the test, and posts what it saw.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Barrier } from '../../../src/transport/barrier';
import { Channel, PortClock, type ChannelSpec } from '../../../src/transport/channel';
import { AbortFlag } from '../../../src/transport/wait';

type Job =
  | { role: 'send'; spec: ChannelSpec; abort: SharedArrayBuffer; lengths: number[] }
  | { role: 'recv'; spec: ChannelSpec; abort: SharedArrayBuffer; count: number; delayEveryMs?: number }
  | { role: 'book'; ports: SharedArrayBuffer; link: SharedArrayBuffer; from: number; to: number; times: number; occupyMs: number }
  | { role: 'barrier'; sab: SharedArrayBuffer; abort: SharedArrayBuffer; parties: number; rank: number; rounds: number; timeoutMs: number };

async function run(job: Job): Promise<unknown> {
  switch (job.role) {
    case 'send': {
      const ch = new Channel(job.spec, new AbortFlag(job.abort), 5000);
      for (const [i, n] of job.lengths.entries()) await ch.sendSlice(new Uint8Array(n).fill(i + 1), i === 0);
      return 'sent';
    }
    case 'recv': {
      const ch = new Channel(job.spec, new AbortFlag(job.abort), 5000);
      const got: { n: number; first: number; last: number; uniform: boolean }[] = [];
      for (let i = 0; i < job.count; i++) {
        if (job.delayEveryMs) await new Promise((r) => setTimeout(r, job.delayEveryMs));
        await ch.recvSlice((v) => got.push({ n: v.byteLength, first: v[0]!, last: v[v.byteLength - 1]!, uniform: v.every((b) => b === v[0]) }));
      }
      return got;
    }
    case 'book': {
      const clock = new PortClock(job.ports);
      const link = new Float64Array(job.link);
      let last = 0;
      for (let i = 0; i < job.times; i++) last = clock.book(job.from, job.to, link, 0, 0, job.occupyMs);
      return last;
    }
    case 'barrier': {
      const b = new Barrier(job.sab, job.parties, new AbortFlag(job.abort));
      for (let g = 0; g < job.rounds; g++) await b.arrive(job.rank, job.timeoutMs);
      return 'passed';
    }
  }
}

// Start gate: [0] counts loaded peers, [1] becomes 1 when the test lets them all go at once
// (loading TypeScript takes a while and differently long per thread).
const { gate } = workerData as { gate: SharedArrayBuffer };
const g = new Int32Array(gate);
Atomics.add(g, 0, 1);
Atomics.notify(g, 0);
Atomics.wait(g, 1, 0);

// A pending Atomics.waitAsync does not keep a Node thread's event loop alive (a browser
// worker stays alive anyway): hold it open until the job ends.
const keepAlive = setInterval(() => undefined, 1000);
run(workerData as Job)
  .then(
    (value) => parentPort!.postMessage({ ok: true, value }),
    (e: unknown) => parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  )
  .finally(() => clearInterval(keepAlive));
