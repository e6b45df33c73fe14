/**
 * Seeded adversarial inputs for the fuzzers (issue 10: "URLs from the config tables, CLI flags,
 * mutated nccl-tests logs"): for each field of a table, values a user or an attacker would
 * type, from valid to boundary to garbage.
 */
import type { FieldSpec } from '../../../src/core/config';
import { formatValue } from '../../../src/core/config';
import type { Rng } from '../../../src/core/rng';

const GARBAGE = [
  '',
  ' ',
  'nope',
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  '-0',
  '0x10',
  '1,2,,3',
  '<img src=x onerror=alert(1)>',
  '"; DROP TABLE',
  '日本語',
  '\u0000',
  '%',
  '1:',
  ':2',
  '1-1:2',
  '999999999999999999999',
  '1.5',
  '-3:2',
  '3:0.5',
  '0-99:2',
  '4G',
  '257M',
  '0GB/s',
  '1e-300B/s',
  'maybe',
  'true',
  'off',
];

/** A value for `spec` as text: a valid one, a bound ± 1, garbage, or a very long string. */
export function fuzzText(spec: FieldSpec, rng: Rng): string {
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
  const roll = rng.uniform();
  if (roll < 0.05) return 'x'.repeat(10_000);
  if (roll < 0.35) return pick(GARBAGE);
  switch (spec.kind) {
    case 'enum':
      return pick(spec.values);
    case 'bool':
      return pick(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']);
    case 'int':
    case 'number':
    case 'size': {
      const lo = spec.min ?? 0;
      const hi = spec.max ?? lo + 1000;
      const v = pick([lo, hi, lo - 1, hi + 1, lo + rng.uniform() * Math.min(hi - lo, 1e6)]);
      return spec.kind === 'size' && rng.uniform() < 0.5
        ? formatValue(spec, Math.max(0, Math.trunc(v)))
        : String(spec.kind === 'number' ? Number(v.toPrecision(6)) : Math.trunc(v));
    }
    case 'list-int':
      return Array.from({ length: 1 + rng.int(5) }, () => String(rng.int((spec.max ?? 16) + 2))).join(',');
    case 'bandwidth':
      return pick(['12.5GB/s', '100Gbit/s', '1B/s', '1kB/s', '0.001B/s', '10TB/s', '1e20B/s', '50MB/s']);
    case 'duration':
      return pick(['1us', '2ms', '0s', '1s']);
    case 'string':
      return pick(['0:2', '1:3', '3:2.5', '15:4', '0-1:4', '1-2:2', '2-3:1.5', '0-15:8', 'out.json']);
  }
}
