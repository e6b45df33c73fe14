/**
 * The Lessons tab: the list of lessons, or one lesson (`?lesson=<id>&step=<n>`), with
 * presenter mode (`present=1`: large type, only the lesson, arrow keys step through it) and
 * `autorun=1` (runs the lesson as soon as the page is ready).
 */
import { LESSONS, parseLessonParams, type Lesson } from '../../core/lessons';
import { el } from '../dom';
import { pushKeyHandlers, type KeyHandlers } from '../presenter';
import { LessonPage } from './lesson-page';

export interface LessonsViewOptions {
  /** The page's full query string. */
  search: string;
  webgpuOk: boolean;
  /** Why Run is disabled, in words (null: it is not). */
  blocked: string | null;
  present: boolean;
  autorun: boolean;
}

export class LessonsView {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private readonly messages: HTMLElement;
  private page: LessonPage | undefined;

  constructor(private readonly options: LessonsViewOptions) {
    this.messages = el('div', { class: 'status lesson-messages', role: 'status', 'data-testid': 'lesson-messages' });
    this.body = el('div', { class: 'lessons-body' });
    this.root = el('div', { class: 'view lessons-view', 'data-testid': 'lessons-view' }, this.messages, this.body);
    const params = parseLessonParams(new URLSearchParams(options.search));
    if (params.errors.length) this.showMessages(params.errors);
    if (params.lesson) this.open(params.lesson, params.step);
    else this.showList();
  }

  /**
   * Arrow keys and r step through the open lesson (→ on the run step runs it); elsewhere, and
   * while this tab is hidden, the keys do what `fallback` does.
   */
  takeKeys(fallback: KeyHandlers): void {
    const mine = (): LessonPage | undefined => (this.root.hidden ? undefined : this.page);
    pushKeyHandlers({
      next: () => (mine() ? mine()!.forward() : fallback.next?.()),
      prev: () => {
        const p = mine();
        if (p && p.currentStep > 1) p.go(p.currentStep - 1);
        else fallback.prev?.();
      },
      run: () => (mine() ? void mine()!.run() : fallback.run?.()),
      clear: () => fallback.clear?.(),
    });
  }

  /** The shareable link of what is shown. */
  href(): string {
    const p = new URLSearchParams({ tab: 'lessons' });
    if (this.page) {
      p.set('lesson', this.page.lesson.id);
      if (this.page.currentStep !== 1) p.set('step', String(this.page.currentStep));
    }
    if (this.options.present) p.set('present', '1');
    return `${location.pathname}?${p.toString()}`;
  }

  showMessages(messages: string[]): void {
    this.messages.replaceChildren(...messages.map((m) => el('div', { class: 'error' }, m)));
  }

  /** Adds messages below those shown (the page's own: tab=, hide=, present=). */
  addMessages(messages: string[]): void {
    this.messages.append(...messages.map((m) => el('div', { class: 'error' }, m)));
  }

  /** Called once the page knows WebGPU works: runs the lesson when `autorun=1`. */
  ready(): void {
    if (this.options.autorun && this.page && this.options.webgpuOk) void this.page.run();
  }

  /** The open lesson page (tests). */
  get current(): LessonPage | undefined {
    return this.page;
  }

  private showList(): void {
    this.page?.destroy();
    this.page = undefined;
    const items = LESSONS.map((l, i) =>
      el(
        'li',
        { class: 'lesson-card', 'data-testid': `lesson-card-${l.id}` },
        el('a', { href: `${location.pathname}?tab=lessons&lesson=${l.id}`, onclick: (e: Event) => this.follow(e, l) }, `${i + 1}. ${l.title}`),
        el('p', {}, l.summary),
        el(
          'p',
          { class: 'hint' },
          `${l.experiments.length} experiment${l.experiments.length > 1 ? 's' : ''}, about ${l.expectedSeconds} s on a software adapter${l.experiments.some((e) => (e.kind === 'sweep' ? e.bench.link : e.train.link) === 'custom') ? ' · emulated link' : ''}`,
        ),
      ),
    );
    this.body.replaceChildren(
      el('h2', {}, 'Lessons: why communication limits scaling'),
      el(
        'p',
        { class: 'hint' },
        "Each lesson asks you to predict, runs a small experiment on the real ranks, and reveals what was measured beside the model. Add present=1 to a lesson's URL for a classroom.",
      ),
      el('ol', { class: 'lesson-list', 'data-testid': 'lesson-list' }, ...items),
    );
    this.sync();
  }

  private follow(e: Event, l: Lesson): void {
    e.preventDefault();
    this.showMessages([]);
    this.open(l, 1);
  }

  private open(lesson: Lesson, step: number): void {
    this.page?.destroy();
    const i = LESSONS.indexOf(lesson);
    const link = (l: Lesson | undefined, text: string): HTMLElement | null =>
      l ? el('a', { href: `${location.pathname}?tab=lessons&lesson=${l.id}`, onclick: (e: Event) => this.follow(e, l) }, text) : null;
    const back = el(
      'a',
      {
        href: `${location.pathname}?tab=lessons`,
        'data-testid': 'lessons-back',
        onclick: (e: Event) => {
          e.preventDefault();
          this.showList();
        },
      },
      '← all lessons',
    );
    this.page = new LessonPage(
      lesson,
      this.options.webgpuOk ? null : (this.options.blocked ?? 'Disabled: this page has no WebGPU or no cross-origin isolation (see the banner above).'),
      () => this.sync(),
      location.pathname,
    );
    this.body.replaceChildren(el('div', { class: 'lesson-links' }, back, link(LESSONS[i - 1], '← previous'), link(LESSONS[i + 1], 'next →')), this.page.root);
    this.page.go(step);
  }

  private sync(): void {
    if (!this.root.hidden) history.replaceState(null, '', this.href());
  }
}
