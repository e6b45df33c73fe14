/**
 * The "Matmul against tfjs-backend-webgpu" section of `npm run perf` (issue 8, item 4), also run
 * alone by `npm run perf:matmul` (scripts/matmul-bench.ts). Builds and serves the benchmark page
 * (bench/matmul.html, vite.bench.config.ts → dist-bench/), opens it in the caller's Chromium,
 * runs both libraries on one device with the same shapes and inputs, and formats the table.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { MatmulBenchApi, MatmulBenchCase, MatmulBenchInfo, MatmulBenchRow, PeakFlops } from '../bench/matmul-protocol';
import { ensureBuilt } from '../src/cli/ensure-built';
import { serveStatic } from '../src/cli/serve';

/** Squares the issue names (256³, 512³), then the training model's products (layers 64,256,256,10 at batch 64). */
export const MATMUL_CASES: MatmulBenchCase[] = [
  { name: '256³', m: 256, n: 256, k: 256 },
  { name: '512³', m: 512, n: 512, k: 512 },
  { name: 'forward layer 0: 64×256, k 64', m: 64, n: 256, k: 64 },
  { name: 'forward layer 1: 64×256, k 256', m: 64, n: 256, k: 256 },
  { name: 'dW layer 1: Aᵀ, 256×256, k 64', m: 256, n: 256, k: 64, transA: true },
  { name: 'dX layer 1: Bᵀ, 64×256, k 256', m: 64, n: 256, k: 256, transB: true },
  { name: 'forward layer 2: 64×10, k 256', m: 64, n: 10, k: 256 },
];

export interface MatmulBenchResult {
  info: MatmulBenchInfo;
  peak: PeakFlops;
  rows: MatmulBenchRow[];
}

/** Runs the benchmark page in `browser` (its own page and server, both closed afterwards). */
export async function runMatmulBench(browser: Browser, root: string, options: { reps: number; warmup: number; cases?: MatmulBenchCase[] }): Promise<MatmulBenchResult> {
  ensureBuilt(root, { built: 'dist-bench/bench/matmul.html', sources: ['bench', 'src', 'vite.bench.config.ts', 'vite.config.ts', 'package.json'], config: 'vite.bench.config.ts' });
  const server = await serveStatic(join(root, 'dist-bench'));
  const page = await browser.newPage();
  try {
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`[matmul page] ${m.text()}`);
    });
    await page.goto(`${server.url}/bench/matmul.html`);
    await page.waitForFunction(() => (window as Window & { ringlabMatmulBench?: MatmulBenchApi }).ringlabMatmulBench !== undefined);
    const info = await page.evaluate(() => (window as Window & { ringlabMatmulBench?: MatmulBenchApi }).ringlabMatmulBench!.info());
    const peak = await page.evaluate(() => (window as Window & { ringlabMatmulBench?: MatmulBenchApi }).ringlabMatmulBench!.peak());
    console.error(
      `matmul: adapter FMA peak ${peak.gflops.toPrecision(3)} GFLOP/s (${peak.invocations} invocations, ${peak.iters / 4} → ${peak.iters} iterations: ${peak.baseMs.toFixed(1)} → ${peak.medianMs.toFixed(1)} ms)`,
    );
    const rows: MatmulBenchRow[] = [];
    // One case per evaluate, so progress shows while a slow software adapter works.
    for (const c of options.cases ?? MATMUL_CASES) {
      const [row] = await page.evaluate((q) => (window as Window & { ringlabMatmulBench?: MatmulBenchApi }).ringlabMatmulBench!.run(q), {
        cases: [c],
        reps: options.reps,
        warmup: options.warmup,
      });
      rows.push(row!);
      console.error(
        `matmul ${c.name}: ${row!.ringlabKernel} ${row!.ringlabGflops.toPrecision(3)} GFLOP/s, tfjs ${row!.tfjsGflops.toPrecision(3)} GFLOP/s, ratio ${row!.ratio.toFixed(2)}×`,
      );
    }
    return { info, peak, rows };
  } finally {
    await page.close();
    await server.close();
  }
}

/** Above this max relative difference between the two C's, a row's timing compares different computations and gets no ratio. */
const MAX_REL_DIFF = 1e-4;

/** The markdown section: one row per product, both libraries side by side. */
export function matmulSection(r: MatmulBenchResult, reps: number): string[] {
  const adapterNote = r.info.isSoftware
    ? `${r.info.adapter}: a SOFTWARE adapter (the CPU running WebGPU), so these GFLOP/s and its "peak" are CPU figures, not GPU figures; only the ratio carries over`
    : r.info.adapter;
  const ofPeak = (gflops: number): string => `${((100 * gflops) / r.peak.gflops).toPrecision(2)} %`;
  return [
    '### Matmul against tfjs-backend-webgpu (issue 8), same page, same device, same run',
    '',
    `Adapter: ${adapterNote}. tfjs ${r.info.tfjsVersion} (\`@tensorflow/tfjs-backend-webgpu\`, a devDependency used by this benchmark only) runs on the GPUDevice ringlab requested. Each product is timed from the call to the moment a 4-byte readback of its C is mapped; median of ${reps} products per library, interleaved (ringlab, tfjs, then tfjs, ringlab, …) after warm-up. Target: ringlab / tfjs ≥ 1.0× at 256³ and 512³.`,
    '',
    `Measured peak of this adapter: ${r.peak.gflops.toPrecision(3)} GFLOP/s (bench/peak-flops.wgsl: ${r.peak.invocations} invocations running eight independent vec4 FMA chains; slope between ${r.peak.iters / 4} iterations, ${r.peak.baseMs.toFixed(1)} ms, and ${r.peak.iters}, ${r.peak.medianMs.toFixed(1)} ms, medians with the same fence as the products).`,
    '',
    '| product (C = m×n, inner k) | ringlab kernel | ringlab (ms) | ringlab GFLOP/s | of peak | tfjs (ms) | tfjs GFLOP/s | of peak | ringlab / tfjs | max rel. diff |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.rows.map(
      (x) =>
        `| ${x.case.name} | ${x.ringlabKernel} | ${x.ringlabMedianMs.toFixed(2)} | ${x.ringlabGflops.toPrecision(3)} | ${ofPeak(x.ringlabGflops)} | ${x.tfjsMedianMs.toFixed(2)} | ${x.tfjsGflops.toPrecision(3)} | ${ofPeak(x.tfjsGflops)} | ${x.relDiff <= MAX_REL_DIFF ? `${x.ratio.toFixed(2)} ×` : 'none: the results differ'} | ${x.relDiff.toExponential(1)} |`,
    ),
  ];
}
