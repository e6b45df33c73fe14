import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessPage } from '../support/browser';
import type { KernelResult } from './kernels.harness';

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  if (h?.webgpu.ok) await h.call('releaseKernelDevice');
  await h?.close();
});

const TOL = 1e-4;

function check(name: string, r: KernelResult): void {
  console.log(
    `${name}: ${Object.entries(r.relErr)
      .map(([k, v]) => `${k} ${v.toExponential(2)}`)
      .join(', ')} (${r.ms.toFixed(0)} ms)`,
  );
  expect(r.validation, `${name} validation error`).toBeNull();
  for (const [k, v] of Object.entries(r.relErr)) expect(v, `${name} ${k} relative error`).toBeLessThan(TOL);
}

describe('GPU kernels vs the CPU reference', () => {
  it('matmul: awkward shapes, transposes, unaligned offsets, whole-vec4 and edge-checked runs', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    // whole: every 4-element run the kernel loads or stores is wholly inside or outside its
    // matrix (matmul.ts wholeVec4Runs), so the kernel checks runs instead of elements.
    const cases = [
      { m: 33, n: 65, k: 17, whole: false },
      { m: 1, n: 1, k: 1, whole: false },
      { m: 64, n: 64, k: 64, whole: true },
      { m: 33, n: 65, k: 17, transA: true, whole: false },
      { m: 33, n: 65, k: 17, transB: true, whole: false },
      { m: 17, n: 9, k: 70, transA: true, transB: true, offsets: true, whole: false },
      { m: 5, n: 130, k: 3, offsets: true, whole: false },
      // Several tiles with partial edge tiles, K not a multiple of the 16-deep K tile, odd offsets.
      { m: 72, n: 136, k: 40, offsets: true, whole: true },
      { m: 72, n: 136, k: 40, transA: true, offsets: true, whole: true },
      { m: 68, n: 132, k: 36, transB: true, offsets: true, whole: true },
      { m: 20, n: 8, k: 24, transA: true, transB: true, offsets: true, whole: true },
      // One dimension breaks whole runs: k (A's runs), m (Aᵀ's runs), n (C's runs).
      { m: 64, n: 64, k: 18, whole: false },
      { m: 30, n: 64, k: 32, transA: true, whole: false },
      { m: 64, n: 66, k: 32, transB: true, offsets: true, whole: false },
    ];
    for (const { whole, ...c } of cases) {
      const r = await h.call<KernelResult & { variant: string }>('matmulCase', c);
      check(`matmul ${JSON.stringify(c)} (${r.variant})`, r);
      expect(r.guardsUntouched, `${JSON.stringify(c)} wrote outside C`).toBe(true);
      expect(r.variant.includes('edge-checked'), `${JSON.stringify(c)} runs ${r.variant}`).toBe(!whole);
    }
  });

  it('bias-act: forward, ReLU mask, bias gradient', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    for (const c of [
      { rows: 33, cols: 17, relu: true },
      { rows: 1, cols: 1, relu: false },
      { rows: 7, cols: 300, relu: true },
    ]) {
      check(`bias-act ${JSON.stringify(c)}`, await h.call<KernelResult>('biasActCase', c));
    }
  });

  it('softmax-xent: loss, correctness, dLogits / batchScale', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    for (const c of [
      { rows: 33, classes: 10, batchScale: 33 },
      { rows: 1, classes: 2, batchScale: 1 },
      { rows: 70, classes: 3, batchScale: 280 },
    ]) {
      check(`softmax-xent ${JSON.stringify(c)}`, await h.call<KernelResult>('softmaxXentCase', c));
    }
  });

  it("sgd (with and without momentum) and the collectives' scale", async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    for (const c of [
      { count: 1000, lr: 0.1, momentum: 0.9 },
      { count: 7, lr: 0.5, momentum: 0 },
    ]) {
      check(`sgd+scale ${JSON.stringify(c)}`, await h.call<KernelResult>('sgdScaleCase', c));
    }
  });

  it('GpuMlp: two full steps match the CPU reference', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    const r = await h.call<KernelResult>('mlpStepCase', { layers: [13, 33, 17, 5], batch: 9, lr: 0.1, momentum: 0.9 });
    check('GpuMlp [13,33,17,5] batch 9', r);
  });

  it('GpuMlp: after the last layer’s backward, bucket 0 of the flat grads is final and the rest untouched', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    const r = await h.call<KernelResult>('mlpBucketCase', { layers: [6, 20, 12, 4], batch: 5, bucketCapBytes: 256 });
    check('GpuMlp bucket 0', r);
    expect(r.bucket0Layers).toEqual([2]);
    expect(r.restUntouched).toBe(true);
  });

  it('data parallel: N replicas with bucketwise sum→average track the 1-replica run', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    for (const ranks of [2, 3]) {
      const r = await h.call<KernelResult>('dataParallelCase', { layers: [7, 16, 5], globalBatch: 12, ranks, steps: 3 });
      check(`data parallel ${ranks} replicas (${String(r.buckets)} buckets)`, r);
      expect(r.buckets).toBeGreaterThan(1);
    }
  });

  it('matmul throughput (figure for sizing, not a GPU benchmark)', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    const r = await h.call<KernelResult & { gflops: number; msPerRep: number }>('matmulThroughput', { size: 256, reps: 2 });
    console.log(`matmul 256×256×256 on ${h.webgpu.ok ? h.webgpu.adapter : '?'}: ${r.gflops.toFixed(3)} GFLOP/s (${r.msPerRep.toFixed(1)} ms per product)`);
    // The timed product must be right, or the figure measures a broken kernel.
    check('matmul throughput product', r);
    expect(r.gflops).toBeGreaterThan(0);
  });
});
