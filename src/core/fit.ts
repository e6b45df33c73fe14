/**
 * Fitting α, β (and γ) to measured collective times, and finding where two algorithms' curves
 * cross. The model is linear in the link parameters once the schedule's coefficient structure
 * is known (`costCoefficients`: how many latencies and how many β- and γ-bytes lie on the
 * critical path at a given size), so this is a small weighted least-squares problem:
 *   t_i ≈ α·x1_i + β·x2_i (+ γ·x3_i).
 * Ring all-reduce, for example, has x1 = 2(p−1), x2 = 2(p−1)/p·n, x3 = (p−1)/p·n.
 */
import { costCoefficients, type CostCoefficients } from './cost/schedule-cost';
import { buildSchedule, type Algorithm, type Collective, type ScheduleOptions } from './schedule';
import { runToEnd, type Steps } from './steps';

/** One timed operation: message size in bytes and its time in seconds. */
export interface Measurement {
  bytes: number;
  timeS: number;
}

/** A measurement with the coefficients of the algorithm that produced it. */
export interface FitSample extends Measurement {
  coefficients: CostCoefficients;
}

export interface FitOptions {
  /**
   * Also fit γ. It is identifiable only when the γ-bytes are not proportional to the β-bytes
   * across the samples (they are for any single all-reduce algorithm: ring has x3 = x2/2), e.g.
   * by fitting ring and recursive doubling together. When it is not, γ comes back null and β
   * absorbs it. Default false.
   */
  withGamma?: boolean;
  /** 'relative' (default) minimises Σ((t − t̂)/t)²; 'absolute' minimises Σ(t − t̂)². */
  weighting?: 'relative' | 'absolute';
}

export interface CostFit {
  alphaS: number;
  /** Without γ this is the effective β: it includes the reduction cost per byte on the path. */
  betaSPerByte: number;
  gammaSPerByte: number | null;
  /** Conventional R² of t: near 1 for any decade-spanning sweep, dominated by the largest sizes. */
  r2: number;
  /** R² of ln t: says how well small sizes fit too. NaN if a prediction is ≤ 0. */
  r2Log: number;
  /** max_i |t̂_i − t_i| / t_i. */
  maxRelError: number;
  /** n* = α/β: the message size at which one message's latency equals its transfer time. */
  nStarBytes: number;
  samples: number;
}

/** A fit of one algorithm that can also predict its time at any size. */
export interface AlgorithmFit extends CostFit {
  predictS(bytes: number): number;
}

/** Coefficients of an algorithm as a function of the message size in bytes. */
export type CoefficientsOf = (bytes: number) => CostCoefficients;

/**
 * Below this, a (unit-norm, weighted) column is treated as a combination of the previous ones.
 * Rounding of uneven segments makes "proportional" columns differ by ~1e-6 relative; a γ
 * column closer to β's than 1e-4 would be fitted from noise anyway.
 */
const DEPENDENT_TOL = 1e-4;

/**
 * Weighted least squares by modified Gram–Schmidt on unit-scaled columns (the raw columns
 * differ by ~10 decades: a latency count vs bytes, so normal equations would lose most digits).
 * Returns null when a column depends on the previous ones.
 */
function leastSquares(columns: number[][], y: number[]): number[] | null {
  const norms = columns.map((c) => Math.hypot(...c));
  if (norms.some((n) => n === 0)) return null;
  const q: number[][] = [];
  const r: number[][] = columns.map(() => new Array<number>(columns.length).fill(0));
  for (let j = 0; j < columns.length; j++) {
    const v = columns[j]!.map((x) => x / norms[j]!);
    for (let i = 0; i < j; i++) {
      const dot = q[i]!.reduce((s, qi, k) => s + qi * v[k]!, 0);
      r[i]![j] = dot;
      for (let k = 0; k < v.length; k++) v[k]! -= dot * q[i]![k]!;
    }
    const len = Math.hypot(...v);
    if (len < DEPENDENT_TOL) return null;
    r[j]![j] = len;
    q.push(v.map((x) => x / len));
  }
  const qty = q.map((qj) => qj.reduce((s, x, k) => s + x * y[k]!, 0));
  const theta = new Array<number>(columns.length).fill(0);
  for (let j = columns.length - 1; j >= 0; j--) {
    let s = qty[j]!;
    for (let i = j + 1; i < columns.length; i++) s -= r[j]![i]! * theta[i]!;
    theta[j] = s / r[j]![j]!;
  }
  return theta.map((t, j) => t / norms[j]!);
}

function rSquared(actual: number[], predicted: number[]): number {
  const mean = actual.reduce((a, b) => a + b, 0) / actual.length;
  const ssTot = actual.reduce((s, a) => s + (a - mean) ** 2, 0);
  const ssRes = actual.reduce((s, a, i) => s + (a - predicted[i]!) ** 2, 0);
  return ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
}

/**
 * Fits α, β (and γ if asked and identifiable) to samples that may come from several
 * algorithms. Default weighting is relative (weights 1/t²): a sweep spans 4 B to hundreds of
 * MB, so times span several decades, and an unweighted fit would let the largest sizes decide
 * everything and leave α, which lives in the small sizes, at the mercy of their noise. Timing
 * noise is also roughly multiplicative (a percentage of t), so 1/t² is the matching weight.
 * Throws when the samples cannot determine α and β (fewer than two distinct coefficient rows).
 */
