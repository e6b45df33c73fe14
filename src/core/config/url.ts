/**
 * URL state: one parse and one serialize over a field table (STYLE.md 3). Invalid values give
 * a message and the default, never an exception; enums travel as names.
 */

import { type ConfigTable, type FieldError, defaults, fieldKeys, urlName } from './fields';
import { describeAllowed, echo, formatValue, parseValue, sameValue } from './values';
import type { FieldSpec, FieldValue } from './fields';

/** A parsed config and what was wrong with the input. */
export interface ParseResult<C> {
  config: C;
  errors: FieldError[];
}

/** "using default 4" / "no default: left unset". */
export function defaultNote(spec: FieldSpec): string {
  return spec.default === null ? 'left unset' : `using default ${formatValue(spec, spec.default)}`;
}

/**
 * Sets `key` of `config` from `text`, or records an error naming `name` (the URL parameter or
 * flag as the user wrote it), what is allowed, and the default kept.
 */
export function applyText<C>(table: ConfigTable<C>, config: C, key: keyof C & string, name: string, text: string, errors: FieldError[]): void {
  const spec = table.fields[key];
  const parsed = parseValue(spec, text);
  if ('value' in parsed) {
    config[key] = parsed.value as C[typeof key];
  } else {
    config[key] = spec.default;
    errors.push({ field: key, value: text, message: `${name}: ${parsed.error}; ${defaultNote(spec)}` });
  }
}

/** Runs the table's cross-field check, if any. */
export function crossCheck<C>(table: ConfigTable<C>, config: C, errors: FieldError[]): C {
  if (!table.check) return config;
  const checked = table.check(config);
  errors.push(...checked.errors);
  return checked.config;
}

/**
 * Reads a config from URL parameters. Unknown parameters and command-line-only fields are
 * errors (named, with the known names); a repeated parameter keeps its last value.
 * @param options.ignore parameters that belong to someone else (e.g. the page's `exp`).
 */
export function parseUrl<C>(table: ConfigTable<C>, params: URLSearchParams, options: { ignore?: readonly string[] } = {}): ParseResult<C> {
  const config = defaults(table.fields);
  const errors: FieldError[] = [];
  const byName = new Map<string, keyof C & string>();
  for (const key of fieldKeys(table.fields)) {
    if (!table.fields[key].cliOnly) byName.set(urlName(table.fields[key]), key);
  }
  for (const [name, text] of params) {
    if (options.ignore?.includes(name)) continue;
    const key = byName.get(name);
    if (key === undefined) {
      errors.push({ field: name, value: text, message: `unknown parameter ${echo(name)}; known: ${[...byName.keys()].join(', ')}` });
      continue;
    }
    applyText(table, config, key, name, text, errors);
  }
  return { config: crossCheck(table, config, errors), errors };
}

/** Writes the non-default, URL-visible values of a config, in table order. */
export function serializeUrl<C>(table: ConfigTable<C>, config: C): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of fieldKeys(table.fields)) {
    const spec = table.fields[key];
    const value = config[key] as FieldValue;
    if (spec.cliOnly || value === null || sameValue(value, spec.default)) continue;
    params.set(urlName(spec), formatValue(spec, value));
  }
  return params;
}

/** "ranks: an integer 1..16 (default 4)": one line per field, for docs and tooltips. */
export function describeField(spec: FieldSpec): string {
  const d = spec.default === null ? 'unset' : formatValue(spec, spec.default);
  return `${describeAllowed(spec)} (default ${d})`;
}
