import { describe, expect, it } from 'vitest';
import { decideProtocol, protocolCosts } from '../../src/core/protocol-choice';
import type { TransportFloor } from '../../src/core/floor';
import { AUTO_HOST_MAX_BYTES } from '../../src/core/schedule/protocol';
import { buildSchedule } from '../../src/core/schedule';
import { FLOOR } from './support/floor-fixture';

/** Shaped like this machine's SwiftShader floor: the JavaScript reduce beats the GPU kernel. */
const software: TransportFloor = {
  ...FLOOR,
  readbackRttMs: 0.5,
  large: { bytes: 16 * 2 ** 20, readbackGBps: 1, memcpyGBps: 5, writeBufferGBps: 1 },
  reduce: { bytes: 4 * 2 ** 20, jsGBps: 1, gpuGBps: 0.1 },
};
/** Shaped like a real GPU: the kernel is a hundred times faster than JavaScript. */
const gpu: TransportFloor = {
  ...software,
  large: { ...software.large, readbackGBps: 5, memcpyGBps: 10, writeBufferGBps: 5 },
  reduce: { bytes: 4 * 2 ** 20, jsGBps: 1, gpuGBps: 100 },
};

const ring = (ranks: number, bytes: number) => buildSchedule('all_reduce', 'ring', ranks, bytes / 4);

describe('auto protocol from the measured floor', () => {
  it('explicit protocols stand; without a floor auto keeps the old 1 MiB rule and says so', () => {
    expect(decideProtocol('simple', ring(2, 8), software)).toEqual({ protocol: 'simple', why: 'simple: chosen' });
    expect(decideProtocol('host', ring(2, 1 << 26), gpu).protocol).toBe('host');
    expect(decideProtocol('auto', ring(2, AUTO_HOST_MAX_BYTES), null).protocol).toBe('host');
    const big = decideProtocol('auto', ring(2, AUTO_HOST_MAX_BYTES + 4), undefined);
    expect(big.protocol).toBe('simple');
    expect(big.why).toMatch(/without a measured floor: host up to 1 MiB/);
  });

  it('costs each protocol stage by stage (2-rank ring, by hand)', () => {
    const B = 1e6; // bytes per rank; each step moves half
    const h = B / 2;
    const ms = (bytes: number, gbps: number): number => bytes / (gbps * 1e6);
    const c = protocolCosts(software, ring(2, B));
    // host: readback once, memcpy of both steps' sends, JavaScript reduce of step 1's receive,
    // memcpy of step 2's copy-receive, upload once, two round trips
    const host = 0.5 + ms(B, 1) + ms(h, 5) + ms(h, 1) + ms(h, 5) + ms(h, 5) + ms(B, 1) + 0.5;
    // simple: per step a readback round trip + the sent half read back and copied, the received
    // half uploaded (and reduced by the kernel in step 1), then the fence
    const simple = 0.5 + ms(h, 1) + ms(h, 5) + ms(h, 1) + ms(h, 0.1) + (0.5 + ms(h, 1) + ms(h, 5) + ms(h, 1)) + 0.5;
    expect(c.hostMs).toBeCloseTo(host, 9);
    expect(c.simpleMs).toBeCloseTo(simple, 9);
  });

  it('on a software adapter (JavaScript beats the kernel) host wins at every size', () => {
    for (let bytes = 8; bytes <= 64 * 2 ** 20; bytes *= 8) {
      for (const ranks of [2, 4, 8]) expect(decideProtocol('auto', ring(ranks, bytes), software).protocol).toBe('host');
    }
  });

  it('on a GPU host wins small messages, simple large ones, with one switch as the size grows', () => {
    const seen: string[] = [];
    for (let bytes = 8; bytes <= 256 * 2 ** 20; bytes *= 2) seen.push(decideProtocol('auto', ring(4, bytes), gpu).protocol);
    expect(seen[0]).toBe('host');
    expect(seen.at(-1)).toBe('simple');
    expect(seen.join(',')).toMatch(/^(host,)+(simple,?)+$/);
  });

  it('says what it weighed', () => {
    const small = decideProtocol('auto', ring(4, 8), gpu);
    expect(small.protocol).toBe('host');
    expect(small.why).toMatch(/^auto: predicted host [\d.]+ ms ≤ simple [\d.]+ ms$/);
    expect(small.costs!.hostMs).toBeLessThan(small.costs!.simpleMs);
    const large = decideProtocol('auto', ring(4, 256 * 2 ** 20), gpu);
    expect(large.why).toMatch(/^auto: predicted simple [\d.]+ ms ≤ host [\d.]+ ms$/);
  });

  it('a rank with nothing to do costs nothing; one rank runs no protocol at all', () => {
    expect(protocolCosts(software, ring(1, 1024))).toEqual({ hostMs: 0, simpleMs: 0 });
  });
});
