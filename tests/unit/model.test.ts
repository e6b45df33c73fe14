import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng';
import { gatherBatch, globalBatch, makeDataset, shardBatch, shardError } from '../../src/core/dataset';
import { initParams, lossAndGrad, paramLayout, sgdStep, forward, type MlpSpec } from '../../src/core/model';
import { makeBuckets } from '../../src/core/buckets';

function maxRelErr(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) [diff, scale] = [Math.max(diff, Math.abs(a[i] - b[i])), Math.max(scale, Math.abs(b[i]))];
  return diff / scale;
}

describe('rng', () => {
  it('is reproducible, forks are independent of draw position, normal has unit variance', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    expect([a.uniform(), a.uniform()]).toEqual([b.uniform(), b.uniform()]);
    const f1 = new Rng(7).fork(3).uniform();
    const r = new Rng(7);
    r.uniform();
    expect(r.fork(3).uniform()).toBe(f1);
    expect(new Rng(7).fork(4).uniform()).not.toBe(f1);
    const n = new Rng(1);
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < 20000; i++) {
      const v = n.normal();
      [s, s2] = [s + v, s2 + v * v];
    }
    expect(Math.abs(s / 20000)).toBeLessThan(0.03);
    expect(Math.abs(s2 / 20000 - 1)).toBeLessThan(0.05);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[n.int(3)]++;
    for (const c of counts) expect(c).toBeGreaterThan(900);
  });
});

describe('dataset', () => {
  it('is seeded, balanced, and batches are deterministic permutations', () => {
    const d1 = makeDataset({ kind: 'gaussian', samples: 100, inputDim: 5, classes: 4, seed: 3 });
    const d2 = makeDataset({ kind: 'gaussian', samples: 100, inputDim: 5, classes: 4, seed: 3 });
    expect(d1.inputs).toEqual(d2.inputs);
    expect(d1.inputs.length).toBe(500);
    expect(Math.max(...d1.labels)).toBe(3);
    const s = makeDataset({ kind: 'spirals', samples: 30, inputDim: 2, classes: 3, seed: 1 });
    expect(s.inputs.every(Number.isFinite)).toBe(true);
    expect(() => makeDataset({ kind: 'spirals', samples: 30, inputDim: 3, classes: 3, seed: 1 })).toThrow(/inputDim = 2/);
    // 4 batches of 25 cover one epoch exactly once.
    const seen = new Set<number>();
    for (let st = 0; st < 4; st++) globalBatch(d1, st, 25).forEach((i) => seen.add(i));
    expect(seen.size).toBe(100);
    expect(globalBatch(d1, 5, 30)).toEqual(globalBatch(d2, 5, 30));
  });

  it('shards contiguously and refuses uneven splits clearly', () => {
    const idx = Uint32Array.from([9, 8, 7, 6, 5, 4]);
    expect([...shardBatch(idx, 3, 1)]).toEqual([7, 6]);
    expect(() => shardBatch(idx, 4, 0)).toThrow(/does not divide by 4 ranks/);
    expect(shardError(8, 4)).toBeNull();
  });
});

