/** A transport floor for unit tests (src/core/floor.ts), with the 16 MiB figures. */
import type { TransportFloor } from '../../../src/core/floor';

export const FLOOR: TransportFloor = {
  readbackRttMs: 0.2,
  atomicsHopUs: 10,
  slot: { bytes: 262144, readbackGBps: 0.5, memcpyGBps: 10, writeBufferGBps: 0.6 },
  large: { bytes: 16 * 2 ** 20, readbackGBps: 1.5, memcpyGBps: 4.5, writeBufferGBps: 0.9 },
  reduce: { bytes: 4 * 2 ** 20, jsGBps: 1.2, gpuGBps: 0.3 },
  reps: 9,
  measuredAt: '2026-12-01T00:00:00.000Z',
};
