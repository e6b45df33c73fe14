/**
 * Kernel checks that run in the page: each builds inputs from a seeded Rng, runs the kernel
 * on a fresh device inside a validation error scope, compares with the CPU reference, and
 * destroys everything. Results are plain JSON for the Node side.
 */
import { requestDevice } from '../../src/gpu/device';
import { createStorage, readBack } from '../../src/gpu/buffers';
import { Matmul } from '../../src/gpu/kernels/matmul';
import { BiasAct } from '../../src/gpu/kernels/bias-act';
import { SoftmaxXent } from '../../src/gpu/kernels/softmax-xent';
import { Sgd } from '../../src/gpu/kernels/sgd';
import { ReduceKernel } from '../../src/gpu/kernels/reduce';
import { GpuMlp } from '../../src/gpu/mlp-gpu';
import { Rng } from '../../src/core/rng';
import { makeBuckets } from '../../src/core/buckets';
import { initParams, lossAndGrad, sgdStep, softmaxXent, type MlpSpec } from '../../src/core/model';

export interface KernelResult {
  /** max|gpu − cpu| / max(1e-6, max|cpu|), per checked tensor. */
  relErr: Record<string, number>;
  /** Validation error message, or null. */
  validation: string | null;
  ms: number;
  [extra: string]: unknown;
}

function relErr(gpu: ArrayLike<number>, cpu: ArrayLike<number>): number {
  if (gpu.length < cpu.length) return Infinity;
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < cpu.length; i++) {
    diff = Math.max(diff, Math.abs(gpu[i] - cpu[i]));
    scale = Math.max(scale, Math.abs(cpu[i]));
  }
  return Number.isFinite(diff) ? diff / scale : Infinity;
}

const randn = (rng: Rng, n: number) => Float32Array.from({ length: n }, () => rng.normal());

type CaseBody = (device: GPUDevice) => Promise<{ relErr: Record<string, number>; [extra: string]: unknown }>;

/**
 * One device for the whole test file: SwiftShader compiles a matmul pipeline in seconds, and
 * the per-device pipeline cache only pays off when cases share the device. Each case still
 * destroys its own buffers and kernels; `releaseKernelDevice` destroys the device.
 */
let shared: Promise<GPUDevice> | undefined;

function kernelDevice(): Promise<GPUDevice> {
  shared ??= requestDevice('test.kernels').then((r) => {
    if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
    return r.device;
  });
  return shared;
}

/** Destroys the shared test device (call from afterAll). */
export async function releaseKernelDevice(): Promise<boolean> {
  if (!shared) return false;
  (await shared).destroy();
  shared = undefined;
  return true;
}

/** Runs `body` inside a validation error scope on the shared device. */
async function withDevice(label: string, body: CaseBody): Promise<KernelResult> {
  const device = await kernelDevice();
  const t0 = performance.now();
  device.pushErrorScope('validation');
  const out = await body(device).catch((e: unknown) => e);
  const err = await device.popErrorScope(); // always pop, so a failed case leaves no scope behind
  if (err) console.error(`${label}: ${err.message}`);
  if (out instanceof Error || !out || typeof out !== 'object') throw out;
  return { ...(out as Awaited<ReturnType<CaseBody>>), validation: err ? err.message : null, ms: performance.now() - t0 };
}

/** C = A·B (row-major, no transposes) on the CPU, in float64 accumulation. */
function cpuMatmul(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let kk = 0; kk < k; kk++) acc += a[i * k + kk]! * b[kk * n + j]!;
      c[i * n + j] = acc;
    }
  }
  return c;
}

