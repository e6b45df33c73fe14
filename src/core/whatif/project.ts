/**
 * The what-if projection (DESIGN.md §8): a model (measured, preset or custom) trained data
 * parallel on N GPUs of a fabric, one step: compute from 6·P FLOPs per token at an MFU (or the
 * measured step), gradient synchronisation as the bucketed all-reduce on the fabric
 * (allreduce.ts), overlap with the backward pass, memory per GPU with ZeRO (memory.ts).
 * It is the projected clock's cost model (α + bytes·β per message, steps bulk synchronous)
 * fed with a datacenter's numbers instead of this tab's. Pure.
 */
import type { Algorithm } from '../schedule/types';
import { fabricAllReduceS } from './allreduce';
import { bisectionBytesPerS, checkFabric, checkFits, fabricCapacity, jobLevel, hopsAt, withInterBandwidth, type Fabric } from './fabric';
import { minGpusToFit, zeroMemory, type MemoryBreakdown, type ZeroStage } from './memory';

/** Everything a projection needs, resolved from the config (resolve.ts). */
export interface WhatIfInput {
  params: number;
  tokensPerSample: number;
  bytesPerGrad: number;
  optimizerBytesPerParam: number;
  /** Forward + backward of one sample on one GPU, s. */
  computePerSampleS: number;
  backwardFraction: number;
  tailS: number;
  gpuMemoryBytes: number;
  fabric: Fabric;
  bucketBytes: number;
  overlap: boolean;
  scaling: 'strong' | 'weak';
  globalBatch: number;
  perGpuBatch: number;
  zero: ZeroStage;
}

export interface WhatIfRow {
  gpus: number;
  algorithm: Algorithm;
  /** Samples on the busiest GPU this step. */
  perGpuBatch: number;
  computeS: number;
  /** Gradient synchronisation of one step (ZeRO-3: its parameter all-gathers too). */
  commS: number;
  exposedCommS: number;
  stepS: number;
  /** (useful compute + tail) / step: 1 when communication is free and the batch splits evenly. */
  efficiency: number;
  memoryPerGpuBytes: number;
  fits: boolean;
  /** Switches a message crosses at the top of this job. */
  hops: number;
  bisectionBytesPerS: number;
  /** The overlap condition: communication ≤ the compute it could hide behind (whether or not overlap is on). */
  overlapHolds: boolean;
}

function samplesPerGpu(input: WhatIfInput, n: number): { busiest: number; mean: number } {
  if (input.scaling === 'weak') return { busiest: input.perGpuBatch, mean: input.perGpuBatch };
  return { busiest: Math.ceil(input.globalBatch / n), mean: input.globalBatch / n };
}

/** Gradient synchronisation of one step: ⌊P/b⌋ full buckets and the rest, × the ZeRO factor. */
export function gradientSyncS(input: WhatIfInput, algorithm: Algorithm, n: number, fabric: Fabric = input.fabric): number {
  const total = input.params * input.bytesPerGrad;
  const bucket = Math.min(input.bucketBytes, total);
  const full = Math.floor(total / bucket);
  const rest = total - full * bucket;
  const t = full * fabricAllReduceS(algorithm, fabric, n, bucket) + (rest > 0 ? fabricAllReduceS(algorithm, fabric, n, rest) : 0);
  return t * zeroMemory(input, input.zero, 1).commFactor;
}

/** The compute communication can hide behind: the backward pass (ZeRO-3: forward too, prefetching). */
function overlapWindowS(input: WhatIfInput, computeS: number): number {
  return input.zero === 3 ? computeS : input.backwardFraction * computeS;
}

