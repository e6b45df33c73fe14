/**
 * The page's URL state (STYLE.md 3): one typed table per experiment, parsed once at load with
 * every invalid parameter reported, changed only through setState(patch), written back with
 * replaceState so a copied link reproduces the experiment exactly.
 */
import { parseUrl, serializeUrl, type ConfigTable, type FieldError } from '../core/config';

export const TABS = ['bench', 'train'] as const;
export type Tab = (typeof TABS)[number];

export class UrlState<C> {
  private state: C;
  readonly errors: FieldError[];
  private readonly listeners: ((s: C) => void)[] = [];

  constructor(private readonly table: ConfigTable<C>, private readonly tab: Tab, search: string) {
    const params = new URLSearchParams(search);
    const r = parseUrl(table, params, { ignore: ['tab'] });
    this.state = r.config;
    this.errors = r.errors;
  }

  get value(): C {
    return this.state;
  }

  /** Applies a patch, re-runs the table's cross-field check, updates the URL. */
  setState(patch: Partial<C>): FieldError[] {
    let next = { ...this.state, ...patch };
    let errors: FieldError[] = [];
    if (this.table.check) ({ config: next, errors } = this.table.check(next));
    this.state = next;
    history.replaceState(null, '', this.href());
    for (const l of this.listeners) l(next);
    return errors;
  }

  onChange(l: (s: C) => void): void {
    this.listeners.push(l);
  }

  /** The shareable link of the current state. */
  href(): string {
    const params = serializeUrl(this.table, this.state);
    params.set('tab', this.tab);
    return `${location.pathname}?${params.toString()}`;
  }
}

/** Which tab the URL asks for; an unknown one is an error, not a silent default. */
export function tabFromUrl(search: string): { tab: Tab; error?: FieldError } {
  const t = new URLSearchParams(search).get('tab');
  if (t === null) return { tab: 'bench' };
  if ((TABS as readonly string[]).includes(t)) return { tab: t as Tab };
  return { tab: 'bench', error: { field: 'tab', value: t, message: `unknown tab '${t}'; allowed: ${TABS.join(', ')} (showing bench)` } };
}
