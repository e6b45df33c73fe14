import { describe, expect, it } from 'vitest';
import { finalAfter, scheduleExtent, sendsOverlapReceives, slicesOf } from '../../src/core/schedule/protocol';
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

describe('final ranges of the host protocol', () => {
  it('a received range is final once no later receive of the rank writes any of it', () => {
    // ring on 4 ranks: rank 0 reduces segment 3, then 2, then 1 (its own, final after reduce-scatter), then copies 0, 3, 2
    const s = buildSchedule('all_reduce', 'ring', 4, 400);
    const mine = s.steps.map((st) => st.ops[0] ?? []);
    const recvAt = (step: number) => mine[step]!.find((o) => o.kind === 'recv')!.range;
    expect(finalAfter(mine, 0, recvAt(0))).toBe(false); // reduced again by the all-gather copy
    expect(finalAfter(mine, 2, recvAt(2))).toBe(true); // the rank's own segment after reduce-scatter
    for (const step of [3, 4, 5]) expect(finalAfter(mine, step, recvAt(step))).toBe(true);
    // a slice overlapping a later receive by one element is not final
    const later = recvAt(3);
    expect(finalAfter(mine, 0, { start: later.start + later.count - 1, count: 1 })).toBe(false);
    expect(finalAfter(mine, 5, { start: 0, count: 400 })).toBe(true);
    // recursive doubling reduces the whole buffer every step: only the last step's result is final
    const rd = buildSchedule('all_reduce', 'recursive-doubling', 4, 100);
    const rdMine = rd.steps.map((st) => st.ops[1] ?? []);
    expect(finalAfter(rdMine, 0, { start: 0, count: 100 })).toBe(false);
    expect(finalAfter(rdMine, 1, { start: 0, count: 100 })).toBe(true);
  });
});