/** C = op(A)·op(B) against a float64 CPU product. */
export async function matmulCase(s: { m: number; n: number; k: number; transA?: boolean; transB?: boolean; offsets?: boolean }): Promise<KernelResult> {
  return withDevice('test.matmul', async (device) => {
    const rng = new Rng(s.m * 1000 + s.n * 10 + s.k);
    // Non-aligned element offsets, as the flat parameter buffer has.
    const [oa, ob, oc] = s.offsets ? [3, 5, 7] : [0, 0, 0];
    const a = randn(rng, oa + s.m * s.k);
    const b = randn(rng, ob + s.k * s.n);
    const A = (i: number, kk: number) => a[oa + (s.transA ? kk * s.m + i : i * s.k + kk)];
    const B = (kk: number, j: number) => b[ob + (s.transB ? j * s.k + kk : kk * s.n + j)];
    const cpu = new Float32Array(s.m * s.n);
    for (let i = 0; i < s.m; i++)
      for (let j = 0; j < s.n; j++) {
        let acc = 0;
        for (let kk = 0; kk < s.k; kk++) acc += A(i, kk) * B(kk, j);
        cpu[i * s.n + j] = acc;
      }
    const ba = createStorage(device, 'test.a', a);
    const bb = createStorage(device, 'test.b', b);
    // C sits between untouched guard elements, as a tensor does inside the flat gradient buffer.
    const guard = 5;
    const bc = createStorage(device, 'test.c', (oc + s.m * s.n + guard) * 4);
    const mm = new Matmul(device, 'test', { m: s.m, n: s.n, k: s.k, transA: s.transA, transB: s.transB, offsetA: oa, offsetB: ob, offsetC: oc });
    const enc = device.createCommandEncoder({ label: 'test.matmul.encoder' });
    mm.encode(enc, ba, bb, bc);
    device.queue.submit([enc.finish()]);
    const out = await readBack(device, bc);
    const untouched = out.subarray(0, oc).every((v) => v === 0) && out.subarray(oc + s.m * s.n).every((v) => v === 0);
    mm.destroy();
    [ba, bb, bc].forEach((x) => x.destroy());
    return { relErr: { c: relErr(out.subarray(oc, oc + s.m * s.n), cpu) }, guardsUntouched: untouched, variant: mm.variant };
  });
}

/** Forward bias+act, ReLU mask backward, and the bias gradient. */
export async function biasActCase(s: { rows: number; cols: number; relu: boolean }): Promise<KernelResult> {
  return withDevice('test.bias-act', async (device) => {
    const rng = new Rng(s.rows * 31 + s.cols);
    const n = s.rows * s.cols;
    const x = randn(rng, n);
    const bias = randn(rng, 2 + s.cols); // offset 2 into a flat buffer
    const dy = randn(rng, n);
    const y = x.map((v, i) => (s.relu ? Math.max(0, v + bias[2 + (i % s.cols)]) : v + bias[2 + (i % s.cols)]));
    const masked = dy.map((g, i) => (y[i] > 0 ? g : 0));
    const db = new Float32Array(1 + s.cols);
    for (let i = 0; i < n; i++) db[1 + (i % s.cols)] += dy[i];
    const bx = createStorage(device, 'test.x', x);
    const bb = createStorage(device, 'test.bias', bias);
    const bdy = createStorage(device, 'test.dy', dy);
    const bdz = createStorage(device, 'test.dz', dy);
    const bdb = createStorage(device, 'test.db', (1 + s.cols) * 4);
    const k = new BiasAct(device, 'test', { ...s, offsetBias: 2, offsetDb: 1 });
    const enc = device.createCommandEncoder({ label: 'test.bias-act.encoder' });
    k.encodeForward(enc, bx, bb);
    k.encodeBiasGrad(enc, bdz, bdb);
    k.encodeMask(enc, bdy, bx); // bx holds y by now (passes run in order)
    device.queue.submit([enc.finish()]);
    const [gy, gdy, gdb] = await Promise.all([readBack(device, bx), readBack(device, bdy), readBack(device, bdb)]);
    k.destroy();
    [bx, bb, bdy, bdz, bdb].forEach((b) => b.destroy());
    return { relErr: { y: relErr(gy, y), mask: relErr(gdy, masked), db: relErr(gdb.subarray(1), db.subarray(1)) } };
  });
}

