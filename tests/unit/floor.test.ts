import { describe, expect, it } from 'vitest';
import {
  belowEmulationFloor,
  ceilingFraction,
  ceilingGBps,
  emulationFloor,
  floorSummary,
  latencyFloorMs,
  MAPPED_UPLOAD_MIN_BYTES,
  ratesFor,
  uploadGBps,
  uploadPathFor,
  uploadRateFor,
} from '../../src/core/floor';
import { coalesce } from '../../src/rank/host-protocol';
import { FLOOR } from './support/floor-fixture';

const floor = FLOOR;

describe('transport floor', () => {
  it('the serial ceiling is the harmonic combination of the three stages', () => {
    // the figures: 1/(1/1.5 + 1/4.5 + 1/0.9) = 0.5 GB/s
    expect(ceilingGBps(floor.large)).toBeCloseTo(0.5, 10);
    expect(ceilingGBps(floor.large)).toBeLessThan(Math.min(1.5, 4.5, 0.9));
  });

  it('the upload stage is the faster of writeBuffer and mapped staging from 1 MiB up, as the host protocol uploads', () => {
    const mapped = { ...floor, large: { ...floor.large, mappedWriteGBps: 2.25 } };
    // 1/(1/1.5 + 1/4.5 + 1/2.25) = 0.75 GB/s with the mapped way; writeBuffer alone gives 0.5
    expect(ceilingGBps(mapped.large)).toBeCloseTo(0.75, 10);
    expect(uploadGBps(mapped.large)).toBe(2.25);
    // below 1 MiB the host protocol takes writeBuffer, whatever the mapped figure
    expect(uploadGBps({ ...floor.slot, mappedWriteGBps: 5 })).toBe(0.6);
    expect(uploadPathFor(mapped, MAPPED_UPLOAD_MIN_BYTES - 4)).toBe('writeBuffer');
    expect(uploadPathFor(mapped, MAPPED_UPLOAD_MIN_BYTES)).toBe('mapped');
    expect(uploadRateFor(mapped, MAPPED_UPLOAD_MIN_BYTES)).toBe(2.25);
    expect(uploadRateFor(mapped, 4096)).toBe(0.9);
    // a floor where mapping is slower keeps writeBuffer; no floor maps from the threshold; a floor
    // from before the mapped way was measured keeps writeBuffer
    expect(uploadPathFor({ ...floor, large: { ...floor.large, mappedWriteGBps: 0.5 } }, 16 * 2 ** 20)).toBe('writeBuffer');
    expect(uploadPathFor(null, 16 * 2 ** 20)).toBe('mapped');
    expect(uploadPathFor(floor, 16 * 2 ** 20)).toBe('writeBuffer');
    expect(uploadPathFor(null, 8192, 8192)).toBe('mapped');
    expect(floorSummary(mapped).join('\n')).toMatch(/writeBuffer 0\.900, mapped write 2\.25 GB\/s → ceiling 0\.750 GB\/s/);
  });

  it('coalesces received slices into sorted runs for the mapped upload', () => {
    expect(coalesce([])).toEqual([]);
    expect(
      coalesce([
        { start: 8, count: 4 },
        { start: 0, count: 4 },
        { start: 4, count: 4 },
        { start: 20, count: 2 },
        { start: 21, count: 1 },
      ]),
    ).toEqual([
      { start: 0, count: 12 },
      { start: 20, count: 2 },
    ]);
  });

  it('picks the slot rates up to one slot and the large rates above', () => {
    expect(ratesFor(floor, 8)).toBe(floor.slot);
    expect(ratesFor(floor, 262144)).toBe(floor.slot);
    expect(ratesFor(floor, 262145)).toBe(floor.large);
    expect(ceilingFraction(floor, 16 * 2 ** 20, 0.4)).toBeCloseTo(0.8, 10);
  });

  it('latency floor is steps × round trip; emulation floor is round trip + hop and the large ceiling', () => {
    expect(latencyFloorMs(floor, 6)).toBeCloseTo(1.2, 12);
    const e = emulationFloor(floor);
    expect(e.minAlphaS).toBeCloseTo(210e-6, 12);
    expect(e.maxBandwidthBytesPerS).toBeCloseTo(0.5e9, 0);
    expect(emulationFloor({ ...floor, atomicsHopUs: null }).minAlphaS).toBeCloseTo(200e-6, 12);
  });

  it('the emulation floor takes the round trip with every rank reading back at once where it is larger', () => {
    const contended = { ...floor, contended: { ranks: 4, readbackRttMs: 2.5 } };
    expect(emulationFloor(contended).minAlphaS).toBeCloseTo(2.51e-3, 12);
    expect(belowEmulationFloor(contended, { alphaS: 1e-3, betaSPerByte: 1 / 50e6 })).toMatch(/α 1 ms is below this tab's 2.51 ms/);
    // A quieter contended figure than the single-rank one does not lower the floor.
    expect(emulationFloor({ ...floor, contended: { ranks: 2, readbackRttMs: 0.1 } }).minAlphaS).toBeCloseTo(210e-6, 12);
    expect(floorSummary(contended)[0]).toMatch(/2.50 ms with all 4 ranks at once/);
  });

  it('names what puts a link below the emulation floor, and passes a link above it', () => {
    expect(belowEmulationFloor(floor, { alphaS: 1e-3, betaSPerByte: 1 / 50e6 })).toBeNull();
    const fast = belowEmulationFloor(floor, { alphaS: 1e-6, betaSPerByte: 1 / 900e9 });
    expect(fast).toMatch(/α 1 µs is below this tab's 210 µs/);
    expect(fast).toMatch(/bandwidth 900 GB\/s is above this tab's 500 MB\/s/);
    expect(belowEmulationFloor(floor, { alphaS: 1, betaSPerByte: 0 })).toMatch(/unlimited/);
  });

  it('summarises every figure for headers', () => {
    const text = floorSummary(floor).join('\n');
    for (const s of ['0.200 ms', '10.0 µs', '256 KiB', '16 MiB', 'ceiling 0.500 GB/s', 'α ≥ 210 µs']) expect(text).toContain(s);
  });
});
