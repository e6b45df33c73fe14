/**
 * One field's value to and from text, shared by the URL and command-line codecs.
 */

import {
  BANDWIDTH_FORMS,
  DURATION_FORMS,
  SIZE_FORMS,
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
      return BANDWIDTH_FORMS;
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

/**
 * Reads one field's text. Returns the value, or `{ error }` saying what is wrong (the caller
 * adds the parameter name and the default used).
 */
export function parseValue(spec: FieldSpec, raw: string): { value: FieldValue } | { error: string } {
  const text = raw.trim();
  const bad = { error: `'${raw}' is not ${describeAllowed(spec)}` };
  switch (spec.kind) {
    case 'int': {
      const v = Number(text);
      return INT.test(text) && Number.isSafeInteger(v) && inRange(v, spec.min, spec.max) ? { value: v } : bad;
    }
    case 'number': {
      const v = Number(text);
      return REAL.test(text) && Number.isFinite(v) && inRange(v, spec.min, spec.max, spec.minExclusive) ? { value: v } : bad;
    }
    case 'size': {
      try {
        const v = parseSize(text);
        return inRange(v, spec.min, spec.max) ? { value: v } : bad;
      } catch {
        return bad;
      }
    }
    case 'enum':
      return spec.values.includes(text) ? { value: text } : bad;
    case 'bool':
      if (TRUE.includes(text.toLowerCase())) return { value: true };
      return FALSE.includes(text.toLowerCase()) ? { value: false } : bad;
    case 'string': {
      const problem = spec.validate?.(text) ?? null;
      return problem === null ? { value: text } : { error: `'${raw}': ${problem}; expected ${spec.format}` };
    }
    case 'list-int': {
      const parts = text.split(',').map((p) => p.trim());
      const values = parts.map(Number);
      const ok =
        text !== '' &&
        parts.every((p) => INT.test(p)) &&
        values.every((v) => Number.isSafeInteger(v) && inRange(v, spec.min, spec.max)) &&
        values.length >= (spec.minLength ?? 1) &&
        values.length <= (spec.maxLength ?? Infinity);
      return ok ? { value: values } : bad;
    }
    case 'bandwidth':
    case 'duration': {
      try {
        const v = spec.kind === 'bandwidth' ? parseBandwidth(text) : parseDuration(text);
        return v > 0 || (spec.kind === 'duration' && v === 0) ? { value: v } : bad;
      } catch {
        return bad;
      }
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
