/**
 * What `npm run train` prints and writes: a header, one row per rank count on each clock
 * (measured in this browser; projected on a simulated cluster), and the -J JSON report.
 */
import type { ScalingPoint, ScalingResult } from '../cluster/scaling';
import type { TrainConfig } from '../core/config';
import { BREAKDOWN_DEFINITION } from '../core/step-breakdown';

/** Fixed-point, right-aligned; a rounding-level negative (clock jitter) prints as 0, not -0.000. */
const num = (x: number, width: number, digits = 2): string => (Number.isFinite(x) ? (Math.abs(x) < 0.5 * 10 ** -digits ? 0 : x).toFixed(digits) : 'n/a').padStart(width);

/** MFU in percent, with enough digits for a software adapter's fractions of a percent. */
const mfuPct = (x: number): string => (Number.isFinite(x) ? (x * 100).toPrecision(3) : 'n/a').padStart(10);

/** Column header and rows of one clock. */
export function clockTable(clock: 'measured' | 'projected', points: ScalingPoint[], scaling: 'strong' | 'weak'): string[] {
  const lines = [
    `#  ranks  batch  final-loss   acc%   step(ms)  compute(ms)  exposed-comm(ms)  idle(ms)   samples/s  ${scaling}-eff${clock === 'projected' ? '  overlap%' : ''}      mfu%`,
  ];
  for (const p of points) {
    const c = p[clock];
    lines.push(
      `${String(p.ranks).padStart(8)}${String(p.globalBatch).padStart(7)}${num(p.finalLoss, 12, 4)}${num(p.finalAccuracy * 100, 7, 1)}` +
        `${num(c.stepMs, 11, 3)}${num(c.computeMs, 13, 3)}${num(c.exposedCommMs, 18, 3)}${num(c.idleMs, 10, 3)}` +
        `${num(c.samplesPerS, 12, 1)}${num(c.efficiency, 12, 3)}${clock === 'projected' ? num(p.overlapPct, 10, 1) : ''}${mfuPct(c.utilization.mfu)}`,
    );
  }
  return lines;
}

/** The whole text report after the run. */
export function reportLines(config: TrainConfig, result: ScalingResult): string[] {
  const run0 = result.runs[0];
  const cal = run0?.calibration;
  const lines = [
    '#',
    `# MEASURED clock: wall time in this browser; every rank shares one ${run0?.environment?.isFallbackAdapter ? 'software ' : ''}GPU, so compute is contended.`,
    `# step = slowest rank's end − first start (the median step after the first); ${BREAKDOWN_DEFINITION}`,
    ...clockTable('measured', result.points, config.scaling),
    '#',
    `# PROJECTED clock: the last step replayed with compute calibrated uncontended` +
      (cal
        ? ` (${cal.method}; this GPU ${(cal.flopsPerS / 1e9).toPrecision(3)} GFLOP/s on the matmul probe or the model, the model itself ${(cal.modelFlopsPerS / 1e9).toPrecision(3)} GFLOP/s, at ${run0?.request.ranks} rank(s))`
        : '') +
      ' and each transfer costing α + bytes·β of its link:',
    ...result.runs.map((r) => `#   ranks ${r.request.ranks}: ${r.projected?.linkLabel ?? 'no projection'}`),
    ...clockTable('projected', result.points, config.scaling),
    '#',
    `# efficiency: ${config.scaling === 'strong' ? 'strong T₀·N₀/(N·T_N), fixed global batch' : 'weak T₀/T_N, fixed per-rank batch'}; measured step = median of steps after the first`,
    `# mfu%: model FLOPs utilization = 6·parameters·global batch per step / step time / (GPUs × this GPU's measured matmul peak${cal ? `, ${(cal.flopsPerS / 1e9).toPrecision(3)} GFLOP/s` : ''}); measured: 1 GPU shared by all ranks, projected: one GPU per rank`,
  ];
  // The protocol of each bucket's gradient all-reduce, and why (src/core/protocol-choice.ts).
  for (const run of result.runs) {
    if (run.request.ranks < 2) continue;
    const protocols = (run.buckets ?? []).map((b) => `bucket ${b.index} (${b.bytes} B): ${b.protocol ?? '?'}${b.protocolWhy?.startsWith('auto') ? ` (${b.protocolWhy})` : ''}`);
    if (protocols.length) lines.push(`# ranks ${run.request.ranks}: gradient all-reduce protocol: ${protocols.join('; ')}`);
  }
  for (const run of result.runs) {
    const h = run.paramHashes;
    // A failed or cancelled run has no hashes: say so rather than claim they differ.
    if (run.status !== 'done' || h.length === 0) lines.push(`# ranks ${run.request.ranks}: no parameter hashes (run ${run.status})`);
    else lines.push(`# ranks ${run.request.ranks}: parameter hashes after the last step ${new Set(h).size === 1 ? 'all equal' : 'DIFFER'} (${h.join(' ')})`);
  }
  return lines;
}

/** The -J report: config, environment, every run's step losses, hashes, calibration and both clocks. */
export function trainJsonReport(config: TrainConfig, result: ScalingResult): unknown {
  return {
    tool: 'ringlab train',
    config,
    status: result.status,
    ...(result.error ? { error: result.error } : {}),
    scaling: result.scaling,
    environment: result.runs[0]?.environment,
    points: result.points,
    runs: result.runs.map((r) => ({
      ranks: r.request.ranks,
      globalBatch: r.request.globalBatch,
      status: r.status,
      ...(r.error ? { error: r.error } : {}),
      losses: r.steps.map((s) => s.loss),
      accuracies: r.steps.map((s) => s.accuracy),
      stepMs: r.steps.map((s) => s.stepMs),
      paramHashes: r.paramHashes,
      buckets: r.buckets,
      calibration: r.calibration,
      measured: r.measured,
      projected: r.projected,
      timelines: r.timelines,
    })),
  };
}
