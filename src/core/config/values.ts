/**
 * One field's value to and from text, shared by the URL and command-line codecs.
 */

import {
  BANDWIDTH_FORMS,
  DURATION_FORMS,
  SIZE_FORMS,
  formatBandwidth,
  formatBandwidthExact,
  formatBytes,
  formatDurationExact,
  formatSizeExact,
  parseBandwidth,
  parseDuration,
  parseSize,
} from '../units';
import type { FieldSpec, FieldValue } from './fields';

const TRUE = ['true', '1', 'on', 'yes'];
const FALSE = ['false', '0', 'off', 'no'];

/** True when `text` is a boolean literal parseValue accepts. */
export function isBoolText(text: string): boolean {
  return TRUE.includes(text.toLowerCase()) || FALSE.includes(text.toLowerCase());
}

function range(min: number | undefined, max: number | undefined, minExclusive = false): string {
  if (min !== undefined && max !== undefined) return minExclusive ? `> ${min} and ≤ ${max}` : `${min}..${max}`;
  if (min !== undefined) return minExclusive ? `> ${min}` : `≥ ${min}`;
  if (max !== undefined) return `≤ ${max}`;
  return 'any';
}

function bandwidthRange(spec: { min?: number; max?: number }): string {
  if (spec.min === undefined && spec.max === undefined) return 'above 0';
  return `from ${formatBandwidth(spec.min ?? 0)}${spec.max !== undefined ? ` to ${formatBandwidth(spec.max)}` : ''}`;
}

/** What a field accepts, in words: "an integer 1..16", "one of ring, tree". */
export function describeAllowed(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'int':
      return `an integer ${range(spec.min, spec.max)}`;
    case 'number':
      return `a number ${range(spec.min, spec.max, spec.minExclusive)}`;
    case 'size': {
      const lo = spec.min !== undefined ? formatBytes(spec.min) : '0 B';
      return `${SIZE_FORMS}; from ${lo}${spec.max !== undefined ? ` to ${formatBytes(spec.max)}` : ''}`;
    }
    case 'enum':
      return `one of ${spec.values.join(', ')}`;
    case 'bool':
      return 'true or false (also 1/0, on/off, yes/no)';
    case 'string':
      return spec.format;
    case 'list-int': {
      const len = spec.minLength !== undefined ? `, at least ${spec.minLength}` : '';
      const most = spec.maxLength !== undefined ? `, at most ${spec.maxLength}` : '';
      return `comma-separated integers, each ${range(spec.min, spec.max)}${len}${most}`;
    }
    case 'bandwidth':
      return `${BANDWIDTH_FORMS}; ${bandwidthRange(spec)}`;
    case 'duration':
      return DURATION_FORMS;
  }
}

const INT = /^[+-]?\d+$/;
const REAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function inRange(v: number, min?: number, max?: number, minExclusive = false): boolean {
  if (min !== undefined && (minExclusive ? v <= min : v < min)) return false;
  return max === undefined || v <= max;
}

/** The longest piece of a user's text echoed in a message (issue 10: a 10,000-character value made an 85,000 px page). */
export const ECHO_MAX_CHARS = 60;

/** `text` for a message: quoted as given, cut to ECHO_MAX_CHARS with the full length said. */
export function echo(text: string): string {
  return text.length <= ECHO_MAX_CHARS ? `'${text}'` : `'${text.slice(0, ECHO_MAX_CHARS)}…' (${text.length} characters)`;
}

/**
 * A range error (the text was read, the value is outside what is allowed), as opposed to a
 * format error: says which bound was crossed, in the field's own unit, and the allowed range.
 */
function outOfRange(
  raw: string,
  v: number,
  lo: { value: number; exclusive?: boolean } | undefined,
  hi: number | undefined,
  show: (x: number) => string,
  allowed: string,
  read?: string,
): { error: string } {
  const as = read !== undefined ? ` (${read})` : '';
  const low = lo !== undefined && (lo.exclusive ? v <= lo.value : v < lo.value);
  const crossed = low ? `${lo!.exclusive ? 'not above' : 'below'} ${show(lo!.value)}` : `above ${show(hi ?? v)}`;
  return { error: `${echo(raw)}${as} is out of range (${crossed}); allowed: ${allowed}` };
}

