/**
 * Small helpers shared by the lessons' reveal functions: finding an experiment's outcome,
 * figures with their text, the guess against the answer.
 */
import { formatDuration } from '../units';
import type { Figure, Guess, Outcome, Prediction, Reveal, SweepOutcome, TrainOutcome, TrainPointOutcome } from './types';

/** Three significant digits, no trailing zeros. */
export function sig3(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(3)));
}

export function pct(x: number): string {
  return `${sig3(x * 100)} %`;
}

export function fig(label: string, value: number, unit: string, text?: string): Figure {
  return { label, value, unit, text: text ?? `${sig3(value)}${unit ? ` ${unit}` : ''}` };
}

export function timeFig(label: string, seconds: number): Figure {
  return { label, value: seconds, unit: 's', text: formatDuration(seconds) };
}

/** A byte count to three significant digits in binary units: 422866 → "413 KiB". */
export function approxBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  let x = bytes;
  while (Math.abs(x) >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${sig3(i === 0 ? Math.round(x) : x)} ${units[i]}`;
}

export function bytesFig(label: string, bytes: number): Figure {
  return { label, value: bytes, unit: 'B', text: approxBytes(bytes) };
}

/** The sweep outcome labelled `label`. @throws Error naming the labels present. */
export function sweepOf(outcomes: readonly Outcome[], label: string): SweepOutcome {
  const o = outcomes.find((x) => x.label === label);
  if (o?.kind !== 'sweep') throw new Error(`no sweep '${label}' among ${outcomes.map((x) => x.label).join(', ') || 'no outcomes'}`);
  if (o.rows.length === 0) throw new Error(`sweep '${label}' has no rows`);
  return o;
}

/** The training outcome labelled `label`. @throws Error naming the labels present. */
export function trainOf(outcomes: readonly Outcome[], label: string): TrainOutcome {
  const o = outcomes.find((x) => x.label === label);
  if (o?.kind !== 'train') throw new Error(`no training run '${label}' among ${outcomes.map((x) => x.label).join(', ') || 'no outcomes'}`);
  if (o.points.length === 0) throw new Error(`training run '${label}' has no points`);
  return o;
}

/** The point at `ranks` of a training outcome. @throws Error naming the rank counts present. */
export function pointAt(o: TrainOutcome, ranks: number): TrainPointOutcome {
  const p = o.points.find((x) => x.ranks === ranks);
  if (!p) throw new Error(`training run '${o.label}' has no point at ${ranks} ranks (has ${o.points.map((x) => x.ranks).join(', ')})`);
  return p;
}

/** The guess in words, and whether it matches the measured answer. */
export function judgeGuess(prediction: Prediction, guess: Guess, answer: Reveal['answer'], tolerance = 0.25): Reveal['guess'] {
  if (guess === null) return { text: 'no prediction made', correct: null };
  if (prediction.kind === 'choice' && guess.kind === 'choice') {
    const label = prediction.choices.find((c) => c.id === guess.id)?.label ?? guess.id;
    return { text: label, correct: answer.kind === 'choice' ? answer.id === guess.id : null };
  }
  if (prediction.kind === 'number' && guess.kind === 'number') {
    const text = `${sig3(guess.value)} ${prediction.unit}`.trim();
    if (answer.kind !== 'number') return { text, correct: null };
    // Within `tolerance` relative (in log space for log sliders: within a factor 10^tolerance... of 2).
    const close = prediction.log
      ? Math.abs(Math.log10(guess.value / answer.value)) <= 0.3
      : Math.abs(guess.value - answer.value) <= tolerance * Math.max(Math.abs(answer.value), prediction.step);
    return { text, correct: close };
  }
  return { text: 'a guess of the wrong kind', correct: null };
}

/** Software-adapter caveat for `why`. */
export function softwareNote(software: boolean): string {
  return software ? ' This ran on a software adapter (SwiftShader) sharing two CPU cores between every rank, so timing noise is large.' : '';
}
