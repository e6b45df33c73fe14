/**
 * Data-parallel training on real WebGPU ranks (DESIGN.md §7): replicas stay identical after
 * every step, 1/2/4 ranks follow one loss curve, the model learns, overlap and the transfer
 * protocol change no number, and a 3× straggler really computes about 3× longer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessPage } from '../support/browser';
import { reasons, remeasureOnce } from '../support/timing';
import type { TrainRequest, TrainResult } from '../../src/cluster/train';
import { median } from '../../src/core/metrics';

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h?.close());

const STEPS = 12;
/** Several buckets (caps of 256 B / 64 B), so overlap has something to overlap. */
const base: Partial<TrainRequest> = { steps: STEPS, globalBatch: 16, layers: [8, 16, 4], bucketCapBytes: 256, firstBucketBytes: 64 };
/** Runs the correctness tests share (the same run checked several ways); timed tests use `fresh`. */
const runs = new Map<string, TrainResult>();

async function run(key: string, over: Partial<TrainRequest>, keepTimelines = false): Promise<TrainResult> {
  let r = runs.get(key);
  if (!r) {
    r = await h.call<TrainResult>('runTrain', { ...base, ...over }, keepTimelines);
    runs.set(key, r);
  }
  expect(r.status, `${r.error ?? ''}\n${h.logs.slice(-10).join('\n')}`).toBe('done');
  return r;
}

/** A new run, never cached: a timing judgement measured again must measure again. */
async function fresh(over: Partial<TrainRequest>): Promise<TrainResult> {
  const r = await h.call<TrainResult>('runTrain', { ...base, ...over }, false);
  expect(r.status, `${r.error ?? ''}\n${h.logs.slice(-10).join('\n')}`).toBe('done');
  return r;
}

const losses = (r: TrainResult): number[] => r.steps.map((s) => s.loss);

function expectSameCurve(a: number[], b: number[], relTol: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => expect(Math.abs(x - b[i]!) / Math.max(1e-6, Math.abs(b[i]!)), `step ${i}: ${x} vs ${b[i]}`).toBeLessThan(relTol));
}

