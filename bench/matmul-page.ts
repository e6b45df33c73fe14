/**
 * The matmul benchmark page (bench/matmul.html, built by vite.bench.config.ts, driven by
 * scripts/matmul-bench.ts): ringlab's Matmul and tfjs-backend-webgpu's `matMul` on ONE GPUDevice
 * (tfjs's backend is constructed on the device ringlab requested), same shapes, same inputs, each
 * product timed the same way: from the call to the moment a 4-byte readback of its C is mapped
 * (so the queued work has finished), medians of interleaved repetitions.
 *
 * This page is the only importer of tfjs (a devDependency): src/ never imports it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { adapterLabel, isSoftwareAdapter } from '../src/core/adapter';
import { median } from '../src/core/metrics';
import { Rng } from '../src/core/rng';
import { createStorage, createUniform, readBack } from '../src/gpu/buffers';
import { requestDevice } from '../src/gpu/device';
import { Matmul } from '../src/gpu/kernels/matmul';
import type { MatmulBenchApi, MatmulBenchCase, MatmulBenchInfo, MatmulBenchRequest, MatmulBenchRow, PeakFlops } from './matmul-protocol';
import peakCode from './peak-flops.wgsl?raw';

interface Shared {
  device: GPUDevice;
  backend: WebGPUBackend;
  info: MatmulBenchInfo;
  /** 4-byte MAP_READ buffer every timed product is fenced with. */
  staging: GPUBuffer;
}

let shared: Promise<Shared> | undefined;

