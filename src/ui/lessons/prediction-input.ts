/** The prediction question: radio choices, or a number on a slider (log-scaled when asked). */
import type { Guess, Prediction } from '../../core/lessons';
import { formatBytes } from '../../core/units';
import { el } from '../dom';

function formatValue(p: Extract<Prediction, { kind: 'number' }>, v: number): string {
  if (p.unit === 'B') return formatBytes(Math.round(v));
  const text = String(Number(v.toPrecision(3)));
  return p.unit === '×' || p.unit === '%' ? `${text}${p.unit === '%' ? ' %' : '×'}` : `${text} ${p.unit}`;
}

export class PredictionInput {
  readonly root: HTMLElement;
  private guess: Guess = null;
  private readonly inputs: HTMLInputElement[] = [];

  constructor(
    readonly prediction: Prediction,
    onChange: () => void = () => undefined,
  ) {
    this.root = el('fieldset', { class: 'prediction', 'data-testid': 'prediction' }, el('legend', {}, 'Predict: ', prediction.question));
    if (prediction.kind === 'choice') {
      for (const c of prediction.choices) {
        const input = el('input', { type: 'radio', name: 'lesson-guess', value: c.id, 'data-testid': `guess-${c.id}` });
        input.addEventListener('change', () => {
          this.guess = { kind: 'choice', id: c.id };
          onChange();
        });
        this.inputs.push(input);
        this.root.append(el('label', { class: 'choice' }, input, ` ${c.label}`));
      }
    } else {
      const p = prediction;
      const toSlider = (v: number): number => (p.log ? Math.log10(v) : v);
      const fromSlider = (s: number): number => (p.log ? 10 ** s : s);
      const slider = el('input', { type: 'range', min: toSlider(p.min), max: toSlider(p.max), step: p.step, 'data-testid': 'guess-slider' });
      slider.value = String(toSlider(p.initial));
      const shown = el('output', { class: 'guess-value', 'data-testid': 'guess-value' }, `${formatValue(p, p.initial)} (move the slider to guess)`);
      slider.addEventListener('input', () => {
        const v = fromSlider(Number(slider.value));
        this.guess = { kind: 'number', value: v };
        shown.textContent = formatValue(p, v);
        onChange();
      });
      this.inputs.push(slider);
      this.root.append(el('div', { class: 'slider-row' }, slider, shown));
    }
  }

  value(): Guess {
    return this.guess;
  }

  setDisabled(disabled: boolean): void {
    for (const i of this.inputs) i.disabled = disabled;
  }
}
