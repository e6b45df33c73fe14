/**
 * Page-level URL parameters, beside each tab's experiment table: how the page is shown
 * (`present=1`, `hide=controls,table`), whether it runs at once (`autorun=1`), and the
 * comparisons (`compare=` on either tab, `algos=` on the benchmark). One list, so every
 * experiment parser knows which names are not its own.
 */
import type { FieldError } from './fields';

/** Parameters the page reads itself; experiment tables ignore them. */
export const PAGE_PARAMS = ['tab', 'autorun', 'present', 'hide', 'compare', 'algos', 'lesson', 'step', 'flops'] as const;

/**
 * Parts of the page that `hide=` can hide, by name. Every view marks its elements with
 * `data-part="<name>"`; the page hides a part with the class `hide-<name>` on `<body>`.
 */
export const HIDEABLE_PARTS = {
  header: 'the title bar and the adapter banner',
  tabs: 'the tab bar',
  controls: 'the experiment controls (the Run button stays)',
  table: 'the results table (benchmark) and the summary table (training)',
  explain: 'the explanation boxes',
  fit: 'the fitted α-β model panel (benchmark)',
  animation: 'the schedule animation (benchmark)',
  timeline: 'the per-rank timeline (training)',
  loss: 'the loss and accuracy chart (training)',
  breakdown: 'the step breakdown chart (training)',
  scaling: 'the scaling charts (training)',
  whatif: 'the what-if projection (training)',
  export: 'the export and copy-link buttons',
} as const;
export type HideablePart = keyof typeof HIDEABLE_PARTS;
const PART_NAMES = Object.keys(HIDEABLE_PARTS) as HideablePart[];

/** What `present=1` hides unless `hide=` says otherwise: everything but the charts and Run. */
export const PRESENT_HIDES: readonly HideablePart[] = ['header', 'controls', 'table', 'explain', 'fit', 'animation', 'timeline', 'whatif', 'export'];

export interface PageConfig {
  autorun: boolean;
  present: boolean;
  /** Parts to hide, in the order written. */
  hide: HideablePart[];
  compare: string | null;
  algos: string | null;
  /**
   * `flops=`: this GPU's matmul FLOP/s for the similarity ratio, pinned (issue 10, defect 6: the
   * measurement varies between loads, so a link must carry it to reproduce a scaled link).
   */
  flops: number | null;
}

/** Bounds of a pinned FLOP/s: a slow software adapter to well beyond any GPU. */
export const FLOPS_RANGE = { min: 1e3, max: 1e18 } as const;

function parseFlops(text: string | null, errors: FieldError[]): number | null {
  if (text === null) return null;
  const v = Number(text);
  if (text.trim() !== '' && Number.isFinite(v) && v >= FLOPS_RANGE.min && v <= FLOPS_RANGE.max) return v;
  const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  errors.push({ field: 'flops', value: text, message: `flops: '${shown}' is not a FLOP/s figure from 1e3 to 1e18 (e.g. 1.2e8); measuring this GPU instead` });
  return null;
}

function parseFlag(name: string, text: string | null, errors: FieldError[]): boolean {
  if (text === null) return false;
  if (['1', 'true', 'on', 'yes', ''].includes(text)) return true;
  if (['0', 'false', 'off', 'no'].includes(text)) return false;
  errors.push({ field: name, value: text, message: `${name}: '${text}' is not 1 or 0 (also true/false); using 0` });
  return false;
}

/**
 * `hide=controls,table`: every known name is kept, every unknown one is reported with the
 * allowed names. An empty `hide=` hides nothing (also under present=1).
 */
export function parseHide(text: string): { parts: HideablePart[]; errors: FieldError[] } {
  const parts: HideablePart[] = [];
  const errors: FieldError[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if ((PART_NAMES as string[]).includes(name)) {
      if (!parts.includes(name as HideablePart)) parts.push(name as HideablePart);
    } else {
      errors.push({ field: 'hide', value: name, message: `hide: unknown part '${name}'; allowed: ${PART_NAMES.join(', ')}` });
    }
  }
  return { parts, errors };
}

/** Reads the page-level parameters (the experiment's own are left to its table). */
export function parsePageParams(params: URLSearchParams): { page: PageConfig; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const present = parseFlag('present', params.get('present'), errors);
  const autorun = parseFlag('autorun', params.get('autorun'), errors);
  let hide: HideablePart[] = present ? [...PRESENT_HIDES] : [];
  const hideText = params.get('hide');
  if (hideText !== null) {
    const h = parseHide(hideText);
    hide = h.parts;
    errors.push(...h.errors);
  }
  const flops = parseFlops(params.get('flops'), errors);
  return { page: { autorun, present, hide, compare: params.get('compare'), algos: params.get('algos'), flops }, errors };
}

/** The page-level parameters that differ from a plain page, for a shareable link. */
export function serializePageParams(page: Pick<PageConfig, 'autorun' | 'present' | 'hide'> & { flops?: number | null }): [string, string][] {
  const out: [string, string][] = [];
  if (page.present) out.push(['present', '1']);
  const defaultHide = page.present ? PRESENT_HIDES : [];
  const same = page.hide.length === defaultHide.length && page.hide.every((p) => defaultHide.includes(p));
  if (!same) out.push(['hide', page.hide.join(',')]);
  if (page.autorun) out.push(['autorun', '1']);
  if (page.flops) out.push(['flops', String(Number(page.flops.toPrecision(4)))]);
  return out;
}
