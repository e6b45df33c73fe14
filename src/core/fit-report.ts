/**
 * The fitted α-β(-γ) model over several measured sweeps of one collective: one fit per
 * algorithm, a joint fit of one link (α, β and γ) over all of them, and the sizes where one
 * algorithm's fitted curve overtakes another's. Pure text for the CLI; the page draws the same.
 */
import { fitCost, scheduleCoefficients, type AlgorithmFit, type FitSample } from './fit';
import { crossoverStatements } from './crossover-statements';
import type { BenchRow } from './nccl-format';
import { fitSweep, type SweepIdentity } from './sweep-fit';
import { formatBytes } from './units';

export interface MeasuredSweep {
  id: SweepIdentity;
  rows: readonly BenchRow[];
}

const pad = (s: string, n: number): string => s.padEnd(n);
const num = (x: number, p = 4): string => (Number.isFinite(x) ? x.toPrecision(p) : 'n/a');

/** @param link the interconnect every sweep ran on (they are compared only with each other). */
export function fitReportLines(sweeps: readonly MeasuredSweep[], minBytes: number, maxBytes: number, link = "this run's link"): string[] {
  const lines = [
    '#',
    '# α-β fit per algorithm (measured clock): t(S) = α·(latency terms) + β·(bytes on the critical path), both counted from the schedule; relative least squares',
    `# ${pad('algorithm', 20)} ${pad('α (µs)', 11)} ${pad('1/β (GB/s)', 11)} ${pad('R²', 8)} ${pad('R² log t', 9)} ${pad('max rel err', 12)} n* = α/β`,
  ];
  const fits: { id: MeasuredSweep['id']; fit: AlgorithmFit }[] = [];
  for (const s of sweeps) {
    const f = fitSweep(s.id, s.rows);
    if ('error' in f) {
      lines.push(`# ${pad(s.id.algorithm, 20)} no fit: ${f.error}`);
      continue;
    }
    fits.push({ id: s.id, fit: f });
    lines.push(
      `# ${pad(s.id.algorithm, 20)} ${pad(num(f.alphaS * 1e6), 11)} ${pad(num(1 / f.betaSPerByte / 1e9), 11)} ${pad(f.r2.toFixed(4), 8)} ${pad(Number.isNaN(f.r2Log) ? 'n/a' : f.r2Log.toFixed(4), 9)} ${pad(`${(f.maxRelError * 100).toFixed(1)} %`, 12)} ${f.nStarBytes > 0 ? formatBytes(f.nStarBytes) : 'n/a (α ≤ 0)'}`,
    );
  }
  // One link for every algorithm: with several algorithms the reduction cost γ separates from β.
  const samples: FitSample[] = sweeps.flatMap((s) => {
    const coeff = scheduleCoefficients(s.id.collective, s.id.algorithm, s.id.ranks, { root: s.id.root, ...(s.id.ranksPerNode ? { ranksPerNode: s.id.ranksPerNode } : {}) });
    return s.rows.filter((r) => r.timeUs > 0).map((r) => ({ bytes: r.bytes, timeS: r.timeUs / 1e6, coefficients: coeff(r.bytes) }));
  });
  if (sweeps.length > 1 && samples.length >= 3) {
    try {
      const j = fitCost(samples, { withGamma: true });
      lines.push(
        `# joint fit, one link for all ${sweeps.length} algorithms: α ${num(j.alphaS * 1e6)} µs, 1/β ${num(1 / j.betaSPerByte / 1e9)} GB/s, ` +
          (j.gammaSPerByte === null ? 'γ not separable from β with these algorithms' : `γ ${num(j.gammaSPerByte * 1e9)} ns/B (reduction)`) +
          `, R² ${j.r2.toFixed(4)}, max rel err ${(j.maxRelError * 100).toFixed(1)} %`,
      );
    } catch (e) {
      lines.push(`# joint fit: not possible: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  // One rule with the page: within the measured sizes, extrapolation and weak fits said.
  const crossings = crossoverStatements(fits.map(({ id, fit }) => ({ id, fit, minBytes, maxBytes, link })));
  lines.push(
    `# crossovers of the fitted curves (measured ${formatBytes(minBytes)} to ${formatBytes(maxBytes)}):`,
    ...(crossings.length ? crossings.map((c) => `#   ${c}`) : ['#   none to compare']),
  );
  return lines;
}
