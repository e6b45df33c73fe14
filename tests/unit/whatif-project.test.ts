import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaults, parseArgv, parseUrl, serializeUrl } from '../../src/core/config';
import { closedFormCost } from '../../src/core/cost';
import { toAlphaBetaGamma } from '../../src/core/link';
import { parseNcclTestsOutput, type BenchRow } from '../../src/core/nccl-format';
import { fitSweep } from '../../src/core/sweep-fit';
import {
  bisectionFor,
  comparedConfig,
  fabricAllReduceS,
  GPU_TRAINING,
  linkFromNcclLog,
  measuredModel,
  minGpusToFit,
  projectRow,
  projectWhatIf,
  WHATIF_FIELDS,
  WHATIF_TABLE,
  zeroMemory,
  type Fabric,
  type WhatIfConfig,
  type WhatIfInput,
} from '../../src/core/whatif';

const LOG = 'public/nccl-logs/01-h100-16rank-2node-allreduce.txt';
const IB = { alphaS: 3e-6, bandwidthBytesPerS: 50e9 };
const FLAT: Fabric = { gpusPerNode: 1, intra: IB, inter: IB, kind: 'flat', radix: 64, levels: 1, hopLatencyS: 0, oversubscription: 1 };
const BASE: WhatIfInput = {
  params: 1e9,
  tokensPerSample: 1000,
  bytesPerGrad: 2,
  optimizerBytesPerParam: 12,
  computePerSampleS: 0.1,
  backwardFraction: 2 / 3,
  tailS: 0,
  gpuMemoryBytes: 80e9,
  fabric: FLAT,
  bucketBytes: 2e9,
  overlap: true,
  scaling: 'weak',
  globalBatch: 1,
  perGpuBatch: 4,
  zero: 0,
};
const config = (patch: Partial<WhatIfConfig>): WhatIfConfig => ({ ...defaults(WHATIF_FIELDS), ...patch });

describe('what-if memory (Ultra-Scale Playbook, ZeRO)', () => {
  const psi = 70.6e9;
  const m = { params: psi, bytesPerGrad: 2, optimizerBytesPerParam: 12 };
  it('DP 2Ψ+2Ψ+12Ψ; ZeRO-1 2Ψ+2Ψ+12Ψ/N; ZeRO-2 2Ψ+(2Ψ+12Ψ)/N; ZeRO-3 (2Ψ+2Ψ+12Ψ)/N', () => {
    const n = 64;
    expect(zeroMemory(m, 0, n).totalBytes).toBeCloseTo(16 * psi, -3);
    expect(zeroMemory(m, 1, n).totalBytes).toBeCloseTo(4 * psi + (12 * psi) / n, -3);
    expect(zeroMemory(m, 2, n).totalBytes).toBeCloseTo(2 * psi + (14 * psi) / n, -3);
    expect(zeroMemory(m, 3, n).totalBytes).toBeCloseTo((16 * psi) / n, -3);
    expect(zeroMemory(m, 3, n).commFactor).toBe(1.5);
    expect(zeroMemory(m, 2, n).commFactor).toBe(1);
    // FP32 training: 4Ψ + 4Ψ + 8Ψ (Adam moments only).
    expect(zeroMemory({ params: psi, bytesPerGrad: 4, optimizerBytesPerParam: 8 }, 0, 1).totalBytes).toBeCloseTo(16 * psi, -3);
  });

  it('fewest GPUs that fit 80 GB: ZeRO-3 ⌈16Ψ/80 GB⌉ = 15 for 70.6 B; ZeRO-1/2 never (their unsharded 4Ψ, 2Ψ exceed it)', () => {
    expect(minGpusToFit(m, 3, 80e9)).toBe(15);
    expect(minGpusToFit(m, 1, 80e9)).toBeNull();
    expect(minGpusToFit(m, 2, 80e9)).toBeNull();
    const small = { params: 1.3e9, bytesPerGrad: 2, optimizerBytesPerParam: 12 };
    expect(minGpusToFit(small, 0, 80e9)).toBe(1);
    // ZeRO-1 on a 16 GB T4 for 8 B: 4Ψ = 32 GB already does not fit.
    expect(minGpusToFit({ ...small, params: 8e9 }, 1, 16e9)).toBeNull();
  });
});