describe('model', () => {
  const spec: MlpSpec = { layers: [3, 5, 4, 3] };

  it('lays out tensors in reverse layer order, W then b, contiguously', () => {
    const l = paramLayout(spec);
    expect(l.tensors.map((t) => t.name)).toEqual(['layer2.weight', 'layer2.bias', 'layer1.weight', 'layer1.bias', 'layer0.weight', 'layer0.bias']);
    let off = 0;
    for (const t of l.tensors) {
      expect(t.offset).toBe(off);
      off += t.size;
    }
    expect(l.count).toBe(3 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3);
  });

  it('gradients match central finite differences (float64 check on float32 params)', () => {
    const rng = new Rng(11);
    const params = initParams(spec, rng);
    for (let i = 0; i < params.length; i++) params[i] += 0.1 * rng.normal(); // non-zero biases too
    const batch = 4;
    const x = Float32Array.from({ length: batch * 3 }, () => rng.normal());
    const labels = Uint32Array.from([0, 1, 2, 1]);
    const { grads } = lossAndGrad(spec, params, x, labels, batch);
    const h = 1e-2; // float32 forward: a large step keeps round-off below truncation error
    let worst = 0;
    for (let i = 0; i < params.length; i++) {
      const p = Float32Array.from(params);
      p[i] = params[i] + h;
      const up = lossAndGrad(spec, p, x, labels, batch).loss;
      p[i] = params[i] - h;
      const down = lossAndGrad(spec, p, x, labels, batch).loss;
      worst = Math.max(worst, Math.abs((up - down) / (2 * h) - grads[i]));
    }
    expect(worst).toBeLessThan(2e-3);
  });

  it('training on the gaussian data set with the CPU reference lowers the loss clearly', () => {
    const data = makeDataset({ kind: 'gaussian', samples: 512, inputDim: 8, classes: 4, seed: 5 });
    const s: MlpSpec = { layers: [8, 16, 4] };
    const params = initParams(s, new Rng(5).fork(0));
    const velocity = new Float32Array(params.length);
    const losses: number[] = [];
    for (let step = 0; step < 120; step++) {
      const { x, labels } = gatherBatch(data, globalBatch(data, step, 32));
      const r = lossAndGrad(s, params, x, labels, 32);
      losses.push(r.loss);
      sgdStep(params, r.grads, velocity, { lr: 0.05, momentum: 0.9 });
    }
    const first = losses.slice(0, 10).reduce((a, b) => a + b) / 10;
    const last = losses.slice(-10).reduce((a, b) => a + b) / 10;
    expect(last).toBeLessThan(0.5 * first);
    const all = gatherBatch(data, globalBatch(data, 0, 512));
    const logits = forward(s, params, all.x, 512);
    expect(logits.length).toBe(512 * 4);
  });

  it('averaging per-shard mean gradients equals the global-batch gradient', () => {
    const data = makeDataset({ kind: 'spirals', samples: 64, inputDim: 2, classes: 3, seed: 9 });
    const s: MlpSpec = { layers: [2, 8, 3] };
    const params = initParams(s, new Rng(1));
    const idx = globalBatch(data, 0, 24);
    const full = gatherBatch(data, idx);
    const ref = lossAndGrad(s, params, full.x, full.labels, 24).grads;
    for (const ranks of [2, 3, 4]) {
      const avg = new Float32Array(ref.length);
      for (let r = 0; r < ranks; r++) {
        const sh = gatherBatch(data, shardBatch(idx, ranks, r));
        const g = lossAndGrad(s, params, sh.x, sh.labels, 24 / ranks).grads;
        for (let i = 0; i < g.length; i++) avg[i] += g[i] / ranks;
      }
      expect(maxRelErr(avg, ref)).toBeLessThan(1e-5);
    }
  });

  it('sgd follows PyTorch semantics', () => {
    const p = Float32Array.from([1, 2]);
    const v = Float32Array.from([0.5, 0]);
    sgdStep(p, Float32Array.from([1, -1]), v, { lr: 0.1, momentum: 0.9 });
    expect(v[0]).toBeCloseTo(1.45, 6);
    expect(p[0]).toBeCloseTo(1 - 0.145, 6);
    expect(p[1]).toBeCloseTo(2.1, 6);
  });
});

describe('buckets', () => {
  it('cover every element once, in reverse layer order, within caps', () => {
    const layout = paramLayout({ layers: [64, 256, 256, 10] });
    for (const [cap, first] of [
      [40_000, 8_000],
      [300_000, 20_000],
      [25 << 20, 1 << 20],
      [1000, 1000],
    ]) {
      const buckets = makeBuckets(layout, { bucketCapBytes: cap, firstBucketBytes: first });
      let next = 0;
      let lastLayer = Infinity;
      buckets.forEach((b, i) => {
        expect(b.start).toBe(next);
        next += b.count;
        expect(b.bytes).toBe(b.count * 4);
        const limit = i === 0 ? first : cap;
        if (b.tensors.length > 1) expect(b.bytes).toBeLessThanOrEqual(limit);
        for (const l of b.layers) {
          expect(l).toBeLessThanOrEqual(lastLayer);
          lastLayer = l;
        }
        expect(b.readyAfterLayer).toBe(Math.min(...b.layers));
      });
      expect(next).toBe(layout.count);
    }
    const one = makeBuckets(layout);
    expect(one.map((b) => b.tensors.length)).toEqual([6]); // 86 KB < 1 MiB: one bucket
    const small = makeBuckets(layout, { bucketCapBytes: 300_000, firstBucketBytes: 20_000 });
    expect(small[0].tensors).toEqual(['layer2.weight', 'layer2.bias']);
  });
});