export async function softmaxXentCase(s: { rows: number; classes: number; batchScale: number }): Promise<KernelResult> {
  return withDevice('test.softmax-xent', async (device) => {
    const rng = new Rng(s.rows * 7 + s.classes);
    const logits = randn(rng, s.rows * s.classes).map((v) => 3 * v);
    const labels = Uint32Array.from({ length: s.rows }, () => rng.int(s.classes));
    const cpu = softmaxXent(logits, labels, s.rows, s.classes, s.batchScale);
    const bl = createStorage(device, 'test.logits', logits);
    const blab = createStorage(device, 'test.labels', labels);
    const bloss = createStorage(device, 'test.loss', s.rows * 4);
    const bcor = createStorage(device, 'test.correct', s.rows * 4);
    const bdz = createStorage(device, 'test.dz', s.rows * s.classes * 4);
    const k = new SoftmaxXent(device, 'test', s);
    const enc = device.createCommandEncoder({ label: 'test.softmax-xent.encoder' });
    k.encode(enc, bl, blab, bloss, bcor, bdz);
    device.queue.submit([enc.finish()]);
    const [loss, cor, dz] = await Promise.all([readBack(device, bloss), readBack(device, bcor), readBack(device, bdz)]);
    k.destroy();
    [bl, blab, bloss, bcor, bdz].forEach((b) => b.destroy());
    return { relErr: { loss: relErr(loss, cpu.lossPerRow), correct: relErr(cor, cpu.correct), dLogits: relErr(dz, cpu.dLogits) } };
  });
}

/** SGD step, then the collectives' in-place scale (ReduceKernel, sum → average) of a sub-range. */
export async function sgdScaleCase(s: { count: number; lr: number; momentum: number }): Promise<KernelResult> {
  return withDevice('test.sgd', async (device) => {
    const rng = new Rng(s.count);
    const [p, g, v] = [randn(rng, s.count), randn(rng, s.count), randn(rng, s.count)];
    const bp = createStorage(device, 'test.params', p);
    const bg = createStorage(device, 'test.grads', g);
    const bv = createStorage(device, 'test.velocity', v);
    const sgd = new Sgd(device, 'test', s.count, s);
    const off = Math.floor(s.count / 3);
    const cnt = s.count - 2 * off;
    const reduce = new ReduceKernel(device, 'sum', 'test');
    const enc = device.createCommandEncoder({ label: 'test.sgd.encoder' });
    sgd.encode(enc, bp, bg, bv);
    device.queue.submit([enc.finish()]);
    reduce.submitScale(bg, off, cnt, 0.25);
    const [gp, gv, gg] = await Promise.all([readBack(device, bp), readBack(device, bv), readBack(device, bg)]);
    sgdStep(p, g, v, s);
    const scaled = g.map((x, i) => (i >= off && i < off + cnt ? x * 0.25 : x));
    sgd.destroy();
    reduce.destroy();
    [bp, bg, bv].forEach((b) => b.destroy());
    return { relErr: { params: relErr(gp, p), velocity: relErr(gv, v), scaled: relErr(gg, scaled) } };
  });
}

/**
 * Two full GpuMlp steps (forward, backward layer by layer, SGD with momentum) against the CPU
 * reference from the same initial parameters.
 */
