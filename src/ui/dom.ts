/** A tiny element builder: the page is small enough not to need a framework. */
import type { Steps } from '../core/steps';
type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | ((e: Event) => void)> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') e.addEventListener(k.replace(/^on/, ''), v as EventListener);
    else if (typeof v === 'boolean') {
      if (v) e.setAttribute(k, '');
    } else e.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

/** Saves `text` as a file the browser downloads. */
export function download(filename: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = el('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Marks `e` as part `name` of the page (hideable with `hide=name`); returns it. */
export function markPart<E extends HTMLElement>(e: E, name: string): E {
  e.dataset.part = name;
  return e;
}

/**
 * Ends the current main-thread task and resumes in a new one, so the browser can paint and take
 * input between pieces of a long redraw (issue 8: no main-thread task over 50 ms).
 */
export function yieldToPage(): Promise<void> {
  const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return s?.yield ? s.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs `steps` (core/steps.ts) in main-thread tasks of about `budgetMs` each, yielding to the page
 * between them. Resolves to the result, or to undefined once `stale()` turns true (a newer
 * render took over).
 */
export async function runSliced<T>(steps: Steps<T>, stale: () => boolean = () => false, budgetMs = 8): Promise<T | undefined> {
  let start = performance.now();
  for (;;) {
    if (stale()) return undefined;
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - start > budgetMs) {
      await yieldToPage();
      start = performance.now();
    }
  }
}

/** `runSliced` without a stale check: always resolves to the result. */
export async function sliced<T>(steps: Steps<T>, budgetMs = 8): Promise<T> {
  return (await runSliced(steps, () => false, budgetMs)) as T;
}
