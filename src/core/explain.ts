/**
 * "Why this number?": every figure the page shows, as its formula, the formula with the live
 * numbers put in, the value, its unit and a note (DESIGN.md §5, §6). Pure; the value is always
 * computed by the same function the page uses for the figure, so the explanation cannot
 * disagree with what it explains.
 */
import { costCoefficients, scheduleCost } from './cost';
import { GPUS, similarityRatio, type AlphaBetaGamma, type GpuId } from './link';
import { algbwGBps, busbwFactor } from './metrics';
import type { Collective, Schedule } from './schedule/types';

export interface Explanation {
  formula: string;
  substituted: string;
  value: number;
  unit: string;
  note: string;
}

/**
 * How the substituted strings print numbers: integers below 1e10 exactly (byte counts must
 * read as counted), others to four significant digits, plain or in exponent form.
 */
export function formatNumber(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (Number.isInteger(x) && a < 1e10) return String(x);
  if (a >= 1e-3 && a < 1e7) return String(Number(x.toPrecision(4)));
  return x.toExponential(3).replace(/\.?0+e/, 'e');
}

const f = formatNumber;

/** algbw = S / t (nccl-tests), GB/s with 1 GB = 1e9 B. */
export function explainAlgbw(bytes: number, timeS: number): Explanation {
  const value = algbwGBps(bytes, timeS);
  return {
    formula: 'algbw = S / t',
    substituted: `algbw = ${f(bytes)} B / ${f(timeS)} s = ${f(value)} GB/s`,
    value,
    unit: 'GB/s',
    note: "S is the message size, t the slowest rank's time averaged over the timed iterations; 1 GB = 1e9 bytes.",
  };
}

/** The factor's formula per collective (nccl-tests doc/PERFORMANCE.md). */
const FACTOR_FORMULA: Record<Collective, (n: number) => [string, string]> = {
  all_reduce: (n) => ['2(n−1)/n', `2·(${n}−1)/${n}`],
  reduce_scatter: (n) => ['(n−1)/n', `(${n}−1)/${n}`],
  all_gather: (n) => ['(n−1)/n', `(${n}−1)/${n}`],
  broadcast: () => ['1', '1'],
};

/** busbw = algbw × factor, the factor depending on the collective. */
export function explainBusbw(collective: Collective, ranks: number, bytes: number, timeS: number): Explanation {
  const algbw = algbwGBps(bytes, timeS);
  const factor = busbwFactor(collective, ranks);
  const value = algbw * factor;
  const [symbolic, numeric] = FACTOR_FORMULA[collective](ranks);
  return {
    formula: `busbw = algbw × ${symbolic}`,
    substituted: `busbw = ${f(algbw)} GB/s × ${numeric} = ${f(algbw)} × ${f(factor)} = ${f(value)} GB/s`,
    value,
    unit: 'GB/s',
    note: `${collective} moves ${symbolic} of the message over each rank's busiest link, so busbw is comparable to the link's own speed whatever n is.`,
  };
}

/**
 * The α-β-γ prediction for a schedule on one link: t = α·a + β·b + γ·c with a (latencies on
 * the critical path), b (bytes sent on it) and c (bytes reduced on it) read from the schedule.
 * `linkSource` says where α, β, γ come from ('fitted to this sweep', 'preset NVLink 4', ...).
 */
export function explainPredictedTime(schedule: Schedule, link: AlphaBetaGamma, linkSource: string, bytesPerElement = 4): Explanation {
  const c = costCoefficients(schedule, bytesPerElement);
  const value = link.alphaS * c.latencyTerms + link.betaSPerByte * c.betaBytes + link.gammaSPerByte * c.gammaBytes;
  const exact = scheduleCost(schedule, link, bytesPerElement).timeS;
  const uneven =
    Math.abs(exact - value) > 1e-9 * Math.max(exact, 1e-12)
      ? ` Step by step the model gives ${f(exact)} s: segments differ by an element, so the sum of terms is an upper bound.`
      : '';
  return {
    formula: 't = α·a + β·b + γ·c',
    substituted: `t = ${f(link.alphaS)} s × ${f(c.latencyTerms)} + ${f(link.betaSPerByte)} s/B × ${f(c.betaBytes)} B + ${f(link.gammaSPerByte)} s/B × ${f(c.gammaBytes)} B = ${f(value)} s`,
    value,
    unit: 's',
    note:
      `${schedule.algorithm} ${schedule.collective} on ${schedule.ranks} ranks, ${schedule.steps.length} steps: a = ${f(c.latencyTerms)} message latencies, ` +
      `b = ${f(c.betaBytes)} bytes and c = ${f(c.gammaBytes)} reduced bytes on the critical path, read from the schedule; α, β, γ ${linkSource}.${uneven}`,
  };
}

/** Strong (fixed global batch): T₁/(N·T_N); weak (fixed per-rank batch): T₁/T_N. */
export function explainEfficiency(kind: 'strong' | 'weak', t1S: number, tNS: number, n: number): Explanation {
  if (kind === 'strong') {
    const value = t1S / (n * tNS);
    return {
      formula: 'E_strong = T₁ / (N·T_N)',
      substituted: `E = ${f(t1S)} s / (${n} × ${f(tNS)} s) = ${f(value)}`,
      value,
      unit: '',
      note: 'Same global batch: ideal N GPUs finish a step N times faster. 1 is perfect.',
    };
  }
  const value = t1S / tNS;
  return {
    formula: 'E_weak = T₁ / T_N',
    substituted: `E = ${f(t1S)} s / ${f(tNS)} s = ${f(value)}`,
    value,
    unit: '',
    note: 'Same per-rank batch: ideal N GPUs take as long per step as one. 1 is perfect.',
  };
}

/** overlap% = max(0, 100·(1 − (T_step − T_compute)/T_comm)) (OSU; DESIGN.md §6). */
export function explainOverlap(stepS: number, computeS: number, commS: number): Explanation {
  const formula = 'overlap% = max(0, 100·(1 − (T_step − T_compute) / T_comm))';
  if (!(commS > 0)) {
    return { formula, substituted: `T_comm = ${f(commS)} s: nothing to hide`, value: 100, unit: '%', note: 'No communication this step; shown as fully overlapped.' };
  }
  const raw = 100 * (1 - (stepS - computeS) / commS);
  // Exposed time below zero (step shorter than compute) is timer noise; cap at 100%.
  const value = Math.min(100, Math.max(0, raw));
  return {
    formula,
    substituted: `overlap% = max(0, 100 × (1 − (${f(stepS)} s − ${f(computeS)} s) / ${f(commS)} s)) = ${f(value)} %`,
    value,
    unit: '%',
    note: `Exposed communication is T_step − T_compute = ${f(stepS - computeS)} s of ${f(commS)} s.${raw > 100 ? ' Step shorter than compute (timer noise): capped at 100%.' : ''}`,
  };
}

/** Similarity ratio = this GPU's measured FLOP/s ÷ the real GPU's FP32 peak (DESIGN.md §5). */
export function explainSimilarity(measuredFlops: number, gpuId: GpuId): Explanation {
  const value = similarityRatio(measuredFlops, gpuId);
  const gpu = GPUS[gpuId];
  return {
    formula: 'ratio = measured FLOP/s / peak FP32 FLOP/s',
    substituted: `ratio = ${f(measuredFlops)} / ${f(gpu.peakFlopsFp32)} = ${f(value)}`,
    value,
    unit: '',
    note: `Links are scaled by it (bandwidth × ratio, latency ÷ ratio) so compute:communication matches a ${gpu.name} cluster; peak from ${gpu.source}.`,
  };
}
