/**
 * One step's transfers on one rank, shared by both protocols (src/core/schedule/protocol.ts):
 * every send and receive of the step runs at once, each in its trace span, against the rank's
 * logical clock on emulated links (DESIGN.md §5).
 *
 * The logical clock (`LinkClock.readyMs`) is when this rank's data is ready: the collective's
 * start, then the delivery time of the latest slice it has received. Sends are stamped from it,
 * not from the moment the host got round to them, so host staging (readback, the wake-up after
 * a delivery) up to α + n·β is absorbed by the link instead of being added to it, and no lateness
 * accumulates from step to step. Receives take each slice as soon as it is in the slot and do
 * their host work on it (reduce, upload) while the link is still "carrying" it; the receive then
 * waits for the slice's delivery time, so a step never ends before the link says its data has
 * arrived. On the final step the caller's `finish` (result upload, the queue fence) starts as
 * soon as the last slice is consumed and overlaps that wait too. When the host is slower than the
 * link, every stamp is already past and the measurement shows the host: the emulation floor.
 */
import type { RecvOp, SendOp, TransferOp } from '../core/schedule/types';
import { sleepUntil, type AbortFlag } from '../transport/wait';
import type { TraceRecorder } from './trace';

/** A rank's logical clock through one collective (common clock, ms). */
export interface LinkClock {
  readyMs: number;
}

export interface StepOps {
  trace: TraceRecorder;
  abort: AbortFlag;
  clock: LinkClock;
  /** Sends op `ops[i]` (stamped from `readyAtMs`). */
  send(op: SendOp, i: number, readyAtMs: number): Promise<void>;
  /** Consumes every slice of receive `op` early (Channel.recvSlice's `early`); resolves to the latest delivery time. */
  recv(op: RecvOp): Promise<number>;
  /**
   * On the rank's final step: runs once every send of the step is out and every receive is
   * consumed (so it may change the buffer: the average's scaling), then is awaited with them.
   */
  finish?: () => Promise<void>;
}

export async function runStepOps(ops: readonly TransferOp[], s: StepOps): Promise<void> {
  const readyAtMs = s.clock.readyMs;
  const handled: Promise<unknown>[] = [];
  const done = ops.map((o, i) => {
    const args = { peer: o.peer, bytes: o.range.count * 4 };
    if (o.kind === 'send') {
      const sent = s.trace.span('send', `→${o.peer}`, () => s.send(o, i, readyAtMs), { ...args, i });
      handled.push(sent);
      return sent;
    }
    const c = s.recv(o);
    handled.push(c);
    return s.trace.span(
      'recv',
      `←${o.peer}`,
      async () => {
        const deliverAtMs = await c;
        s.clock.readyMs = Math.max(s.clock.readyMs, deliverAtMs);
        await sleepUntil(deliverAtMs, s.abort);
      },
      args,
    );
  });
  const all = Promise.all(done);
  all.catch(() => undefined); // awaited below; a failure of `handled` is thrown first
  let finished: Promise<void> | undefined;
  if (s.finish) {
    await Promise.all(handled);
    finished = s.finish();
  }
  await all;
  await finished;
}
