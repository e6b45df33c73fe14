/**
 * The what-if as text lines and JSON rows: what `npm run whatif` prints and writes (-J), and
 * what the page's export could reuse. Pure.
 */
import { formatBandwidth, formatDuration } from '../units';
import type { WhatIfConfig } from './config';
import { describeFabric } from './fabric';
import { decimalBytes, type WhatIfProjection } from './index';
import { FLOPS_PER_TOKEN_PER_PARAM, formatParamCount, MFU_SOURCE } from './models';
import { projectRow, type BisectionNeed, type WhatIfRow } from './project';

/** One row of the JSON report (snake_case, SI units in the names). */
export interface WhatIfRowJson {
  gpus: number;
  algorithm: string;
  per_gpu_batch: number;
  compute_s: number;
  comm_s: number;
  exposed_comm_s: number;
  step_s: number;
  efficiency: number;
  memory_per_gpu_bytes: number;
  fits: boolean;
  hops: number;
  bisection_bytes_per_s: number;
  overlap_holds: boolean;
}

export function rowJson(r: WhatIfRow): WhatIfRowJson {
  return {
    gpus: r.gpus,
    algorithm: r.algorithm,
    per_gpu_batch: r.perGpuBatch,
    compute_s: r.computeS,
    comm_s: r.commS,
    exposed_comm_s: r.exposedCommS,
    step_s: r.stepS,
    efficiency: r.efficiency,
    memory_per_gpu_bytes: r.memoryPerGpuBytes,
    fits: r.fits,
    hops: r.hops,
    bisection_bytes_per_s: r.bisectionBytesPerS,
    overlap_holds: r.overlapHolds,
  };
}

/** The -J report: config, model, fabric, one row per GPU count, the answers, every algorithm's rows. */
export function whatIfJson(config: WhatIfConfig, p: WhatIfProjection): unknown {
  const a = p.answers;
  return {
    tool: 'ringlab whatif',
    kind: 'model (projection, not a measurement)',
    config: { ...config, outputFile: undefined },
    model: p.model,
    fabric: { ...p.fabric, description: describeFabric(p.fabric), link_source: p.linkSource },
    rows: p.rows.map(rowJson),
    answers: {
      at_gpus: a.at,
      overlap_stops_at_gpus: a.overlapStopsAt,
      efficiency_below_half_at_gpus: a.efficiencyBelowHalfAt,
      scanned_up_to_gpus: a.scannedUpTo,
      min_global_batch_tokens: a.minGlobalBatchTokens,
      bisection_for_90pct_bytes_per_s: a.bisectionFor90.bisectionBytesPerS,
      link_for_90pct_bytes_per_s_per_gpu: a.bisectionFor90.perGpuBytesPerS,
      bisection_now_bytes_per_s: a.bisectionFor90.currentBisectionBytesPerS,
      bisection_note: a.bisectionFor90.note,
      zero: a.zero.map((z) => ({ stage: z.stage, memory_per_gpu_bytes: z.totalBytes, fits: z.fits, min_gpus: z.minGpus, comm_factor: z.commFactor })),
    },
    crossovers: p.crossovers,
    notes: p.notes,
    curves: Object.fromEntries(p.curves.map((c) => [c.algorithm, c.rows.map(rowJson)])),
  };
}

const gb = decimalBytes;
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/** "needs 1.2 TB/s of bisection (9.4 GB/s per GPU); the fabric has 410 TB/s". */
export function describeBisectionNeed(b: BisectionNeed): string {
  if (b.bisectionBytesPerS === null || b.perGpuBytesPerS === null) return b.note ?? 'no answer';
  return `${formatBandwidth(b.bisectionBytesPerS)} of bisection (a ${formatBandwidth(b.perGpuBytesPerS)} link per GPU at this oversubscription); this fabric gives ${formatBandwidth(b.currentBisectionBytesPerS)}`;
}