describe('what-if step', () => {
  it('step = compute + max(0, comm − backward); comm = buckets × the ring closed form; efficiency = compute / step', () => {
    // 2 GB of gradients in 1 bucket (bytesPerGrad 2 × 1e9): ring on 64 GPUs of the flat fabric.
    const comm = closedFormCost('ring', 64, 2e9, toAlphaBetaGamma(IB));
    const r = projectRow(BASE, 'ring', 64);
    expect(r.commS).toBeCloseTo(comm, 12);
    expect(r.computeS).toBeCloseTo(0.4, 12);
    expect(r.exposedCommS).toBeCloseTo(Math.max(0, comm - (2 / 3) * 0.4), 12);
    expect(r.stepS).toBeCloseTo(0.4 + r.exposedCommS, 12);
    expect(r.efficiency).toBeCloseTo(0.4 / r.stepS, 12);
    // Four buckets: four times the α terms, the same β terms.
    const four = projectRow({ ...BASE, bucketBytes: 0.5e9 }, 'ring', 64);
    expect(four.commS - r.commS).toBeCloseTo(3 * 2 * 63 * 3e-6, 12);
    // Overlap off: all of it exposed. ZeRO-3: 1.5× the communication.
    expect(projectRow({ ...BASE, overlap: false }, 'ring', 64).exposedCommS).toBeCloseTo(comm, 12);
    expect(projectRow({ ...BASE, zero: 3 }, 'ring', 64).commS).toBeCloseTo(1.5 * comm, 12);
  });

  it('strong scaling: the busiest GPU has ⌈G/N⌉ samples, efficiency counts the idle ones', () => {
    const r = projectRow({ ...BASE, scaling: 'strong', globalBatch: 100, overlap: false }, 'ring', 64);
    expect(r.perGpuBatch).toBe(2);
    expect(r.efficiency).toBeCloseTo(((100 / 64) * 0.1) / r.stepS, 12);
  });

  it('answers: overlap stops and efficiency < 50 % where a direct scan of the closed form says; min batch; bisection for 90 %', () => {
    const cfg = config({
      model: 'custom',
      params: '1e9',
      tokensPerSample: 1000,
      fabric: 'flat',
      gpusPerNode: 1,
      link: 'custom',
      alphaUs: 3,
      bandwidth: 50e9,
      bucketMb: 4096,
      gpus: [1, 1024, 65536],
      algo: 'ring',
      mfu: 0.5,
      perGpuBatch: 64,
    });
    const p = projectWhatIf(cfg);
    if ('error' in p) throw new Error(p.error);
    expect(p.model.computePerSampleS).toBeCloseTo((6 * 1e9 * 1000) / (GPU_TRAINING.h100.peakTensorFlops * 0.5), 12);
    const t = 64 * p.model.computePerSampleS;
    const comm = (n: number): number => closedFormCost('ring', n, 2e9, toAlphaBetaGamma(IB));
    let overlapEnd: number | null = null;
    let halfEnd: number | null = null;
    for (let n = 2; n <= 65536 && (overlapEnd === null || halfEnd === null); n++) {
      if (overlapEnd === null && comm(n) > (2 / 3) * t) overlapEnd = n;
      if (halfEnd === null && t / (t + Math.max(0, comm(n) - (2 / 3) * t)) < 0.5) halfEnd = n;
    }
    expect(p.answers.overlapStopsAt).toBe(overlapEnd);
    expect(p.answers.efficiencyBelowHalfAt).toBe(halfEnd);
    // Min batch at 65,536: whole samples per GPU whose backward covers comm.
    const samples = Math.ceil(comm(65536) / ((2 / 3) * p.model.computePerSampleS));
    expect(p.answers.minGlobalBatchTokens).toBe(samples * 65536 * 1000);
    const hidden = projectRow({ ...p.input, perGpuBatch: samples }, 'ring', 65536);
    expect(hidden.overlapHolds).toBe(true);
    expect(projectRow({ ...p.input, perGpuBatch: samples - 1 }, 'ring', 65536).overlapHolds).toBe(false);
    // The bisection found gives 90 %.
    const need = p.answers.bisectionFor90;
    expect(need.perGpuBytesPerS).not.toBeNull();
    const at = projectRow({ ...p.input, fabric: { ...p.input.fabric, inter: { alphaS: 3e-6, bandwidthBytesPerS: need.perGpuBytesPerS! } } }, 'ring', 65536);
    expect(at.efficiency).toBeCloseTo(0.9, 3);
    expect(need.bisectionBytesPerS).toBeCloseTo((65536 / 2) * need.perGpuBytesPerS!, -3);
  });

  it('oversubscription 4:1 needs 4× the link for the same bisection; 1:1 and 4:1 under one leaf are the same', () => {
    const tree: Fabric = {
      gpusPerNode: 8,
      intra: { alphaS: 1e-6, bandwidthBytesPerS: 450e9 },
      inter: IB,
      kind: 'fat-tree',
      radix: 64,
      levels: 3,
      hopLatencyS: 0.3e-6,
      oversubscription: 1,
    };
    const one = { ...BASE, fabric: tree, perGpuBatch: 1 };
    const four = { ...one, fabric: { ...tree, oversubscription: 4 } };
    // Ring: every step waits for its slowest pair, which crosses the pod's top (level 2 in both):
    // the β term is ×4 at 4:1, the α terms are the same, so 4:1 needs exactly 4× the link.
    const a = bisectionFor(one, 'ring', 1024);
    const b = bisectionFor(four, 'ring', 1024);
    expect(b.perGpuBytesPerS! / a.perGpuBytesPerS!).toBeCloseTo(4, 3);
    expect(b.bisectionBytesPerS! / a.bisectionBytesPerS!).toBeCloseTo(1, 3);
    expect(b.currentBisectionBytesPerS).toBeCloseTo(a.currentBisectionBytesPerS / 4, -3);
    // 32 GPUs sit under one leaf of 32 (radix 64 at 1:1): no up-links used. At 4:1 a leaf has 48 GPUs.
    expect(projectRow(one, 'ring', 32).commS).toBeCloseTo(projectRow(four, 'ring', 32).commS, 12);
    expect(projectRow(four, 'ring', 1024).commS).toBeGreaterThan(3 * projectRow(one, 'ring', 1024).commS);
  });

  it('bad input gets a message naming the value and what is allowed', () => {
    const bad = (patch: Partial<WhatIfConfig>): string => {
      const p = projectWhatIf(config(patch));
      return 'error' in p ? p.error : 'no error';
    };
    expect(bad({ gpus: [0, 8] })).toMatch(/GPU count must be an integer ≥ 1, got 0/);
    expect(bad({ radix: 1 })).toMatch(/radix must be an integer ≥ 2.*got 1/);
    expect(bad({ oversubscription: 0.5 })).toMatch(/oversubscription must be ≥ 1.*got 0.5/);
    expect(bad({ model: '1t', gpu: 't4', gpus: [8, 64] })).toMatch(/does not fit even fully sharded.*16 GB.*at least 1,008 GPUs/);
    expect(bad({ model: 'measured' })).toMatch(/train first/);
    expect(bad({ gpus: [8], at: 100000, levels: 2 })).toMatch(/at most 2,048 GPUs/);
    // The command line refuses them before projecting, naming the flag and the range.
    for (const [argv, re] of [
      [['--gpus', '0,8'], /--gpus: '0,8': 0 is outside 1\.\.131072; allowed comma-separated integers, each 1\.\.131072/],
      [['--radix', '1'], /--radix: '1' is out of range \(below 2\); allowed: an integer 2\.\.4096/],
      [['--oversubscription', '0.5'], /--oversubscription: '0.5' is out of range \(below 1\); allowed: a number 1\.\.64/],
      [['--model', 'custom'], /model custom needs --params/],
    ] as const) {
      expect(
        parseArgv(WHATIF_TABLE, argv)
          .errors.map((e) => e.message)
          .join('\n'),
      ).toMatch(re);
    }
  });

  it('one table for the CLI and the URL: flags and wi- parameters read the same config, and it round-trips', () => {
    const argv = ['--model', '70b', '--gpus', '8,16384', '--fabric', 'fat-tree', '--oversubscription', '4', '--zero', '3', '--link', '100gbe', '--overlap', 'off'];
    const a = parseArgv(WHATIF_TABLE, argv);
    expect(a.errors).toEqual([]);
    const url = serializeUrl(WHATIF_TABLE, a.config);
    expect(url.get('wi-model')).toBe('70b');
    expect(url.get('wi-oversub')).toBe('4');
    const b = parseUrl(WHATIF_TABLE, url);
    expect(b.errors).toEqual([]);
    expect(b.config).toEqual(a.config);
  });

  it('every preset and every algorithm projects 1 … 131,072 GPUs on the default fabric without error', () => {
    for (const model of ['124m', '1.3b', '8b', '70b', '405b', '1t'] as const) {
      const p = projectWhatIf(config({ model, zero: 3 }));
      if ('error' in p) throw new Error(`${model}: ${p.error}`);
      expect(p.gpus.at(-1)).toBe(131072);
      for (const c of p.curves)
        for (const r of c.rows) expect(Number.isFinite(r.stepS) && r.efficiency > 0 && r.efficiency <= 1 + 1e-12, `${model} ${c.algorithm} ${r.gpus}`).toBe(true);
    }
  });
});