describe('data-parallel training on WebGPU ranks', () => {
  it('4 ranks: every replica holds identical parameters after every step; timelines cover every rank', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    const r = await run('4', { ranks: 4, hashEveryStep: true }, true);
    expect(r.steps.length).toBe(STEPS);
    for (const s of r.steps) expect(new Set(s.paramHashes), `step ${s.step}: ${s.paramHashes?.join(' ')}`).toHaveProperty('size', 1);
    expect(new Set(r.paramHashes).size).toBe(1);
    expect((r.buckets ?? []).length).toBeGreaterThan(1);
    for (const tl of [r.timelines!.measured, r.timelines!.projected]) {
      expect(tl.lanes.length).toBe(4);
      for (const lane of tl.lanes) {
        const cats = new Set(lane.spans.map((s) => s.cat));
        for (const c of ['forward', 'backward', 'allreduce', 'send', 'recv', 'optimizer']) expect(cats, `${tl.clock} rank ${lane.rank}`).toContain(c);
      }
    }
    expect(r.projected!.stepS).toBeGreaterThan(0);
  });

  it('1, 2 and 4 ranks with the same global batch follow the same loss curve (float32 tolerance)', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    const one = await run('1', { ranks: 1 });
    const two = await run('2', { ranks: 2 });
    const four = await run('4', { ranks: 4, hashEveryStep: true }, true);
    expectSameCurve(losses(two), losses(one), 1e-4);
    expectSameCurve(losses(four), losses(one), 1e-4);
  });

  it('learns the gaussian clusters: loss falls well below its start and accuracy passes 90 %', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    const r = await run('1', { ranks: 1 });
    const first = r.steps[0]!;
    const tail = r.steps.slice(-3);
    const tailLoss = tail.reduce((a, s) => a + s.loss, 0) / tail.length;
    const tailAcc = tail.reduce((a, s) => a + s.accuracy, 0) / tail.length;
    expect(tailLoss, losses(r).join(' ')).toBeLessThan(first.loss * 0.3);
    expect(tailAcc).toBeGreaterThan(0.9);
  });

  it('overlap on and off give identical losses and parameters', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    const on = await run('2', { ranks: 2 });
    const off = await run('2-off', { ranks: 2, overlap: false });
    expect(losses(off)).toEqual(losses(on));
    expect(off.paramHashes).toEqual(on.paramHashes);
  });

  // Training's gradient all-reduce takes --proto as the benchmark does (default auto): the
  // host protocol reduces in JavaScript with the kernel's float32 rounding, so both protocols
  // must give the same bits, and auto says per bucket which ran and why.
  it("simple and host protocols train to identical losses and parameters; auto names each bucket's protocol", async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    const simple = await run('4-simple', { ranks: 4, proto: 'simple' });
    const host = await run('4-host', { ranks: 4, proto: 'host' });
    const auto = await run('4', { ranks: 4, hashEveryStep: true }, true);
    expect(new Set(simple.paramHashes).size).toBe(1);
    expect(new Set(host.paramHashes).size).toBe(1);
    expect(losses(host)).toEqual(losses(simple));
    expect(host.paramHashes).toEqual(simple.paramHashes);
    expect(auto.paramHashes).toEqual(simple.paramHashes);
    expect(simple.buckets!.every((b) => b.protocol === 'simple' && b.protocolWhy === 'simple: chosen')).toBe(true);
    expect(host.buckets!.every((b) => b.protocol === 'host')).toBe(true);
    for (const b of auto.buckets!) expect(b.protocolWhy, `bucket ${b.index}`).toMatch(new RegExp(`^auto: predicted ${b.protocol} [\\d.]+ ms ≤ (host|simple) [\\d.]+ ms$`));
  });

  it('a 3× straggler makes a compute-bound step about 3× longer', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    // One rank, so no peer contends for the shared adapter and no communication dilutes the
    // ratio; layers large enough that forward/backward dominate the (unrepeated) optimizer and
    // the per-step fences (with the vec4 matmul, [64, 128, 10] at batch 64 took ~17 ms a step on
    // SwiftShader, half of it fixed overhead, and the ratio fell to 1.7–2.7).
    const link = (straggler: string | null) =>
      ({ link: 'none', intraLink: 'nvlink', alphaUs: null, bandwidth: null, nodes: 1, ranksPerNode: null, straggler, slowLink: null, gpu: 'h100', scaled: true }) as const;
    const common = { ranks: 1, steps: 6, layers: [64, 256, 256, 10], globalBatch: 256 };
    // Medians of the steps after the first: single steps on the two shared cores vary by ±50 %.
    // The straggler repeats forward and backward (the compute spans, which also hold one fence
    // each and the unrepeated optimizer), so its compute time is close to 3×; the whole step also
    // holds the batch upload and the step's bookkeeping, which no GPU speed changes. The straggler
    // run sits between two plain runs, so a change of the machine's load cancels out.
    const med = (r: TrainResult, f: (s: TrainResult['steps'][number]) => number): number => median(r.steps.slice(1).map(f));
    const stepOf = (s: TrainResult['steps'][number]): number => s.stepMs;
    const computeOf = (s: TrainResult['steps'][number]): number => s.perRank[0]!.computeMs;
    const measure = async () => {
      const plain = await fresh({ ...common, link: link(null) });
      const slow = await fresh({ ...common, link: link('0:3') });
      const plain2 = await fresh({ ...common, link: link(null) });
      expect(losses(slow)).toEqual(losses(plain)); // repeats change no number
      expect(losses(plain2)).toEqual(losses(plain));
      // The projection applies the same factor to the straggler's forward and backward.
      const cal = slow.calibration!;
      const fb = [...cal.fwdS, ...cal.bwdS].reduce((a, b) => a + b, 0);
      expect(slow.projected!.perRank[0]!.computeS).toBeCloseTo(3 * fb + cal.optimizerS, 6);
      const base = (f: (s: TrainResult['steps'][number]) => number): number => (med(plain, f) + med(plain2, f)) / 2;
      const stepRatio = med(slow, stepOf) / base(stepOf);
      const computeRatio = med(slow, computeOf) / base(computeOf);
      const report = `median step ${med(slow, stepOf).toFixed(1)} ms vs ${med(plain, stepOf).toFixed(1)} / ${med(plain2, stepOf).toFixed(1)} ms (${stepRatio.toFixed(2)}×), compute ${med(slow, computeOf).toFixed(1)} ms vs ${base(computeOf).toFixed(1)} ms (${computeRatio.toFixed(2)}×)`;
      console.log(`3× straggler, 1 rank: ${report}`);
      return { stepRatio, computeRatio, report };
    };
    await remeasureOnce('train: 1-rank 3× straggler', measure, ({ stepRatio, computeRatio, report }) => {
      const why = reasons(
        // Three back-to-back submits on SwiftShader with a shared machine's load: 2.3–3.7× seen in CI runs.
        computeRatio < 2 && `compute ratio ${computeRatio.toFixed(2)}× < 2×`,
        // Above 5 the factor would be applied twice (9×); load on the shared cores alone gave up to 3.7×.
        computeRatio > 5 && `compute ratio ${computeRatio.toFixed(2)}× > 5×`,
        stepRatio < 1.8 && `step ratio ${stepRatio.toFixed(2)}× < 1.8×`,
      );
      return why && `${why} (${report})`;
    });
  });
  it("a 3× straggler at 4 ranks: its compute triples and every other rank's projected step waits for it", async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    // Within one run on the projected clock, where each rank has its own GPU: two runs would
    // compare two calibrations on a shared, noisy machine, and on the measured clock four ranks
    // share two cores, so a straggler slows its peers too.
    const link = {
      link: 'none',
      intraLink: 'nvlink',
      alphaUs: null,
      bandwidth: null,
      nodes: 1,
      ranksPerNode: null,
      straggler: '1:3',
      slowLink: null,
      gpu: 'h100',
      scaled: true,
    } as const;
    const measure = async () => {
      const slow = await fresh({ ranks: 4, steps: 2, layers: [64, 256, 256, 10], globalBatch: 128, link });
      const q = slow.projected!;
      const [normal, straggler] = [q.perRank[0]!, q.perRank[1]!];
      const cal = slow.calibration!;
      const fb = [...cal.fwdS, ...cal.bwdS].reduce((a, b) => a + b, 0);
      expect(straggler.computeS).toBeCloseTo(3 * fb + cal.optimizerS, 6);
      expect(normal.computeS).toBeCloseTo(fb + cal.optimizerS, 6);
      // The step is one for all: every rank's step lasts at least the straggler's compute, and the
      // normal ranks spend the difference waiting.
      expect(q.stepS).toBeGreaterThanOrEqual(straggler.computeS);
      for (const r of [0, 2, 3]) {
        const other = q.perRank[r]!;
        expect(other.idleS + other.exposedCommS, `rank ${r} waits`).toBeGreaterThan(0.8 * (straggler.computeS - other.computeS));
      }
      return { stepS: q.stepS, normalComputeS: normal.computeS };
    };
    // About 3× a normal rank's own compute: the step is at least 3·fb + optimizer, more than 2.5×
    // fb + optimizer once the calibrated forward + backward outweigh the optimizer 3 to 1, a
    // measured proportion, so this one is a timing judgement.
    await remeasureOnce('train: 4-rank 3× straggler, projected step / normal compute', measure, ({ stepS, normalComputeS }) =>
      stepS / normalComputeS > 2.5
        ? null
        : `projected step ${(stepS * 1e3).toFixed(1)} ms / normal compute ${(normalComputeS * 1e3).toFixed(1)} ms = ${(stepS / normalComputeS).toFixed(2)}, not > 2.5`,
    );
  });
});