/** One row: n GPUs, one algorithm. */
export function projectRow(input: WhatIfInput, algorithm: Algorithm, n: number, fabric: Fabric = input.fabric): WhatIfRow {
  checkFits(fabric, n);
  const { busiest, mean } = samplesPerGpu(input, n);
  const computeS = busiest * input.computePerSampleS;
  const commS = gradientSyncS(input, algorithm, n, fabric);
  const window = input.overlap ? overlapWindowS(input, computeS) : 0;
  const exposedCommS = Math.max(0, commS - window);
  const stepS = computeS + exposedCommS + input.tailS;
  const memory = zeroMemory(input, input.zero, n);
  return {
    gpus: n,
    algorithm,
    perGpuBatch: busiest,
    computeS,
    commS,
    exposedCommS,
    stepS,
    efficiency: (mean * input.computePerSampleS + input.tailS) / stepS,
    memoryPerGpuBytes: memory.totalBytes,
    fits: memory.totalBytes <= input.gpuMemoryBytes,
    hops: hopsAt(fabric, jobLevel(fabric, n)),
    bisectionBytesPerS: bisectionBytesPerS(fabric, n),
    overlapHolds: commS <= overlapWindowS(input, computeS),
  };
}

/**
 * The smallest n in 2..maxN where `fails(n)` (powers of two first, then bisection between the
 * last one that held and the first that failed: assumes one change in between), or null.
 */
export function firstFailing(fails: (n: number) => boolean, maxN: number): number | null {
  let lo = 1;
  for (let n = 2; ; n = Math.min(2 * n, maxN)) {
    if (fails(n)) {
      let hi = n;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (fails(mid)) hi = mid;
        else lo = mid;
      }
      return hi;
    }
    lo = n;
    if (n >= maxN) return null;
  }
}

export interface BisectionNeed {
  /** Inter-node bandwidth per GPU the link would need, bytes/s; null when no bandwidth reaches the target. */
  perGpuBytesPerS: number | null;
  /** That, as the bisection bandwidth of the job, bytes/s per direction. */
  bisectionBytesPerS: number | null;
  /** The fabric's bisection for this job now. */
  currentBisectionBytesPerS: number;
  /** Why there is no answer (one node; latency-bound). */
  note: string | null;
}

/**
 * The inter-node bandwidth (and so bisection bandwidth) at which efficiency reaches `target`
 * on n GPUs, everything else fixed: bisection in log space over 1 kB/s … 1 EB/s.
 */
export function bisectionFor(input: WhatIfInput, algorithm: Algorithm, n: number, target = 0.9): BisectionNeed {
  const current = bisectionBytesPerS(input.fabric, n);
  if (n <= input.fabric.gpusPerNode)
    return { perGpuBytesPerS: null, bisectionBytesPerS: null, currentBisectionBytesPerS: current, note: 'the job fits in one node: the fabric between nodes does not matter' };
  const eff = (bw: number): number => projectRow(input, algorithm, n, withInterBandwidth(input.fabric, bw)).efficiency;
  let [lo, hi] = [Math.log(1e3), Math.log(1e18)];
  if (eff(Math.exp(hi)) < target) {
    const floor = projectRow(input, algorithm, n, withInterBandwidth(input.fabric, Math.exp(hi))).exposedCommS;
    return {
      perGpuBytesPerS: null,
      bisectionBytesPerS: null,
      currentBisectionBytesPerS: current,
      note: `no bandwidth reaches ${Math.round(target * 100)} %: even with infinite bandwidth between nodes ${formatS(floor)} of communication stay exposed (α and hops on every step of every bucket, or the intra-node link); larger buckets or a tree-like algorithm cut it`,
    };
  }
  if (eff(Math.exp(lo)) >= target) hi = lo;
  for (let i = 0; i < 80 && hi - lo > 1e-4; i++) {
    const mid = (lo + hi) / 2;
    if (eff(Math.exp(mid)) >= target) hi = mid;
    else lo = mid;
  }
  const bw = Math.exp(hi);
  return { perGpuBytesPerS: bw, bisectionBytesPerS: bisectionBytesPerS(withInterBandwidth(input.fabric, bw), n), currentBisectionBytesPerS: current, note: null };
}

function formatS(s: number): string {
  return s >= 1 ? `${s.toPrecision(3)} s` : s >= 1e-3 ? `${(s * 1e3).toPrecision(3)} ms` : `${(s * 1e6).toPrecision(3)} µs`;
}

