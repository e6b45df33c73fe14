/** The reveal: guess, measurement and model side by side, the sentence, the verdict, "try this next". */
import { tryNextSearch, type Lesson, type Reveal } from '../../core/lessons';
import { el } from '../dom';

function figureList(title: string, figures: Reveal['measured'], testid: string): HTMLElement {
  return el(
    'div',
    { class: 'reveal-col', 'data-testid': testid },
    el('h4', {}, title),
    el('table', {}, el('tbody', {}, ...figures.map((f) => el('tr', {}, el('td', {}, f.label), el('td', { class: 'num' }, f.text))))),
  );
}

/** Renders `reveal` of `lesson`; `base` is the page path the "try next" links start from. */
export function revealView(lesson: Lesson, reveal: Reveal, base: string): HTMLElement {
  const guessMark = reveal.guess.correct === null ? '' : reveal.guess.correct ? ' ✓ matches the measurement' : ' ✗ not what was measured';
  const answerText = reveal.answer.kind === 'choice' ? reveal.answer.label : reveal.answer.text;
  return el(
    'div',
    { class: `reveal ${reveal.verdict}`, 'data-testid': 'reveal', 'data-verdict': reveal.verdict },
    el(
      'div',
      { class: 'reveal-cols' },
      el(
        'div',
        { class: 'reveal-col', 'data-testid': 'reveal-guess' },
        el('h4', {}, 'Your guess'),
        el('p', { class: 'big' }, reveal.guess.text, el('span', { class: reveal.guess.correct ? 'ok' : 'miss' }, guessMark)),
        el('h4', {}, 'Measured answer'),
        el('p', { class: 'big', 'data-testid': 'reveal-answer' }, answerText),
      ),
      figureList('Measured', reveal.measured, 'reveal-measured'),
      figureList('Model', reveal.model, 'reveal-model'),
    ),
    el('p', { class: 'sentence', 'data-testid': 'reveal-sentence' }, reveal.sentence),
    el(
      'p',
      { class: 'verdict', 'data-testid': 'reveal-verdict' },
      reveal.verdict === 'holds' ? "The measurement shows the lesson's claim." : "The measurement does NOT show the lesson's claim here. ",
      reveal.why ?? '',
    ),
    el('p', { class: 'takeaway' }, el('strong', {}, 'Take away: '), lesson.takeaway),
    el(
      'div',
      { class: 'try-next' },
      el('strong', {}, 'Try this next: '),
      ...lesson.tryNext.map((t) => el('a', { href: `${base}${tryNextSearch(t)}`, 'data-testid': 'try-next' }, t.label)),
    ),
  );
}
