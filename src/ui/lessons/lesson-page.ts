/**
 * One lesson: its text and question (step 1), Run and the chart filling as results stream
 * in (step 2), the reveal (step 3). Steps up to the current one are shown; in presenter mode
 * only the current one, with the chart kept on screen from step 2.
 */
import { LESSON_STEPS, type Lesson, type Outcome, type Reveal, type Guess } from '../../core/lessons';
import { LessonChart } from '../charts/lesson-chart';
import { el } from '../dom';
import { LessonRunner } from './lesson-runner';
import { PredictionInput } from './prediction-input';
import { revealView } from './reveal-view';
import { TraceView } from './trace-view';

/** What a finished run left, for tests and the reveal. */
export interface LessonRecord {
  lessonId: string;
  guess: Guess;
  outcomes: Outcome[];
  reveal: Reveal | null;
  status: string;
  seconds: number;
  error?: string;
}

export class LessonPage {
  readonly root: HTMLElement;
  private step = 1;
  private readonly sections: HTMLElement[];
  private readonly chart: LessonChart;
  private readonly prediction: PredictionInput;
  private readonly runBtn: HTMLButtonElement;
  private readonly cancelBtn: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly revealBox: HTMLElement;
  private runner: LessonRunner | undefined;
  last: LessonRecord | undefined;

  private readonly webgpuOk: boolean;

  /**
   * @param blocked why Run is disabled (null: it is not); shown beside the button.
   * @param onStep called when the step changes (the view writes it into the URL).
   * @param base the page path that "try this next" links start from.
   */
  constructor(
    readonly lesson: Lesson,
    blocked: string | null,
    private readonly onStep: (step: number) => void,
    private readonly base: string,
  ) {
    this.webgpuOk = blocked === null;
    this.prediction = new PredictionInput(lesson.prediction);
    this.runBtn = el('button', { class: 'primary run-lesson', 'data-testid': 'lesson-run', onclick: () => void this.run() }, 'Run');
    this.cancelBtn = el('button', { disabled: true, 'data-testid': 'lesson-cancel', onclick: () => this.runner?.cancel() }, 'Cancel');
    if (blocked !== null) this.runBtn.disabled = true;
    this.status = el(
      'div',
      { class: 'status', role: 'status', 'data-testid': 'lesson-status' },
      blocked ?? `Pre-sized to take about ${lesson.expectedSeconds} s on a software adapter.`,
    );
    const canvas = el('canvas', { 'data-testid': 'lesson-chart' });
    this.revealBox = el('div', { class: 'reveal-box' }, 'Run the experiment first: the reveal is computed from what it measures.');
    const question = el(
      'section',
      { class: 'lesson-step', 'data-step': 1 },
      ...lesson.text.map((t) => el('p', { class: 'lesson-text' }, t)),
      lesson.emulation ? el('p', { class: 'emulation', 'data-testid': 'lesson-emulation' }, lesson.emulation) : null,
      this.prediction.root,
    );
    const run = el(
      'section',
      { class: 'lesson-step', 'data-step': 2 },
      el('div', { class: 'buttons' }, this.runBtn, this.cancelBtn),
      this.status,
      el('div', { class: 'chart lesson-chart' }, canvas),
    );
    const reveal = el('section', { class: 'lesson-step', 'data-step': 3 }, this.revealBox);
    this.sections = [question, run, reveal];
    const nav = el(
      'nav',
      { class: 'step-nav' },
      ...LESSON_STEPS.map((name, i) => el('button', { 'data-testid': `step-${i + 1}`, onclick: () => this.go(i + 1) }, `${i + 1} ${name}`)),
    );
    this.root = el('article', { class: 'lesson', 'data-testid': 'lesson', 'data-lesson': lesson.id }, el('h2', { class: 'lesson-title' }, lesson.title), nav, ...this.sections);
    this.chart = new LessonChart(canvas);
    this.chart.show(lesson.chart([]));
  }

  get currentStep(): number {
    return this.step;
  }

  /** Shows step `n` (1-based, clamped). */
  go(n: number): void {
    this.step = Math.max(1, Math.min(LESSON_STEPS.length, n));
    this.sections.forEach((s, i) => s.classList.toggle('later', i + 1 > this.step));
    this.sections.forEach((s, i) => s.classList.toggle('current', i + 1 === this.step));
    this.root.querySelectorAll('.step-nav button').forEach((b, i) => b.classList.toggle('active', i + 1 === this.step));
    // Presenter mode keeps the chart on screen beside the reveal.
    this.root.classList.toggle('at-reveal', this.step === 3);
    this.onStep(this.step);
  }

  /** Arrow right: next step; at step 2 before any run, Run. */
  forward(): void {
    if (this.step === 2 && !this.last && !this.runner) void this.run();
    else this.go(this.step + 1);
  }

  async run(): Promise<void> {
    if (this.runner || !this.webgpuOk) return;
    this.go(2);
    const guess = this.prediction.value();
    this.prediction.setDisabled(true);
    this.runBtn.disabled = true;
    this.cancelBtn.disabled = false;
    this.revealBox.replaceChildren('Running…');
    const runner = new LessonRunner(this.lesson, {
      onProgress: (outcomes, status) => {
        this.status.textContent = status;
        this.chart.show(this.lesson.chart(outcomes));
      },
    });
    this.runner = runner;
    const r = await runner.result;
    this.runner = undefined;
    this.cancelBtn.disabled = true;
    this.runBtn.disabled = false;
    this.prediction.setDisabled(false);
    this.runBtn.textContent = 'Run again';
    this.chart.show(this.lesson.chart(r.outcomes));
    const record: LessonRecord = {
      lessonId: this.lesson.id,
      guess,
      outcomes: r.outcomes,
      reveal: null,
      status: r.status,
      seconds: r.seconds,
      ...(r.error ? { error: r.error } : {}),
    };
    if (r.status !== 'done') {
      this.status.textContent = r.status === 'cancelled' ? 'Cancelled.' : `Run failed: ${r.error ?? 'unknown error'}`;
      this.revealBox.replaceChildren(this.status.textContent);
      this.last = record;
      return;
    }
    try {
      record.reveal = this.lesson.reveal(r.outcomes, guess);
      // The step-by-step buffers end with the answer, so they come with the reveal.
      this.revealBox.replaceChildren(revealView(this.lesson, record.reveal, this.base), ...(this.lesson.trace ? [new TraceView(this.lesson.trace()).root] : []));
      this.status.textContent = `Done in ${r.seconds.toFixed(1)} s.`;
    } catch (e) {
      record.error = e instanceof Error ? e.message : String(e);
      this.status.textContent = `Could not compute the reveal: ${record.error}`;
      this.revealBox.replaceChildren(this.status.textContent);
    }
    this.last = record;
    this.go(3);
  }

  /** Series and point counts on the chart (tests). */
  chartSeries(): { label: string; points: number }[] {
    return this.chart.seriesPoints();
  }

  destroy(): void {
    this.runner?.cancel();
    this.chart.destroy();
  }
}