export async function mlpStepCase(s: { layers: number[]; batch: number; lr: number; momentum: number }): Promise<KernelResult> {
  return withDevice('test.mlp', async (device) => {
    const spec: MlpSpec = { layers: s.layers };
    const rng = new Rng(17);
    const params = initParams(spec, rng.fork(0));
    const velocity = new Float32Array(params.length);
    const mlp = new GpuMlp(device, 'test.rank0', spec, { batch: s.batch, sgd: s });
    mlp.writeParams(params);
    const rel: Record<string, number> = {};
    const losses: number[][] = [];
    for (let step = 0; step < 2; step++) {
      const x = randn(rng, s.batch * s.layers[0]);
      const labels = Uint32Array.from({ length: s.batch }, () => rng.int(s.layers[s.layers.length - 1]));
      const cpu = lossAndGrad(spec, params, x, labels, s.batch);
      mlp.uploadBatch(x, labels);
      const enc = device.createCommandEncoder({ label: 'test.mlp.encoder' });
      mlp.encodeForward(enc);
      mlp.encodeBackward(enc);
      mlp.encodeSgd(enc);
      device.queue.submit([enc.finish()]);
      const [la, grads] = await Promise.all([mlp.readLossAndAccuracy(), mlp.readGrads()]);
      sgdStep(params, cpu.grads, velocity, s);
      const gp = await mlp.readParams();
      rel[`loss${step}`] = Math.abs(la.loss - cpu.loss) / Math.max(1e-6, Math.abs(cpu.loss));
      rel[`accuracy${step}`] = Math.abs(la.accuracy - cpu.accuracy);
      rel[`grads${step}`] = relErr(grads, cpu.grads);
      rel[`params${step}`] = relErr(gp, params);
      losses.push([la.loss, cpu.loss]);
    }
    mlp.destroy();
    return { relErr: rel, losses };
  });
}

/**
 * Backward of the last layer only: the first bucket's element range of the GPU gradient
 * buffer must hold the CPU gradients of that layer, and nothing past it may be written yet
 * (that is what lets a bucket all-reduce start before the rest of the backward).
 */
export async function mlpBucketCase(s: { layers: number[]; batch: number; bucketCapBytes: number }): Promise<KernelResult> {
  return withDevice('test.mlp-bucket', async (device) => {
    const spec: MlpSpec = { layers: s.layers };
    const rng = new Rng(23);
    const params = initParams(spec, rng.fork(0));
    const mlp = new GpuMlp(device, 'test.rank0', spec, { batch: s.batch, sgd: { lr: 0.1, momentum: 0 } });
    mlp.writeParams(params);
    const x = randn(rng, s.batch * s.layers[0]);
    const labels = Uint32Array.from({ length: s.batch }, () => rng.int(s.layers[s.layers.length - 1]));
    const cpu = lossAndGrad(spec, params, x, labels, s.batch);
    const buckets = makeBuckets(mlp.layout, { bucketCapBytes: s.bucketCapBytes, firstBucketBytes: s.bucketCapBytes });
    const first = buckets[0];
    mlp.uploadBatch(x, labels);
    const enc = device.createCommandEncoder({ label: 'test.mlp-bucket.encoder' });
    mlp.encodeForward(enc);
    mlp.encodeBackwardLayer(enc, s.layers.length - 2);
    device.queue.submit([enc.finish()]);
    const g = await mlp.readGrads();
    const rest = g.subarray(first.start + first.count);
    mlp.destroy();
    return {
      relErr: { bucket0: relErr(g.subarray(first.start, first.start + first.count), cpu.grads.subarray(first.start, first.start + first.count)) },
      buckets: buckets.length,
      bucket0Layers: first.layers,
      restUntouched: rest.every((v) => v === 0),
    };
  });
}

/**
 * Matmul throughput (GFLOP/s, fenced wall time) for sizing only; software adapters are slow.
 * The product it times is checked against the CPU model, so a fast wrong kernel cannot pass.
 */
export async function matmulThroughput(s: { size: number; reps: number }): Promise<KernelResult & { gflops: number; msPerRep: number }> {
  const r = await withDevice('test.matmul-throughput', (device) => timeMatmul(device, s));
  return r as KernelResult & { gflops: number; msPerRep: number };
}

