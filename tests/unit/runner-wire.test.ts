import { describe, expect, it } from 'vitest';
import { fromWire, toWire } from '../../src/cli/runner-protocol';

describe('runner results on the wire (toWire / fromWire)', () => {
  it('round-trips a result, non-finite numbers included, which plain JSON would turn into null', () => {
    const result = {
      status: 'done',
      rows: [{ bytes: 8, timeUs: 1234.5, busbwOverCeiling: Number.NaN }],
      points: [{ efficiency: Number.POSITIVE_INFINITY, low: Number.NEGATIVE_INFINITY }],
      nested: { list: [1, Number.NaN, 3] },
    };
    const back = fromWire<typeof result>(toWire(result));
    expect(back.rows[0]!.busbwOverCeiling).toBeNaN();
    expect(back.points[0]!.efficiency).toBe(Number.POSITIVE_INFINITY);
    expect(back.points[0]!.low).toBe(Number.NEGATIVE_INFINITY);
    expect(back.nested.list[1]).toBeNaN();
    expect({ ...back, rows: [{ ...back.rows[0], busbwOverCeiling: 0 }], points: [], nested: { list: [1, 0, 3] } }).toEqual({
      ...result,
      rows: [{ ...result.rows[0], busbwOverCeiling: 0 }],
      points: [],
      nested: { list: [1, 0, 3] },
    });
    expect(JSON.parse(JSON.stringify(result)).rows[0].busbwOverCeiling).toBeNull(); // what the codec is for
  });

  it('leaves objects that only look like an encoded number alone', () => {
    expect(fromWire(toWire({ a: { $number: 'seven' }, b: { $number: 'NaN', other: 1 } }))).toEqual({ a: { $number: 'seven' }, b: { $number: 'NaN', other: 1 } });
  });
});
