/**
 * Several runs in one URL: `compare=strong,weak` (train), `compare=ranks:4,ranks:8` (bench).
 * Each comma-separated variant is a patch over the page's config; the runs are drawn together.
 *
 * A variant is one or more assignments joined by `+` (a URL decodes `+` to a space, so both
 * separate): `name:value` with `name` a URL parameter of the table (`overlap:off+bucket-mb:1`),
 * or a bare value that belongs to exactly one of the table's enum fields (`strong`, `tree`).
 * `name:` with nothing after it unsets a field whose default is unset (`straggler:`). A list
 * value keeps its commas: a piece that is only digits continues the previous assignment
 * (`layers:8,16,3,layers:32,256,10` is two variants).
 */
import { type ConfigTable, type FieldError, type FieldSpec, fieldKeys, urlName } from './fields';
import { describeAllowed, formatValue, parseValue } from './values';

/** One run of a comparison: a label and what it changes. */
export interface Variant<C> {
  /** Short, as the user wrote it: "strong", "overlap off + bucket-mb 1". */
  label: string;
  patch: Partial<C>;
}

/** Most runs one URL may ask for (each is a full training study or sweep). */
export const MAX_VARIANTS = 8;

/**
 * Splits `text` into variants of assignments; a digit-only piece after an assignment to a list
 * field (`isList(name)`) continues that list.
 */
function tokens(text: string, isList: (name: string) => boolean): string[][] {
  const out: string[][] = [];
  for (const piece of text.split(',')) {
    const p = piece.trim();
    const last = out.at(-1)?.at(-1);
    if (/^\d+$/.test(p) && last?.includes(':') && isList(last.slice(0, last.indexOf(':')))) {
      const variant = out.at(-1)!;
      variant[variant.length - 1] += `,${p}`;
      continue;
    }
    out.push(p === '' ? [] : p.split(/[+\s]+/).filter((a) => a !== ''));
  }
  return out;
}

/**
 * Reads a comparison. Every bad variant is reported (naming the text and what is allowed) and
 * left out; the good ones run.
 */
export function parseCompare<C>(table: ConfigTable<C>, text: string, param = 'compare'): { variants: Variant<C>[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const byName = new Map<string, keyof C & string>();
  const byBare = new Map<string, (keyof C & string)[]>();
  for (const key of fieldKeys(table.fields)) {
    const spec = table.fields[key] as FieldSpec;
    if (spec.cliOnly) continue;
    byName.set(urlName(spec), key);
    if (spec.kind === 'enum') for (const v of spec.values) byBare.set(v, [...(byBare.get(v) ?? []), key]);
  }
  const bareAllowed = [...byBare].filter(([, keys]) => keys.length === 1).map(([v]) => v);
  const allowed = `variants separated by commas, each name:value (name one of ${[...byName.keys()].join(', ')}) or one of ${bareAllowed.join(', ')}; join assignments with +`;
  const variants: Variant<C>[] = [];
  const isList = (name: string): boolean => {
    const key = byName.get(name);
    return key !== undefined && (table.fields[key] as FieldSpec).kind === 'list-int';
  };
  for (const assignments of tokens(text, isList)) {
    const written = assignments.join('+');
    const fail = (why: string): void => {
      errors.push({ field: param, value: written, message: `${param}: variant '${written}' ${why}; allowed: ${allowed}` });
    };
    if (assignments.length === 0) {
      fail('is empty');
      continue;
    }
    const patch: Partial<C> = {};
    const parts: string[] = [];
    let ok = true;
    for (const a of assignments) {
      const colon = a.indexOf(':');
      let key: (keyof C & string) | undefined;
      let valueText: string;
      if (colon < 0) {
        const keys = byBare.get(a);
        if (!keys) {
          fail(`has '${a}', which is not a value of any choice field`);
          ok = false;
          break;
        }
        if (keys.length > 1) {
          fail(`has '${a}', a value of ${keys.map((k) => urlName(table.fields[k] as FieldSpec)).join(' and ')}: write name:${a}`);
          ok = false;
          break;
        }
        key = keys[0]!;
        valueText = a;
      } else {
        const name = a.slice(0, colon);
        key = byName.get(name);
        valueText = a.slice(colon + 1);
        if (!key) {
          fail(`names '${name}', which is not a parameter`);
          ok = false;
          break;
        }
      }
      const spec = table.fields[key] as FieldSpec;
      if (valueText === '' && spec.default === null) {
        (patch as Record<string, unknown>)[key] = null;
        parts.push(`no ${urlName(spec)}`);
        continue;
      }
      const parsed = parseValue(spec, valueText);
      if ('error' in parsed) {
        fail(`sets ${urlName(spec)} to '${valueText}', which is not ${describeAllowed(spec)}`);
        ok = false;
        break;
      }
      (patch as Record<string, unknown>)[key] = parsed.value;
      parts.push(colon < 0 ? valueText : `${urlName(spec)} ${formatValue(spec, parsed.value)}`);
    }
    if (!ok) continue;
    if (variants.length >= MAX_VARIANTS) {
      fail(`is one too many (at most ${MAX_VARIANTS} runs)`);
      continue;
    }
    variants.push({ label: parts.join(' + '), patch });
  }
  return { variants, errors };
}

/** The variants of a comparison as the URL writes them (inverse of parseCompare for its output). */
export function formatCompare<C>(table: ConfigTable<C>, variants: readonly Variant<C>[]): string {
  return variants
    .map((v) =>
      Object.entries(v.patch)
        .map(([k, value]) => {
          const spec = table.fields[k as keyof C] as FieldSpec;
          return `${urlName(spec)}:${value === null ? '' : formatValue(spec, value as FieldSpec['default'])}`;
        })
        .join('+'),
    )
    .join(',');
}

/**
 * The config of each variant: base + patch, repaired by the table's cross-field check. A
 * repair is an error naming the variant.
 */
export function variantConfigs<C>(table: ConfigTable<C>, base: C, variants: readonly Variant<C>[]): { label: string; config: C; errors: FieldError[] }[] {
  return variants.map((v) => {
    const merged = { ...base, ...v.patch };
    if (!table.check) return { label: v.label, config: merged, errors: [] };
    const { config, errors } = table.check(merged);
    return { label: v.label, config, errors: errors.map((e) => ({ ...e, message: `${v.label}: ${e.message}` })) };
  });
}