describe('what-if link fitted to a real nccl-tests log (16 × H100, two nodes)', () => {
  const text = readFileSync(LOG, 'utf8');
  const fitted = linkFromNcclLog('01-h100', text);
  if ('error' in fitted) throw new Error(fitted.error);

  it('is the benchmark tab’s own fit (fitSweep, ring, 16 ranks) of the log', () => {
    const parsed = parseNcclTestsOutput(text);
    const rows = parsed.rows.map((r) => ({ bytes: r.bytes, timeUs: r.outOfPlace.timeUs }) as BenchRow);
    const fit = fitSweep({ collective: 'all_reduce', algorithm: 'ring', ranks: 16, root: 0 }, rows);
    if ('error' in fit) throw new Error(fit.error);
    expect(fitted.ranks).toBe(16);
    expect(fitted.link.alphaS).toBeCloseTo(fit.alphaS, 15);
    expect(fitted.link.bandwidthBytesPerS).toBeCloseTo(1 / fit.betaSPerByte, 0);
    // By hand from the log: 8 B takes 135.8 µs over 2·15 ring steps (≈ 4.5 µs each); 8 GiB runs at 338.8 GB/s busbw.
    expect(fitted.link.alphaS * 1e6).toBeGreaterThan(3);
    expect(fitted.link.alphaS * 1e6).toBeLessThan(6);
    expect(fitted.link.bandwidthBytesPerS / 1e9).toBeGreaterThan(200);
    expect(fitted.link.bandwidthBytesPerS / 1e9).toBeLessThan(400);
  });

  it('a 16-GPU flat fabric on the fitted link reproduces every size of the log within the fit’s worst error', () => {
    const f: Fabric = { ...FLAT, inter: fitted.link, intra: fitted.link };
    for (const r of parseNcclTestsOutput(text).rows) {
      const model = fabricAllReduceS('ring', f, 16, r.bytes);
      const measured = r.outOfPlace.timeUs / 1e6;
      expect(Math.abs(model - measured) / measured).toBeLessThanOrEqual(fitted.maxRelError + 1e-9);
    }
    const p = projectWhatIf(config({ link: 'nccl-log', gpus: [16, 1024] }), { ncclLink: fitted });
    if ('error' in p) throw new Error(p.error);
    expect(p.linkSource).toMatch(/fitted to 01-h100 \(16 GPUs, 31 sizes/);
    expect(p.fabric.inter).toEqual(fitted.link);
  });
});

describe('what-if crossovers', () => {
  it('names the GPU counts between which tree overtakes ring, where their closed forms change order', () => {
    const cfg = config({ model: 'custom', params: '1e6', fabric: 'flat', gpusPerNode: 1, link: 'custom', alphaUs: 3, bandwidth: 50e9, bucketMb: 4096, algo: 'ring' });
    const p = projectWhatIf(cfg);
    if ('error' in p) throw new Error(p.error);
    const link = toAlphaBetaGamma(IB);
    const slower = (n: number): boolean => closedFormCost('tree', n, 2e6, link) < closedFormCost('ring', n, 2e6, link);
    const first = p.gpus.find((n) => n > 1 && slower(n))!;
    const prev = p.gpus[p.gpus.indexOf(first) - 1]!;
    const c = p.crossovers.find((x) => x.faster === 'tree' && x.slower === 'ring');
    expect(c?.between).toEqual([prev, first]);
  });
});

describe('what-if of a measured step', () => {
  it('scales the calibrated per-sample compute by the similarity ratio and projects it', () => {
    const m = measuredModel({ fwdS: [0.01, 0.02], bwdS: [0.04, 0.02], optimizerS: 0.005 }, 10, 1234, 1e-3);
    expect(m.computePerSampleS).toBeCloseTo((0.09 / 10) * 1e-3, 15);
    expect(m.backwardFraction).toBeCloseTo(0.06 / 0.09, 12);
    expect(m.tailS).toBeCloseTo(5e-6, 15);
    const p = projectWhatIf(config({ model: 'measured', gpus: [1, 8] }), { measured: m });
    if ('error' in p) throw new Error(p.error);
    expect(p.model.params).toBe(1234);
    expect(p.model.bytesPerGrad).toBe(4);
    expect(p.rows[0]!.stepS).toBeCloseTo(m.computePerSampleS + m.tailS, 15);
  });
});

describe('what-if comparison (--compare)', () => {
  it('changes only the flags it names, and refuses bad ones by name', () => {
    const a = config({ model: '70b', zero: 3, link: '100gbe', compare: '--oversubscription 4 --levels=3' });
    const b = comparedConfig(a);
    if (!b || 'error' in b) throw new Error(JSON.stringify(b));
    expect(b.config).toEqual({ ...a, oversubscription: 4, levels: 3, compare: null });
    expect(comparedConfig({ ...a, compare: '--radix 1' })).toEqual({ error: expect.stringMatching(/--radix: '1' is out of range \(below 2\); allowed: an integer 2\.\.4096/) });
    expect(comparedConfig({ ...a, compare: '--nccl-log f.txt' })).toEqual({ error: expect.stringMatching(/--nccl-log cannot be part of a comparison/) });
    expect(parseArgv(WHATIF_TABLE, ['--compare', '--bogus 3']).errors[0]?.message).toMatch(/unknown option '--bogus'/);
  });
});
