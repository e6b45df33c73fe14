import { describe, expect, it } from 'vitest';
import { scheduleExtent, sendsOverlapReceives, slicesOf } from '../../src/core/schedule/protocol';
import { buildSchedule } from '../../src/core/schedule';
import type { Schedule } from '../../src/core/schedule/types';

const shifted = (s: Schedule, by: number): Schedule => ({
  ...s,
  steps: s.steps.map((st) => ({ ...st, ops: st.ops.map((ops) => ops.map((o) => ({ ...o, range: { start: o.range.start + by, count: o.range.count } }))) })),
});

describe('transfer protocols', () => {
  it('the extent covers every op of every rank, shifted schedules included', () => {
    const s = buildSchedule('all_reduce', 'ring', 4, 10);
    expect(scheduleExtent(s)).toEqual({ start: 0, count: 10 });
    expect(scheduleExtent(shifted(s, 100))).toEqual({ start: 100, count: 10 });
    expect(scheduleExtent(buildSchedule('all_reduce', 'ring', 1, 10))).toEqual({ start: 0, count: 0 });
  });

  it('start-of-step copies are needed exactly when a receive overlaps a send', () => {
    const ring = buildSchedule('all_reduce', 'ring', 4, 1000);
    const rd = buildSchedule('all_reduce', 'recursive-doubling', 4, 1000);
    expect(ring.steps.some((st) => st.ops.some((ops) => sendsOverlapReceives(ops)))).toBe(false);
    expect(rd.steps.every((st) => st.ops.every((ops) => sendsOverlapReceives(ops)))).toBe(true);
    expect(
      sendsOverlapReceives([
        { kind: 'send', peer: 1, range: { start: 0, count: 4 } },
        { kind: 'recv', peer: 1, mode: 'copy', range: { start: 4, count: 4 } },
      ]),
    ).toBe(false);
    expect(
      sendsOverlapReceives([
        { kind: 'send', peer: 1, range: { start: 0, count: 5 } },
        { kind: 'recv', peer: 1, mode: 'copy', range: { start: 4, count: 4 } },
      ]),
    ).toBe(true);
  });

  it('slices: none for an empty range, one for ≤ a slot, and a remainder', () => {
    expect(slicesOf({ start: 3, count: 0 }, 4)).toEqual([]);
    expect(slicesOf({ start: 3, count: 1 }, 4)).toEqual([{ start: 3, count: 1 }]);
    expect(slicesOf({ start: 0, count: 4 }, 4)).toEqual([{ start: 0, count: 4 }]);
    expect(slicesOf({ start: 0, count: 9 }, 4)).toEqual([
      { start: 0, count: 4 },
      { start: 4, count: 4 },
      { start: 8, count: 1 },
    ]);
    expect(() => slicesOf({ start: 0, count: 9 }, 0)).toThrow(/at least one element/);
  });
});