/** One device for both libraries: tfjs's backend is registered under its own name 'webgpu' (its kernels are registered for that name) on ringlab's device. */
function setup(): Promise<Shared> {
  shared ??= (async () => {
    const r = await requestDevice('bench.matmul');
    if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
    const backend = new WebGPUBackend(r.device);
    tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', () => backend);
    if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs: setBackend(webgpu) failed');
    const staging = r.device.createBuffer({ label: 'bench.matmul.fence', size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    return { device: r.device, backend, staging, info: { adapter: adapterLabel(r.adapter), isSoftware: isSoftwareAdapter(r.adapter), tfjsVersion: tf.version_core } };
  })();
  return shared;
}

/** Copies C's first element to the staging buffer and waits until it is mapped: the product before it on the queue has finished. */
async function fence(s: Shared, c: GPUBuffer): Promise<void> {
  const enc = s.device.createCommandEncoder({ label: 'bench.matmul.fence.encoder' });
  enc.copyBufferToBuffer(c, 0, s.staging, 0, 4);
  s.device.queue.submit([enc.finish()]);
  await s.staging.mapAsync(GPUMapMode.READ);
  s.staging.unmap();
}

function randomMatrix(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

async function runCase(s: Shared, c: MatmulBenchCase, warmup: number, reps: number): Promise<MatmulBenchRow> {
  const { m, n, k } = c;
  const rng = new Rng(m * 7919 + n * 31 + k);
  const a = randomMatrix(rng, m * k);
  const b = randomMatrix(rng, k * n);
  const aShape: [number, number] = c.transA ? [k, m] : [m, k];
  const bShape: [number, number] = c.transB ? [n, k] : [k, n];
  const ga = createStorage(s.device, 'bench.a', a);
  const gb = createStorage(s.device, 'bench.b', b);
  const gc = createStorage(s.device, 'bench.c', m * n * 4);
  const mm = new Matmul(s.device, 'bench', { m, n, k, transA: c.transA, transB: c.transB });
  const ta = tf.tensor2d(a, aShape);
  const tb = tf.tensor2d(b, bShape);
  const ringlab = async (): Promise<number> => {
    const t0 = performance.now();
    const enc = s.device.createCommandEncoder({ label: 'bench.ringlab.encoder' });
    mm.encode(enc, ga, gb, gc);
    s.device.queue.submit([enc.finish()]);
    await fence(s, gc);
    return performance.now() - t0;
  };
  let last: tf.Tensor | undefined;
  const tfjs = async (): Promise<number> => {
    last?.dispose();
    const t0 = performance.now();
    const out = tf.matMul(ta, tb, c.transA ?? false, c.transB ?? false);
    // tfjs records dispatches into its own open pass and encoder until something reads; close
    // and submit them as its own read path does (getBufferData), then fence like ringlab.
    s.backend.endComputePassEncoder();
    s.backend.submitQueue();
    const buffer = s.backend.tensorMap.get(out.dataId).resource;
    if (!(buffer instanceof GPUBuffer)) throw new Error('tfjs: matMul output is not a GPUBuffer');
    await fence(s, buffer);
    last = out;
    return performance.now() - t0;
  };
  try {
    for (let i = 0; i < warmup; i++) {
      await ringlab();
      await tfjs();
    }
    const ringlabMs: number[] = [];
    const tfjsMs: number[] = [];
    for (let i = 0; i < reps; i++) {
      // Alternate which goes first, so neither always follows the other's cache state.
      if (i % 2 === 0) {
        ringlabMs.push(await ringlab());
        tfjsMs.push(await tfjs());
      } else {
        tfjsMs.push(await tfjs());
        ringlabMs.push(await ringlab());
      }
    }
    const ours = await readBack(s.device, gc);
    const theirs = (await last!.data()) as Float32Array;
    let [diff, scale] = [0, 1e-6];
    for (let i = 0; i < theirs.length; i++) [diff, scale] = [Math.max(diff, Math.abs(ours[i]! - theirs[i]!)), Math.max(scale, Math.abs(theirs[i]!))];
    const flops = 2 * m * n * k;
    const [rMed, tMed] = [median(ringlabMs), median(tfjsMs)];
    return {
      case: c,
      flops,
      ringlabKernel: mm.variant,
      ringlabMs,
      tfjsMs,
      ringlabMedianMs: rMed,
      tfjsMedianMs: tMed,
      ringlabGflops: flops / rMed / 1e6,
      tfjsGflops: flops / tMed / 1e6,
      ratio: tMed / rMed,
      relDiff: Number.isFinite(diff) ? diff / scale : Infinity,
    };
  } finally {
    last?.dispose();
    tf.dispose([ta, tb]);
    mm.destroy();
    for (const x of [ga, gb, gc]) x.destroy();
  }
}

/**
 * The adapter's FMA peak: 4096 workgroups of 64 invocations (enough to fill a large GPU), the loop
 * count doubled until one dispatch takes ≥ 20 ms, then the slope between that count and 4× it
 * (medians of 3 dispatches each).
 */
async function measurePeak(s: Shared): Promise<PeakFlops> {
  const invocations = 4096 * 64;
  const pipeline = s.device.createComputePipeline({
    label: 'bench.peak.pipeline',
    layout: 'auto',
    compute: { module: s.device.createShaderModule({ label: 'bench.peak.module', code: peakCode }), entryPoint: 'main' },
  });
  const out = createStorage(s.device, 'bench.peak.out', invocations * 16);
  const uniform = createUniform(s.device, 'bench.peak.params', new Uint32Array(4).buffer);
  const group = s.device.createBindGroup({
    label: 'bench.peak.bindgroup',
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: uniform } },
      { binding: 1, resource: { buffer: out } },
    ],
  });
  const once = async (iters: number): Promise<number> => {
    s.device.queue.writeBuffer(uniform, 0, Uint32Array.of(iters));
    const t0 = performance.now();
    const enc = s.device.createCommandEncoder({ label: 'bench.peak.encoder' });
    const pass = enc.beginComputePass({ label: 'bench.peak.pass' });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(invocations / 64);
    pass.end();
    s.device.queue.submit([enc.finish()]);
    await fence(s, out);
    return performance.now() - t0;
  };
  try {
    let iters = 8;
    await once(iters); // compile
    while ((await once(iters)) < 20 && iters < 1 << 20) iters *= 2;
    // The slope between iters and 4·iters: what one dispatch costs besides the FMAs (launch,
    // starting and storing 262144 invocations, which a CPU feels) cancels out.
    const lo = median([await once(iters), await once(iters), await once(iters)]);
    const hi = median([await once(4 * iters), await once(4 * iters), await once(4 * iters)]);
    return { gflops: (invocations * 3 * iters * 64) / (hi - lo) / 1e6, invocations, iters: 4 * iters, medianMs: hi, baseMs: lo };
  } finally {
    out.destroy();
    uniform.destroy();
  }
}

const api: MatmulBenchApi = {
  info: async () => (await setup()).info,
  peak: async () => measurePeak(await setup()),
  async run(request: MatmulBenchRequest): Promise<MatmulBenchRow[]> {
    const s = await setup();
    const rows: MatmulBenchRow[] = [];
    for (const c of request.cases) {
      rows.push(await runCase(s, c, request.warmup, request.reps));
      console.log(`ringlab matmul bench: ${JSON.stringify({ ...rows.at(-1), ringlabMs: undefined, tfjsMs: undefined })}`);
    }
    return rows;
  },
};
(window as unknown as { ringlabMatmulBench: MatmulBenchApi }).ringlabMatmulBench = api;