export interface WhatIfAnswers {
  at: number;
  /** First GPU count where communication no longer hides behind compute; null: holds throughout. */
  overlapStopsAt: number | null;
  /** First GPU count where efficiency drops below 50 %; null: never. */
  efficiencyBelowHalfAt: number | null;
  /** Largest count scanned (the fabric's capacity, at most the largest requested). */
  scannedUpTo: number;
  /** Smallest global batch, tokens, whose compute could hide the communication at `at` (whole samples per GPU). */
  minGlobalBatchTokens: number;
  bisectionFor90: BisectionNeed;
  /** Memory per GPU at `at` for every ZeRO stage, and the fewest GPUs each needs. */
  zero: (MemoryBreakdown & { fits: boolean; minGpus: number | null })[];
}

/** The named answers for one algorithm. */
export function answers(input: WhatIfInput, algorithm: Algorithm, at: number, maxN: number): WhatIfAnswers {
  const scannedUpTo = Math.min(maxN, fabricCapacity(input.fabric));
  const row = (n: number): WhatIfRow => projectRow(input, algorithm, n);
  const overlapStopsAt = firstFailing((n) => !row(n).overlapHolds, scannedUpTo);
  const efficiencyBelowHalfAt = firstFailing((n) => row(n).efficiency < 0.5, scannedUpTo);
  const commS = gradientSyncS(input, algorithm, at);
  const samples = Math.max(1, Math.ceil(commS / overlapWindowS(input, input.computePerSampleS) - 1e-9));
  const minGlobalBatchTokens = samples * at * input.tokensPerSample;
  const zero = ([0, 1, 2, 3] as const).map((stage) => {
    const m = zeroMemory(input, stage, at);
    return { ...m, fits: m.totalBytes <= input.gpuMemoryBytes, minGpus: minGpusToFit(input, stage, input.gpuMemoryBytes) };
  });
  return { at, overlapStopsAt, efficiencyBelowHalfAt, scannedUpTo, minGlobalBatchTokens, bisectionFor90: bisectionFor(input, algorithm, at), zero };
}

export interface Crossover {
  /** The algorithm that is faster above the crossing. */
  faster: Algorithm;
  slower: Algorithm;
  /** The crossing lies between these GPU counts (neighbours in the projected list). */
  between: [number, number];
}

/** Where, along the GPU counts, each pair of algorithms swaps order (by communication time: step times tie while both hide). */
export function crossovers(curves: readonly { algorithm: Algorithm; rows: readonly WhatIfRow[] }[]): Crossover[] {
  const out: Crossover[] = [];
  for (let i = 0; i < curves.length; i++) {
    for (let j = i + 1; j < curves.length; j++) {
      const [a, b] = [curves[i]!, curves[j]!];
      for (let k = 1; k < a.rows.length; k++) {
        const before = Math.sign(a.rows[k - 1]!.commS - b.rows[k - 1]!.commS);
        const after = Math.sign(a.rows[k]!.commS - b.rows[k]!.commS);
        if (before !== 0 && after !== 0 && before !== after) {
          out.push({ faster: after < 0 ? a.algorithm : b.algorithm, slower: after < 0 ? b.algorithm : a.algorithm, between: [a.rows[k - 1]!.gpus, a.rows[k]!.gpus] });
        }
      }
    }
  }
  return out.sort((x, y) => x.between[0] - y.between[0]);
}

/** @throws Error naming the first invalid value. */
export function checkInput(input: WhatIfInput, gpuCounts: readonly number[]): void {
  checkFabric(input.fabric);
  if (gpuCounts.length === 0) throw new Error('no GPU counts to project');
  for (const n of gpuCounts) if (!Number.isInteger(n) || n < 1) throw new Error(`GPU count must be an integer ≥ 1, got ${n}`);
  if (!(input.computePerSampleS > 0)) throw new Error(`compute per sample must be positive, got ${input.computePerSampleS}`);
  if (!(input.bucketBytes > 0)) throw new Error(`bucket must be positive, got ${input.bucketBytes} bytes`);
}

export type { ZeroStage };
