/**
 * A worker_threads peer for tests/unit/transport.test.ts: runs one role against the real
 * Channel (and its PortClock) / Barrier over SharedArrayBuffers handed in by the test, and posts what it saw.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Barrier } from '../../../src/transport/barrier';
import { Channel, type ChannelSpec } from '../../../src/transport/channel';
import { AbortFlag } from '../../../src/transport/wait';

type Job =
  | { role: 'send'; spec: ChannelSpec; abort: SharedArrayBuffer; lengths: number[]; readyAtMs?: number }
  | { role: 'recv'; spec: ChannelSpec; abort: SharedArrayBuffer; count: number; delayEveryMs?: number }
  | { role: 'gather'; specs: ChannelSpec[]; abort: SharedArrayBuffer; count: number }
  | { role: 'barrier'; sab: SharedArrayBuffer; abort: SharedArrayBuffer; parties: number; rank: number; rounds: number; timeoutMs: number };

async function run(job: Job): Promise<unknown> {
  switch (job.role) {
    case 'send': {
      const ch = new Channel(job.spec, new AbortFlag(job.abort), 5000);
      for (const [i, n] of job.lengths.entries()) await ch.sendSlice(new Uint8Array(n).fill(i + 1), i === 0, job.readyAtMs);
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
    case 'gather': {
      // Takes `count` slices from each channel in turn, early (no sleeping), and returns each
      // channel's delivery times.
      const chs = job.specs.map((spec) => new Channel(spec, new AbortFlag(job.abort), 5000));
      const times: number[][] = chs.map(() => []);
      for (const [c, ch] of chs.entries()) for (let i = 0; i < job.count; i++) times[c]!.push(await ch.recvSlice(() => undefined, true));
      return times;
    }
    case 'barrier': {
      const b = new Barrier(job.sab, job.parties, new AbortFlag(job.abort));
      const released: number[] = [];
      for (let g = 0; g < job.rounds; g++) released.push(await b.arrive(job.rank, job.timeoutMs));
      return released;
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
