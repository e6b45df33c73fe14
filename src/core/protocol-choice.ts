/**
 * What `auto` runs (src/core/schedule/protocol.ts), decided from this run's measured floor
 * (src/core/floor.ts) as NCCL decides its protocol from a tuned cost model: the predicted time
 * of each protocol on the rank with the most work, the cheaper one wins.
 *
 *  - host:   read the schedule's extent E back once (one round trip + E at the readback rate),
 *            per step copy the sent bytes into the slots (memcpy) and reduce the received ones
 *            in JavaScript, upload E once (the faster of writeBuffer and mapped staging at
 *            E's size: floor.ts `uploadRateFor`) and fence (one round trip).
 *  - simple: per step with sends, one readback round trip + the sent bytes at the readback and
 *            memcpy rates; per received byte, writeBuffer + the reduce kernel; one fence.
 *
 * Both move the same bytes over the same links, so the links cancel out; the stages are added
 * serially (the simple protocol overlaps some of them: the prediction is a bound, not a
 * measurement). Without a measured floor `auto` falls back to AUTO_HOST_MAX_BYTES.
 */
import { uploadRateFor, type TransportFloor } from './floor';
import { AUTO_HOST_MAX_BYTES, scheduleExtent, type ConcreteProtocol, type Protocol } from './schedule/protocol';
import type { Schedule } from './schedule/types';
import { formatBytes } from './units';

export interface ProtocolCosts {
  hostMs: number;
  simpleMs: number;
}

export interface ProtocolChoice {
  protocol: ConcreteProtocol;
  /** Why it runs, for the page, the CLI and the JSON: "auto: predicted host 0.61 ms < simple 1.8 ms". */
  why: string;
  /** The predictions `auto` weighed, when it had a floor. */
  costs?: ProtocolCosts;
}

/** ms to move `bytes` at `gbps` (1 GB/s = 1e6 bytes per ms). */
const ms = (bytes: number, gbps: number): number => (bytes > 0 ? bytes / (gbps * 1e6) : 0);

/** Predicted time of each protocol for `schedule`, on the rank where it is largest. */
export function protocolCosts(floor: TransportFloor, schedule: Schedule): ProtocolCosts {
  const rtt = floor.readbackRttMs;
  const { readbackGBps: rb, memcpyGBps: mc, writeBufferGBps: wb } = floor.large;
  const { jsGBps: js, gpuGBps: gpu } = floor.reduce;
  const extentBytes = scheduleExtent(schedule).count * 4;
  let hostMs = 0;
  let simpleMs = 0;
  for (let r = 0; r < schedule.ranks; r++) {
    let host = 0;
    let simple = 0;
    let active = false;
    let received = false;
    for (const step of schedule.steps) {
      const ops = step.ops[r] ?? [];
      if (ops.length === 0) continue;
      active = true;
      const sent = ops.reduce((a, o) => a + (o.kind === 'send' ? o.range.count * 4 : 0), 0);
      if (sent > 0) simple += rtt + ms(sent, rb);
      host += ms(sent, mc);
      simple += ms(sent, mc);
      for (const o of ops) {
        if (o.kind !== 'recv') continue;
        const bytes = o.range.count * 4;
        received ||= bytes > 0;
        host += o.mode === 'reduce' ? ms(bytes, js) : ms(bytes, mc);
        simple += ms(bytes, wb) + (o.mode === 'reduce' ? ms(bytes, gpu) : 0);
      }
    }
    if (!active) continue;
    host += rtt + ms(extentBytes, rb) + (received ? ms(extentBytes, uploadRateFor(floor, extentBytes)) : 0) + rtt;
    simple += rtt;
    hostMs = Math.max(hostMs, host);
    simpleMs = Math.max(simpleMs, simple);
  }
  return { hostMs, simpleMs };
}

/** The protocol that runs `schedule` when `proto` was asked for, and why. */
export function decideProtocol(proto: Protocol, schedule: Schedule, floor: TransportFloor | null | undefined): ProtocolChoice {
  if (proto !== 'auto') return { protocol: proto, why: `${proto}: chosen` };
  const bytes = schedule.count * 4;
  if (!floor) {
    const protocol: ConcreteProtocol = bytes <= AUTO_HOST_MAX_BYTES ? 'host' : 'simple';
    return { protocol, why: `auto without a measured floor: host up to ${formatBytes(AUTO_HOST_MAX_BYTES)}` };
  }
  const costs = protocolCosts(floor, schedule);
  const protocol: ConcreteProtocol = costs.hostMs <= costs.simpleMs ? 'host' : 'simple';
  const [a, b] = protocol === 'host' ? [costs.hostMs, costs.simpleMs] : [costs.simpleMs, costs.hostMs];
  const other = protocol === 'host' ? 'simple' : 'host';
  return { protocol, why: `auto: predicted ${protocol} ${fmtMs(a)} ≤ ${other} ${fmtMs(b)}`, costs };
}

function fmtMs(v: number): string {
  return `${+v.toPrecision(2)} ms`;
}