async function timeMatmul(device: GPUDevice, s: { size: number; reps: number }): Promise<{ relErr: Record<string, number>; gflops: number; msPerRep: number }> {
  const n = s.size;
  const rng = new Rng(1);
  const ha = randn(rng, n * n);
  const hb = randn(rng, n * n);
  const a = createStorage(device, 'bench.a', ha);
  const b = createStorage(device, 'bench.b', hb);
  const c = createStorage(device, 'bench.c', n * n * 4);
  const mm = new Matmul(device, 'bench', { m: n, n, k: n });
  const run = async (reps: number) => {
    const enc = device.createCommandEncoder({ label: 'bench.matmul.encoder' });
    for (let i = 0; i < reps; i++) mm.encode(enc, a, b, c);
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  await run(1); // warm-up: pipeline compile, first dispatch
  const t0 = performance.now();
  await run(s.reps);
  const ms = performance.now() - t0;
  const got = await readBack(device, c);
  mm.destroy();
  [a, b, c].forEach((x) => x.destroy());
  return { relErr: { c: relErr(got, cpuMatmul(ha, hb, n, n, n)) }, gflops: (mm.flops * s.reps) / (ms * 1e6), msPerRep: ms / s.reps };
}

/**
 * Data parallelism on one device, with the all-reduce done on the host: N replicas each run
 * forward/backward on their shard (local mean), their gradients are summed, written back,
 * scaled by 1/N bucket by bucket with the collectives' ReduceKernel scale, and stepped. Every replica must equal
 * a 1-replica run on the whole global batch.
 */
export async function dataParallelCase(s: { layers: number[]; globalBatch: number; ranks: number; steps: number }): Promise<KernelResult> {
  return withDevice('test.data-parallel', async (device) => {
    const spec: MlpSpec = { layers: s.layers };
    const rng = new Rng(5);
    const params = initParams(spec, rng.fork(0));
    const sgd = { lr: 0.2, momentum: 0.9 };
    const local = s.globalBatch / s.ranks;
    const single = new GpuMlp(device, 'test.single', spec, { batch: s.globalBatch, sgd });
    const replicas = Array.from({ length: s.ranks }, (_, r) => new GpuMlp(device, `test.rank${r}`, spec, { batch: local, sgd }));
    [single, ...replicas].forEach((m) => m.writeParams(params));
    const buckets = makeBuckets(single.layout, { bucketCapBytes: 512, firstBucketBytes: 128 });
    const reduce = new ReduceKernel(device, 'sum', 'test.dp');
    const inDim = s.layers[0];
    let worst = 0;
    for (let step = 0; step < s.steps; step++) {
      const x = randn(rng, s.globalBatch * inDim);
      const labels = Uint32Array.from({ length: s.globalBatch }, () => rng.int(s.layers[s.layers.length - 1]));
      single.uploadBatch(x, labels);
      replicas.forEach((m, r) => m.uploadBatch(x.subarray(r * local * inDim, (r + 1) * local * inDim), labels.subarray(r * local, (r + 1) * local)));
      const enc = device.createCommandEncoder({ label: 'test.dp.encoder' });
      for (const m of [single, ...replicas]) [m.encodeForward(enc), m.encodeBackward(enc)];
      single.encodeSgd(enc);
      device.queue.submit([enc.finish()]);
      const grads = await Promise.all(replicas.map((m) => m.readGrads()));
      const sum = new Float32Array(grads[0].length);
      for (const g of grads) for (let i = 0; i < g.length; i++) sum[i] += g[i];
      const enc2 = device.createCommandEncoder({ label: 'test.dp.encoder2' });
      for (const m of replicas) {
        device.queue.writeBuffer(m.grads, 0, sum);
        for (const b of buckets) reduce.submitScale(m.grads, b.start, b.count, 1 / s.ranks);
        m.encodeSgd(enc2);
      }
      device.queue.submit([enc2.finish()]);
      const ref = await single.readParams();
      for (const m of replicas) worst = Math.max(worst, relErr(await m.readParams(), ref));
    }
    [single, ...replicas].forEach((m) => m.destroy());
    reduce.destroy();
    return { relErr: { replicasVsSingle: worst }, buckets: buckets.length };
  });
}