/** The answers in sentences, for the page and the CLI. */
export function answerLines(config: WhatIfConfig, p: WhatIfProjection): string[] {
  const a = p.answers;
  const n = (x: number): string => x.toLocaleString('en-US');
  const row = p.rows.find((r) => r.gpus === a.at) ?? projectRow(p.input, config.algo, a.at);
  const lines: string[] = [];
  lines.push(
    `at ${n(a.at)} GPUs (${config.algo}): step ${formatDuration(row.stepS)} = compute ${formatDuration(row.computeS)} + exposed communication ${formatDuration(row.exposedCommS)}${row.stepS > row.computeS + row.exposedCommS + 1e-15 ? ' + optimizer' : ''} (communication ${formatDuration(row.commS)} in all); efficiency ${pct(row.efficiency)}; ${gb(row.memoryPerGpuBytes)} per GPU${row.fits ? '' : ' — does NOT fit'}`,
  );
  lines.push(
    a.overlapStopsAt === null
      ? `overlap condition (communication ≤ the compute it can hide behind) holds up to ${n(a.scannedUpTo)} GPUs`
      : `overlap condition stops holding at ${n(a.overlapStopsAt)} GPUs (there communication outlasts the ${config.zero === 3 ? 'forward + backward' : 'backward'} pass)`,
    a.efficiencyBelowHalfAt === null ? `efficiency stays at or above 50 % up to ${n(a.scannedUpTo)} GPUs` : `efficiency falls below 50 % at ${n(a.efficiencyBelowHalfAt)} GPUs`,
    `smallest global batch that keeps communication hidden at ${n(a.at)} GPUs: ${n(a.minGlobalBatchTokens)} tokens (${n(a.minGlobalBatchTokens / p.model.tokensPerSample)} samples)`,
    `for 90 % efficiency at ${n(a.at)} GPUs the fabric would need ${describeBisectionNeed(a.bisectionFor90)}`,
  );
  lines.push(
    `memory per GPU at ${n(a.at)} GPUs (Ultra-Scale Playbook accounting, activations not counted, ${(p.input.gpuMemoryBytes / 1e9).toFixed(0)} GB per GPU): ${a.zero
      .map(
        (z) =>
          `ZeRO-${z.stage} ${gb(z.totalBytes)} (${z.fits ? 'fits' : 'does not fit'}${z.minGpus === null ? ', never fits' : z.minGpus > 1 ? `, fits from ${n(z.minGpus)} GPUs` : ''}${z.commFactor !== 1 ? `, ${z.commFactor}× the communication` : ''})`,
      )
      .join('; ')}`,
  );
  lines.push(`fastest all-reduce by GPU count: ${fastestRuns(p)}`);
  for (const c of p.crossovers.filter((c) => c.faster === config.algo || c.slower === config.algo)) {
    const fits = p.rows.find((r) => r.gpus === c.between[1])?.fits ?? true;
    lines.push(
      `crossover: ${c.faster} overtakes ${c.slower} between ${n(c.between[0])} and ${n(c.between[1])} GPUs${fits ? '' : ' (communication only: the replica does not fit there)'}`,
    );
  }
  return lines;
}

/** "ring (2–8), rabenseifner (16–131,072)": the algorithm with the shortest communication along the GPU counts. */
export function fastestRuns(p: WhatIfProjection): string {
  const runs: { algorithm: string; from: number; to: number }[] = [];
  p.gpus.forEach((n, i) => {
    if (n === 1) return;
    const best = p.curves.reduce((a, c) => (c.rows[i]!.commS < a.rows[i]!.commS ? c : a));
    const last = runs.at(-1);
    if (last && last.algorithm === best.algorithm) last.to = n;
    else runs.push({ algorithm: best.algorithm, from: n, to: n });
  });
  const n = (x: number): string => x.toLocaleString('en-US');
  return runs.map((r) => `${r.algorithm} (${r.from === r.to ? n(r.from) : `${n(r.from)}–${n(r.to)}`})`).join(', ') || 'one GPU: no communication';
}

/** The model and fabric header: what is assumed. */
export function headerLines(config: WhatIfConfig, p: WhatIfProjection): string[] {
  const m = p.model;
  return [
    `ringlab whatif: a MODEL of data-parallel training, not a measurement (same α-β cost model as the projected clock, with a datacenter's numbers)`,
    `model ${m.name}: ${formatParamCount(m.params)} parameters, ${m.tokensPerSample} tokens per sample, ${m.bytesPerGrad} bytes per gradient element; compute ${FLOPS_PER_TOKEN_PER_PARAM}·P FLOPs per token: ${m.computeNote}${m.id === 'measured' ? '' : ` (MFU default: ${MFU_SOURCE})`}`,
    `GPU ${config.gpu}; ${config.scaling === 'strong' ? `global batch ${config.globalBatch} samples split over the GPUs` : `${config.perGpuBatch} sample${config.perGpuBatch === 1 ? '' : 's'} per GPU`}; ZeRO-${config.zero}; buckets ${config.bucketMb} MiB; overlap ${config.overlap}`,
    `fabric: ${describeFabric(p.fabric)}; inside a node ${config.intraLink}; between nodes ${p.linkSource}`,
    ...p.notes.map((x) => `note: ${x}`),
  ];
}

/** One line per GPU count: the table the CLI prints. */
export function tableLines(p: WhatIfProjection): string[] {
  const head = `${'gpus'.padStart(8)} ${'batch/gpu'.padStart(9)} ${'compute'.padStart(10)} ${'comm'.padStart(10)} ${'exposed'.padStart(10)} ${'step'.padStart(10)} ${'eff%'.padStart(6)} ${'mem/gpu'.padStart(10)} ${'fits'.padStart(4)} ${'hops'.padStart(4)} ${'bisection'.padStart(11)}`;
  const lines = [head];
  for (const r of p.rows) {
    lines.push(
      `${String(r.gpus).padStart(8)} ${String(r.perGpuBatch).padStart(9)} ${formatDuration(r.computeS).padStart(10)} ${formatDuration(r.commS).padStart(10)} ${formatDuration(r.exposedCommS).padStart(10)} ${formatDuration(r.stepS).padStart(10)} ${(r.efficiency * 100).toFixed(1).padStart(6)} ${gb(r.memoryPerGpuBytes).padStart(10)} ${(r.fits ? 'yes' : 'NO').padStart(4)} ${String(r.hops).padStart(4)} ${formatBandwidth(r.bisectionBytesPerS).padStart(11)}`,
    );
  }
  return lines;
}