export function fitCost(samples: FitSample[], options: FitOptions = {}): CostFit {
  const weight = (s: FitSample): number => (options.weighting === 'absolute' ? 1 : 1 / s.timeS);
  for (const s of samples) {
    if (!(s.timeS > 0) || !(s.bytes > 0)) throw new Error(`fitCost: sample with bytes=${s.bytes} timeS=${s.timeS}; both must be > 0`);
  }
  const y = samples.map((s) => s.timeS * weight(s));
  const col = (f: (c: CostCoefficients) => number): number[] => samples.map((s) => f(s.coefficients) * weight(s));
  const alphaBeta = [col((c) => c.latencyTerms), col((c) => c.betaBytes)];
  let theta = options.withGamma ? leastSquares([...alphaBeta, col((c) => c.gammaBytes)], y) : null;
  const gammaIdentified = theta !== null;
  theta ??= leastSquares(alphaBeta, y);
  if (!theta) throw new Error('fitCost: α and β are not identifiable: measure at least two sizes far apart');
  const [alphaS, betaSPerByte, gamma] = theta as [number, number, number | undefined];
  const gammaSPerByte = gammaIdentified ? (gamma ?? 0) : null;
  const predicted = samples.map((s) => alphaS * s.coefficients.latencyTerms + betaSPerByte * s.coefficients.betaBytes + (gammaSPerByte ?? 0) * s.coefficients.gammaBytes);
  const actual = samples.map((s) => s.timeS);
  return {
    alphaS,
    betaSPerByte,
    gammaSPerByte,
    r2: rSquared(actual, predicted),
    r2Log: predicted.every((p) => p > 0) ? rSquared(actual.map(Math.log), predicted.map(Math.log)) : NaN,
    maxRelError: Math.max(...samples.map((s, i) => Math.abs(predicted[i]! - s.timeS) / s.timeS)),
    nStarBytes: alphaS / betaSPerByte,
    samples: samples.length,
  };
}

/**
 * Coefficients of one collective algorithm at any size, from its schedule costed with unit α,
 * β, γ (memoised by element count; bytes are rounded to whole elements).
 */
export function scheduleCoefficients(collective: Collective, algorithm: Algorithm, ranks: number, options: ScheduleOptions = {}, bytesPerElement = 4): CoefficientsOf {
  const cache = new Map<number, CostCoefficients>();
  return (bytes) => {
    const count = Math.max(1, Math.round(bytes / bytesPerElement));
    let c = cache.get(count);
    if (!c) {
      c = costCoefficients(buildSchedule(collective, algorithm, ranks, count, options), bytesPerElement);
      cache.set(count, c);
    }
    return c;
  };
}

/** Fits one algorithm's measured sweep; the result can predict the time at any size. */
export function fitAlgorithm(points: Measurement[], coefficientsOf: CoefficientsOf, options: FitOptions = {}): AlgorithmFit {
  const fit = fitCost(
    points.map((p) => ({ ...p, coefficients: coefficientsOf(p.bytes) })),
    options,
  );
  const predictS = (bytes: number): number => {
    const c = coefficientsOf(bytes);
    return fit.alphaS * c.latencyTerms + fit.betaSPerByte * c.betaBytes + (fit.gammaSPerByte ?? 0) * c.gammaBytes;
  };
  return { ...fit, predictS };
}

/**
 * The smallest message size in [minBytes, maxBytes] at which the predicted curves of `a` and `b`
 * cross, or null if one stays below the other throughout. Scans a log-spaced grid (curves
 * span decades, and a coarse linear grid would miss a crossing at small sizes), then bisects
 * (in log space) the first interval where the sign of a − b changes.
 */
export function crossover(a: Pick<AlgorithmFit, 'predictS'>, b: Pick<AlgorithmFit, 'predictS'>, minBytes: number, maxBytes: number, gridPoints = 128): number | null {
  return runToEnd(crossoverSearch(a, b, minBytes, maxBytes, gridPoints));
}

/**
 * `crossover` as steps: yields after every pair of model evaluations (each may build a schedule
 * of thousands of steps), so the page can spread the search over several short tasks
 * (ui/dom.ts `runSliced`; issue 8: no main-thread task over 50 ms).
 */
export function* crossoverSearch(a: Pick<AlgorithmFit, 'predictS'>, b: Pick<AlgorithmFit, 'predictS'>, minBytes: number, maxBytes: number, gridPoints = 128): Steps<number | null> {
  if (!(minBytes > 0) || !(maxBytes > minBytes)) throw new Error(`crossover: need 0 < minBytes < maxBytes, got ${minBytes}, ${maxBytes}`);
  const diff = (bytes: number): number => a.predictS(bytes) - b.predictS(bytes);
  const lo = Math.log(minBytes);
  const step = (Math.log(maxBytes) - lo) / (gridPoints - 1);
  let prevX = lo;
  let prevD = diff(minBytes);
  if (prevD === 0) return minBytes;
  for (let i = 1; i < gridPoints; i++) {
    yield;
    const x = lo + i * step;
    const d = diff(Math.exp(x));
    if (d === 0) return Math.exp(x);
    if (Math.sign(d) !== Math.sign(prevD)) {
      let [l, h, dl] = [prevX, x, prevD];
      for (let k = 0; k < 100 && h - l > 1e-12; k++) {
        yield;
        const m = (l + h) / 2;
        const dm = diff(Math.exp(m));
        if (dm === 0) return Math.exp(m);
        if (Math.sign(dm) === Math.sign(dl)) [l, dl] = [m, dm];
        else h = m;
      }
      return Math.exp((l + h) / 2);
    }
    [prevX, prevD] = [x, d];
  }
  return null;
}
