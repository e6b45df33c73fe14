/**
 * The page's URL state (STYLE.md 3): one typed table per experiment, parsed once at load with
 * every invalid parameter reported, changed only through setState(patch), written back with
 * replaceState so a copied link reproduces the experiment exactly.
 */
import { PAGE_PARAMS, parseUrl, serializeUrl, type ConfigTable, type FieldError } from '../core/config';

export const TABS = ['bench', 'train', 'lessons'] as const;
export type Tab = (typeof TABS)[number];

/** Page-level parameters every tab's link carries (present, hide, autorun); set by main. */
let pageParams: () => [string, string][] = () => [];
export function setPageParams(f: () => [string, string][]): void {
  pageParams = f;
}

export class UrlState<C> {
  private state: C;
  readonly errors: FieldError[];
  /** This tab's own extra parameters beside its table (compare, algos). */
  private readonly extras = new Map<string, string>();

  /**
   * @param owns which URL parameters this table reads and writes (default: all but `tab`); the
   *   others belong to another table on the same tab (the what-if's `wi-*`) and are left as
   *   they are in the URL.
   */
  constructor(
    readonly table: ConfigTable<C>,
    private readonly tab: Tab,
    search: string,
    private readonly owns: (name: string) => boolean = () => true,
  ) {
    const params = new URLSearchParams(search);
    const r = parseUrl(table, params, { ignore: [...PAGE_PARAMS, ...[...params.keys()].filter((n) => !owns(n))] });
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
    return errors;
  }

  /**
   * Changes a default before the page shows (a software adapter's `scaled`): checked like
   * setState, but the URL is left to whoever shows this tab.
   */
  adjust(patch: Partial<C>): void {
    const next = { ...this.state, ...patch };
    this.state = this.table.check ? this.table.check(next).config : next;
  }

  /** Sets (or, with null, removes) one of this tab's extra parameters and updates the URL. */
  setExtra(name: string, value: string | null): void {
    if (value === null || value === '') this.extras.delete(name);
    else this.extras.set(name, value);
    history.replaceState(null, '', this.href());
  }

  /** The shareable link of the current state. */
  href(): string {
    const params = serializeUrl(this.table, this.state);
    for (const [name, value] of new URLSearchParams(location.search)) if (name !== 'tab' && !this.owns(name)) params.append(name, value);
    params.set('tab', this.tab);
    for (const [k, v] of this.extras) params.set(k, v);
    for (const [k, v] of pageParams()) params.set(k, v);
    return `${location.pathname}?${params.toString()}`;
  }
}

/** Which tab the URL asks for; an unknown one is an error, not a silent default. */
export function tabFromUrl(search: string): { tab: Tab; error?: FieldError } {
  const params = new URLSearchParams(search);
  const t = params.get('tab');
  // A lesson link needs no tab=: `?lesson=ring-vs-tree` opens the Lessons tab.
  if (t === null) return { tab: params.has('lesson') ? 'lessons' : 'bench' };
  if ((TABS as readonly string[]).includes(t)) return { tab: t as Tab };
  return { tab: 'bench', error: { field: 'tab', value: t, message: `unknown tab '${t}'; allowed: ${TABS.join(', ')} (showing bench)` } };
}