/**
 * Reads one field's text. Returns the value, or `{ error }` saying what is wrong (the caller
 * adds the parameter name and the default used): a format error names what the field accepts,
 * a range error the bound that was crossed.
 */
export function parseValue(spec: FieldSpec, raw: string): { value: FieldValue } | { error: string } {
  const text = raw.trim();
  const bad = { error: `${echo(raw)} is not ${describeAllowed(spec)}` };
  switch (spec.kind) {
    case 'int': {
      const v = Number(text) + 0; // + 0: '-0' reads as 0, as it is written back
      if (!INT.test(text) || !Number.isSafeInteger(v)) return bad;
      return inRange(v, spec.min, spec.max) ? { value: v } : outOfRange(raw, v, spec.min !== undefined ? { value: spec.min } : undefined, spec.max, String, describeAllowed(spec));
    }
    case 'number': {
      const v = Number(text) + 0;
      if (!REAL.test(text) || !Number.isFinite(v)) return bad;
      return inRange(v, spec.min, spec.max, spec.minExclusive)
        ? { value: v }
        : outOfRange(raw, v, spec.min !== undefined ? { value: spec.min, exclusive: spec.minExclusive ?? false } : undefined, spec.max, String, describeAllowed(spec));
    }
    case 'size': {
      let v: number;
      try {
        v = parseSize(text);
      } catch {
        return bad;
      }
      return inRange(v, spec.min, spec.max)
        ? { value: v }
        : outOfRange(
            raw,
            v,
            spec.min !== undefined ? { value: spec.min } : undefined,
            spec.max,
            formatBytes,
            `from ${formatBytes(spec.min ?? 0)}${spec.max !== undefined ? ` to ${formatBytes(spec.max)}` : ''}`,
            `${v} B`,
          );
    }
    case 'enum':
      return spec.values.includes(text) ? { value: text } : bad;
    case 'bool':
      if (TRUE.includes(text.toLowerCase())) return { value: true };
      return FALSE.includes(text.toLowerCase()) ? { value: false } : bad;
    case 'string': {
      const problem = spec.validate?.(text) ?? null;
      return problem === null ? { value: text } : { error: `${echo(raw)}: ${problem}; expected ${spec.format}` };
    }
    case 'list-int': {
      const parts = text.split(',').map((p) => p.trim());
      const values = parts.map(Number);
      if (text === '' || !parts.every((p) => INT.test(p)) || !values.every((v) => Number.isSafeInteger(v))) return bad;
      const outside = values.find((v) => !inRange(v, spec.min, spec.max));
      if (outside !== undefined) return { error: `${echo(raw)}: ${outside} is outside ${range(spec.min, spec.max)}; allowed ${describeAllowed(spec)}` };
      if (values.length < (spec.minLength ?? 1) || values.length > (spec.maxLength ?? Infinity)) {
        return { error: `${echo(raw)} has ${values.length} value${values.length === 1 ? '' : 's'}; allowed ${describeAllowed(spec)}` };
      }
      return { value: values };
    }
    case 'bandwidth': {
      let v: number;
      try {
        v = parseBandwidth(text);
      } catch {
        return bad;
      }
      const lo = { value: spec.min ?? 0, exclusive: spec.min === undefined };
      return inRange(v, lo.value, spec.max, lo.exclusive) ? { value: v } : outOfRange(raw, v, lo, spec.max, formatBandwidth, bandwidthRange(spec));
    }
    case 'duration': {
      let v: number;
      try {
        v = parseDuration(text);
      } catch {
        return bad;
      }
      return v >= 0 ? { value: v } : bad;
    }
  }
}

/** Writes one field's value so that parseValue reads back exactly the same value. */
export function formatValue(spec: FieldSpec, value: FieldValue): string {
  if (value === null) return '';
  switch (spec.kind) {
    case 'size':
      return formatSizeExact(value as number);
    case 'bandwidth':
      return formatBandwidthExact(value as number);
    case 'duration':
      return formatDurationExact(value as number);
    case 'list-int':
      return (value as number[]).join(',');
    default:
      return String(value);
  }
}

/** Value equality for "is this the default?" (lists compare element by element). */
export function sameValue(a: FieldValue, b: FieldValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}
