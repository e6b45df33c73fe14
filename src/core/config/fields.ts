/**
 * The typed field table behind URL state and command lines (STYLE.md 3). One table per
 * experiment lists every knob once: kind, default, range or allowed names, CLI flags, URL
 * name, help. `url.ts` and `argv.ts` read and write configs from it; nothing else parses.
 */
import { PROTOCOLS } from '../schedule/protocol';

/** Data types ringlab runs (nccl-tests `-d`); WebGPU compute here is float32 only. */
export const DATATYPES = ['float'] as const;
export type Datatype = (typeof DATATYPES)[number];

export type FieldKind = 'int' | 'number' | 'size' | 'enum' | 'bool' | 'string' | 'list-int' | 'bandwidth' | 'duration';

interface FieldCommon<K extends FieldKind> {
  kind: K;
  /** CLI flags, short first: ['-g', '--ranks']. The long one also names the URL parameter. */
  flags: readonly string[];
  /** URL parameter name; default: the long flag without its dashes. */
  url?: string;
  /** One line for --help and tooltips. */
  help: string;
  /** Command line only (output files, fitting): never read from or written to the URL. */
  cliOnly?: boolean;
}

/** Integer; `null` default means "not set" (e.g. ranks per node derived from nodes). */
export interface IntField extends FieldCommon<'int'> {
  default: number | null;
  min?: number;
  max?: number;
}

/** Real number; `minExclusive` makes `min` a strict bound (> 0). */
export interface NumberField extends FieldCommon<'number'> {
  default: number | null;
  min?: number;
  max?: number;
  minExclusive?: boolean;
}

/** Byte count, written as nccl-tests writes sizes (8, 64K, 1M, 1G). */
export interface SizeField extends FieldCommon<'size'> {
  default: number;
  min?: number;
  max?: number;
}

/** One of a list of names; travels by name, never by index. */
export interface EnumField extends FieldCommon<'enum'> {
  default: string;
  values: readonly string[];
}

export interface BoolField extends FieldCommon<'bool'> {
  default: boolean;
}

/** Free text checked by `validate` (returns an error message, or null when valid). */
export interface StringField extends FieldCommon<'string'> {
  default: string | null;
  /** What is allowed, for messages and help, e.g. 'RANK:FACTOR, e.g. 3:2.5'. */
  format: string;
  validate?: (text: string) => string | null;
}

/** Comma-separated integers: `1,2,4`. */
export interface ListIntField extends FieldCommon<'list-int'> {
  default: number[];
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
}

/** Bytes per second, written with a unit (12.5GB/s, 100Gbit/s). */
export interface BandwidthField extends FieldCommon<'bandwidth'> {
  default: number | null;
  /** Bytes/s, inclusive; without it, any bandwidth above 0. */
  min?: number;
  max?: number;
}

/** Seconds, written with a unit (2ms, 1.5us). */
export interface DurationField extends FieldCommon<'duration'> {
  default: number | null;
}

export type FieldSpec = IntField | NumberField | SizeField | EnumField | BoolField | StringField | ListIntField | BandwidthField | DurationField;

/** Any value a config field can hold. */
export type FieldValue = FieldSpec['default'];

/**
 * The table for config type C: one spec per key of C, whose default has C's type for that key
 * (a `bool` spec on a number key does not compile).
 */
export type FieldTable<C> = { readonly [K in keyof C]-?: FieldSpec & { readonly default: C[K] } };

/** A problem with one field, shown to the user next to it. */
export interface FieldError {
  /** Config key, or the unknown parameter / flag as written. */
  field: string;
  /** The text that was given ('' when none). */
  value: string;
  /** Names the parameter, says what is allowed and what is used instead. */
  message: string;
}

/**
 * Cross-field rules (minBytes ≤ maxBytes, ranks divisible by ranks per node…): return the
 * config, repaired to valid values, and one error per repair.
 */
export type CrossCheck<C> = (config: C) => { config: C; errors: FieldError[] };

/** A field table with its cross-field check: what parseUrl / parseArgv take. */
export interface ConfigTable<C> {
  fields: FieldTable<C>;
  check?: CrossCheck<C>;
}

/** The long flag (`--ranks`), else the first flag. */
export function longFlag(spec: FieldSpec): string {
  return spec.flags.find((f) => f.startsWith('--')) ?? spec.flags[0] ?? '';
}

/** URL parameter name of a field. */
export function urlName(spec: FieldSpec): string {
  return spec.url ?? longFlag(spec).replace(/^-+/, '');
}

/** Keys of a table in declaration order. */
export function fieldKeys<C>(fields: FieldTable<C>): (keyof C & string)[] {
  return Object.keys(fields) as (keyof C & string)[];
}

/** The table as a list of `{ name, ...spec }`, in declaration order. */
export function fieldList<C>(fields: FieldTable<C>): (FieldSpec & { name: keyof C & string })[] {
  return fieldKeys(fields).map((name) => ({ ...(fields[name] as FieldSpec), name }));
}

/** Every default: a valid config. */
export function defaults<C>(fields: FieldTable<C>): C {
  const config: Partial<C> = {};
  for (const key of fieldKeys(fields)) {
    const d = fields[key].default;
    config[key] = (Array.isArray(d) ? [...d] : d) as C[typeof key];
  }
  return config as C;
}

/** -J: the JSON report's path, on the command line only (bench and train share it). */
export const OUTPUT_FILE_FIELD = {
  kind: 'string',
  format: 'a file path',
  validate: (text: string) => (text === '' ? 'empty path' : null),
  default: null,
  flags: ['-J', '--output_file'],
  help: 'Also write the results as JSON to this file.',
  cliOnly: true,
} as const satisfies FieldSpec;

/** --proto, for the benchmark and for training's gradient all-reduce (src/core/protocol-choice.ts). */
export const PROTO_FIELD = {
  kind: 'enum',
  values: PROTOCOLS,
  default: 'auto',
  flags: ['--proto'],
  help: 'Transfer protocol: simple (one GPU readback per step), host (read back once, run the schedule in host memory, upload once), auto (the one the measured floor of the run predicts faster for each message: host for small ones).',
} as const satisfies FieldSpec;
