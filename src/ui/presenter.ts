/**
 * Presenter mode and hideable parts (`present=1`, `hide=controls,table`), and the page's
 * keyboard navigation.
 *
 * Parts are hidden by CSS only: every view marks its elements `data-part="<name>"` and the body
 * carries `hide-<name>`, so a view built later (the lessons view) is covered too. Presenter mode
 * adds `present` to the body: large type, charts the full width, the Run button and status in
 * one bar, fixed-height status so nothing jumps while results stream in.
 *
 * Keys: one handler set at a time (a lesson pushes its own, and pops it when it goes). Keys are
 * ignored while the user types in a field or holds a modifier.
 */
import { HIDEABLE_PARTS, type HideablePart, type PageConfig } from '../core/config';
import { setChartFontScale } from './charts/chart-setup';

/** Applies present / hide to the document (call before building the charts: fonts scale). */
export function applyPresentation(page: Pick<PageConfig, 'present' | 'hide'>, body: HTMLElement = document.body): void {
  body.classList.toggle('present', page.present);
  for (const part of Object.keys(HIDEABLE_PARTS) as HideablePart[]) body.classList.toggle(`hide-${part}`, page.hide.includes(part));
  if (page.present) setChartFontScale(1.6);
}

/** What the keyboard drives: any subset; keys without a handler are left to the browser. */
export interface KeyHandlers {
  /** → , PageDown: the next step (a lesson) or tab. */
  next?: () => void;
  /** ← , PageUp: the previous one. */
  prev?: () => void;
  /** r, Enter on the page body: Run. */
  run?: () => void;
  /** c: Clear. */
  clear?: () => void;
}

const KEYS: Record<string, keyof KeyHandlers> = { ArrowRight: 'next', PageDown: 'next', ArrowLeft: 'prev', PageUp: 'prev', r: 'run', Enter: 'run', c: 'clear' };

const stack: KeyHandlers[] = [];
let installed = false;

function typing(target: EventTarget | null): boolean {
  const t = target as HTMLElement | null;
  return !!t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(t.tagName));
}

/** The action a key event asks for, or null (pure, for tests). */
export function keyAction(e: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'target'>): keyof KeyHandlers | null {
  if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || typing(e.target)) return null;
  return KEYS[e.key] ?? null;
}

/**
 * Makes `h` the active key handlers until the returned function is called (then the previous
 * set is active again).
 */
export function pushKeyHandlers(h: KeyHandlers): () => void {
  if (!installed) {
    installed = true;
    document.addEventListener('keydown', (e) => {
      const action = keyAction(e);
      const handler = action ? stack.at(-1)?.[action] : undefined;
      if (!handler) return;
      e.preventDefault();
      handler();
    });
  }
  stack.push(h);
  return () => {
    const i = stack.lastIndexOf(h);
    if (i >= 0) stack.splice(i, 1);
  };
}
