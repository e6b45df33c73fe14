/**
 * What the sweep lessons compute from their rows: the full config of an experiment, the α-β
 * model of the emulated link the sweep ran on (costed on the algorithm's own schedule), the
 * fitted model, and where two measured curves cross.
 */
import { BENCH_TABLE, TRAIN_TABLE, defaults, type BenchConfig, type TrainConfig } from '../config';
import { scheduleCost } from '../cost';
import { crossover, type AlgorithmFit } from '../fit';
import { alphaBetaGammaOf, hierarchicalRanksPerNode, resolveLink } from '../link';
import { buildSchedule } from '../schedule';
import type { Algorithm } from '../schedule/types';
import { fitSweep } from '../sweep-fit';
import type { ChartSeries, SweepOutcome } from './types';

/**
 * The full bench config of a lesson's partial one (defaults filled, cross-checked).
 * @throws Error when the table had to repair a value: a lesson's config must be valid as written.
 */
export function benchConfigOf(partial: Partial<BenchConfig>): BenchConfig {
  const { config, errors } = BENCH_TABLE.check!({ ...defaults(BENCH_TABLE.fields), ...partial });
  if (errors.length) throw new Error(`lesson bench config: ${errors.map((e) => e.message).join('; ')}`);
  return config;
}

/** The full train config of a lesson's partial one. @throws Error when a value had to be repaired. */
export function trainConfigOf(partial: Partial<TrainConfig>): TrainConfig {
  const { config, errors } = TRAIN_TABLE.check!({ ...defaults(TRAIN_TABLE.fields), ...partial });
  if (errors.length) throw new Error(`lesson train config: ${errors.map((e) => e.message).join('; ')}`);
  return config;
}

/**
 * Time of one all-reduce of `bytes` under the α-β model of the config's emulated link (real
 * figures; a lesson never scales its link), costed on the algorithm's schedule, s. Null for
 * link 'none' (no model of the raw path).
 */
export function linkModelS(config: BenchConfig, bytes: number, algorithm: Algorithm = config.algo): number | null {
  const resolved = resolveLink({ ...config, scaled: false }, config.ranks, null);
  if (!resolved) return null;
  const rpn = hierarchicalRanksPerNode(config, algorithm);
  const schedule = buildSchedule(config.collective, algorithm, config.ranks, Math.max(1, Math.floor(bytes / 4)), { root: config.root, ...(rpn ? { ranksPerNode: rpn } : {}) });
  return scheduleCost(schedule, { alphaS: 0, betaSPerByte: 0, gammaSPerByte: 0 }, 4, alphaBetaGammaOf(resolved)).timeS;
}

/**
 * Which time of a size a lesson reads: nccl-tests' mean over the timed iterations, or their
 * median (a stall of the shared machine moves a mean of a few iterations, not their median).
 */
export type SizeStatistic = 'mean' | 'median';

function timeOf(r: { timeUs: number; medianUs: number }, statistic: SizeStatistic): number {
  return statistic === 'median' ? r.medianUs : r.timeUs;
}

/** The α-β fit of a sweep's rows, or null when there is none (one rank, one size). */
export function fitOf(o: SweepOutcome, statistic: SizeStatistic = 'mean'): AlgorithmFit | null {
  const c = o.config;
  const rpn = hierarchicalRanksPerNode(c, c.algo);
  const rows = o.rows.map((r) => ({ ...r, timeUs: timeOf(r, statistic) }));
  const f = fitSweep({ collective: c.collective, algorithm: c.algo, ranks: c.ranks, root: c.root, ...(rpn ? { ranksPerNode: rpn } : {}) }, rows);
  return 'error' in f ? null : f;
}

/**
 * Where the measured curves of `a` and `b` cross: the first pair of adjacent sizes (measured in
 * both) between which a − b changes sign, interpolated in log–log. Null when one stays below.
 */
export function measuredCrossoverBytes(a: SweepOutcome, b: SweepOutcome): number | null {
  const sizes = a.rows.map((r) => r.bytes).filter((s) => b.rows.some((r) => r.bytes === s));
  const d = (s: number): number => Math.log(a.rows.find((r) => r.bytes === s)!.timeUs / b.rows.find((r) => r.bytes === s)!.timeUs);
  for (let i = 1; i < sizes.length; i++) {
    const [s0, s1] = [sizes[i - 1]!, sizes[i]!];
    const [d0, d1] = [d(s0), d(s1)];
    if (d0 === 0) return s0;
    if (Math.sign(d0) !== Math.sign(d1)) {
      const t = d0 / (d0 - d1);
      return Math.exp(Math.log(s0) + t * (Math.log(s1) - Math.log(s0)));
    }
  }
  return null;
}

/** Where the fitted models of two sweeps cross over their common size range, or null. */
export function fittedCrossoverBytes(a: SweepOutcome, b: SweepOutcome): number | null {
  const fa = fitOf(a);
  const fb = fitOf(b);
  if (!fa || !fb) return null;
  const lo = Math.min(a.rows[0]!.bytes, b.rows[0]!.bytes);
  const hi = Math.max(a.rows.at(-1)!.bytes, b.rows.at(-1)!.bytes);
  return hi > lo ? crossover(fa, fb, lo, hi) : null;
}

/** Where the link model's curves of two configs cross between `lo` and `hi` bytes, or null. */
export function linkModelCrossoverBytes(a: BenchConfig, b: BenchConfig, lo: number, hi: number): number | null {
  const pa = { predictS: (n: number) => linkModelS(a, n) ?? NaN };
  const pb = { predictS: (n: number) => linkModelS(b, n) ?? NaN };
  if (Number.isNaN(pa.predictS(lo)) || Number.isNaN(pb.predictS(lo))) return null;
  return crossover(pa, pb, lo, hi);
}

/** Measured time against size for a chart series, and the link model's curve (dashed). */
export function sweepSeries(o: SweepOutcome, statistic: SizeStatistic = 'mean'): ChartSeries[] {
  const measured: ChartSeries = {
    label: `${o.label} (measured${statistic === 'median' ? ', median per size' : ''})`,
    points: o.rows.map((r) => ({ x: r.bytes, y: timeOf(r, statistic) / 1e3 })),
  };
  const model = o.rows.map((r) => ({ x: r.bytes, y: (linkModelS(o.config, r.bytes) ?? NaN) * 1e3 })).filter((p) => Number.isFinite(p.y));
  return model.length ? [measured, { label: `${o.label} (α-β model of the link)`, points: model, dashed: true }] : [measured];
}
