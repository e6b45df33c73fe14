/**
 * `npm run perf`: benchmarks measured side by side in one run on this machine, written to
 * BENCHMARKS.md with the machine and adapter they came from. Never timed assertions: ratios
 * and trends are read by people, in one table each.
 *
 *  0. the transport against its floor (issue 8): 8 B ring latency over steps × readback round
 *     trip and 16 MiB busbw over the host-staged ceiling, at 2 and 4 ranks, per protocol; and the
 *     runner page's longest main-thread task (PerformanceObserver longtask) during the sweeps
 *     and during training;
 *  1. all-reduce algorithms at 4 and 8 ranks, small and large messages (time, busbw);
 *  2. data-parallel training at 1, 2, 4 ranks (step time on both clocks);
 *  3. the app page's longest main-thread task during a sweep and a training run (scripts/perf-page.ts);
 *  4. memory over 50 runs in a row (page + workers via measureUserAgentSpecificMemory, and the
 *     resident memory of every Chromium process), which must not grow;
 *  5. ringlab's matmul against tfjs-backend-webgpu on one device (scripts/perf-matmul.ts; alone:
 *     `npm run perf:matmul`).
 *
 * Options: --label TEXT (section title), --runs N (memory runs, default 50), --quick.
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { findChromium, launchChromium } from '../src/cli/chromium';
import { ensureBuilt } from '../src/cli/ensure-built';
import { serveStatic } from '../src/cli/serve';
import { fromWire, type RunnerApi, type RunnerRequest } from '../src/cli/runner-protocol';
import type { ScalingResult } from '../src/cluster/scaling';
import type { SweepResult } from '../src/cluster/sweep';
import { LINK_FIELDS } from '../src/core/link';
import { defaults } from '../src/core/config';
import { appPageLines, measureAppPage } from './perf-page';
import type { Algorithm } from '../src/core/schedule/types';
import { buildSchedule } from '../src/core/schedule';
import { decideProtocol } from '../src/core/protocol-choice';
import { ceilingGBps, type TransportFloor } from '../src/core/floor';
import { matmulSection, runMatmulBench } from './perf-matmul';
import { NUDGE_MS } from '../src/rank/nudge';
import { median } from '../src/core/metrics';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const quick = process.argv.includes('--quick');
/** A table's nudge column: the period, or off. */
const nudgeLabel = (ms: number): string => (ms > 0 ? `${ms} ms` : 'off');
/** Rounds of the 8 B latency settings (they take turns). */
const LATENCY_ROUNDS = quick ? 1 : 5;
const memoryRuns = Number(arg('--runs') ?? (quick ? 10 : 50));
const root = process.cwd();

ensureBuilt(root);
const server = await serveStatic(join(root, 'dist'));
const chromiumTag = `--ringlab-perf-tag=${process.pid}-${Date.now()}`; // an inert flag that marks this Chromium in `ps`
const choice = findChromium({ install: true });
const browser = await launchChromium(choice, [chromiumTag, '--enable-blink-features=ForceEagerMeasureMemory']);
const page = await browser.newPage();
await page.goto(`${server.url}/runner.html`);
await page.waitForFunction(() => (window as Window & { ringlabRunner?: RunnerApi }).ringlabRunner !== undefined);
const probe = await page.evaluate(() => (window as Window & { ringlabRunner?: RunnerApi }).ringlabRunner!.probeWebGpu());
if (!probe.ok) {
  console.error(`perf: WebGPU unavailable: ${probe.reason}`);
  process.exit(1);
}

const link = defaults(LINK_FIELDS);
async function sweep(req: Omit<RunnerRequest, 'link'>, over: Partial<RunnerRequest['link']> = {}): Promise<SweepResult> {
  const r = fromWire<SweepResult>(
    await page.evaluate(
      async (q) => {
        const runner = (window as Window & { ringlabRunner?: RunnerApi }).ringlabRunner!;
        return runner.wire(await runner.runSweep(q));
      },
      { ...req, link: { ...link, ...over } },
    ),
  );
  if (r.status !== 'done') throw new Error(`sweep ${req.algorithm} ${req.ranks}: ${r.status} ${r.error ?? ''}`);
  return r;
}

/** Resident memory (MiB) of every process of this Chromium (found by its marker flag). */
function chromiumRssMiB(): number {
  const out = execSync('ps -ww -eo pid,ppid,rss,args', { encoding: 'utf8' }).split('\n').slice(1);
  const procs = out.flatMap((l) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(l);
    return m ? [{ pid: +m[1]!, ppid: +m[2]!, rss: +m[3]!, args: m[4]! }] : [];
  });
  const roots = new Set(procs.filter((p) => p.args.includes(chromiumTag)).map((p) => p.pid));
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (roots.has(p.pid) || !roots.has(p.ppid)) continue;
      roots.add(p.pid);
      grew = true;
    }
  }
  return procs.filter((p) => roots.has(p.pid)).reduce((a, p) => a + p.rss, 0) / 1024;
}

async function pageMemoryMiB(): Promise<number> {
  return page.evaluate(async () => {
    const p = performance as Performance & { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> };
    return p.measureUserAgentSpecificMemory ? (await p.measureUserAgentSpecificMemory()).bytes / 2 ** 20 : Number.NaN;
  });
}

const base = { collective: 'all_reduce' as const, op: 'sum' as const, root: 0, check: true, timeoutMs: 60_000, warmupIters: 2, iters: quick ? 3 : 5, stepFactor: 4 };
const algos: Algorithm[] = ['ring', 'tree', 'recursive-doubling', 'rabenseifner', 'star', 'hierarchical'];
const lines: string[] = [];
let longTasks = '';
const started = Date.now();
let environment: SweepResult['environment'];

// Longest main-thread task of this (runner) page, by PerformanceObserver 'longtask'.
async function longTaskWatch(): Promise<void> {
  await page.evaluate(() => {
    const w = window as Window & { ringlabLongest?: number };
    w.ringlabLongest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.ringlabLongest = Math.max(w.ringlabLongest ?? 0, e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
}
async function longestTaskMs(): Promise<number> {
  return page.evaluate(() => {
    const w = window as Window & { ringlabLongest?: number };
    const v = w.ringlabLongest ?? 0;
    w.ringlabLongest = 0;
    return v;
  });
}
await longTaskWatch();

lines.push('### Transport against its floor (issue 8), measured in the same run', '');
lines.push(
  `Floor: measured by the ranks at the start of each sweep (src/rank/floor-probe.ts). Latency ratio = time of an 8 B ring all-reduce / (steps × readback round trip); busbw ratio = busbw at 16 MiB / serial host-staged ceiling 1/(1/readback + 1/memcpy + 1/upload) at 16 MiB, upload being the faster of writeBuffer and mapped MAP_WRITE staging (the way the host protocol uploads at 16 MiB); the issue's writeBuffer-only ceiling is shown beside it. The 8 B settings take turns on fresh clusters (${LATENCY_ROUNDS} rounds of 20 timed iterations), and the time is the median of the rounds' means (the issue's time, nccl-tests' mean), shown beside the median of the rounds' median iterations: on two shared cores one sweep of 20 iterations moves by 2× from run to run, and a few stalled iterations move a mean. The floor shown is the last round's. Nudge: the collectives' empty submits while a readback or fence is pending (src/rank/nudge.ts; default ${NUDGE_MS} ms), on and off side by side; the floor's round trip is the browser's plain copy + mapAsync, never nudged. The round trip with every rank reading back at once is shown too (the GPU process answers late under contention). The ceilings are one rank's stages measured alone, except "ceiling, all ranks at once": the same stages run on every rank of a fresh cluster at the same time, each GPU stage started on all ranks together by a barrier (Cluster.contendedStageRates), the slowest rank's ceiling: what the stages get when ranks share one GPU process and the CPU cores. Neither ceiling counts the reduction or the slot copies. Targets: latency ≤ 2×, busbw ≥ 0.8×.`,
  '',
);
lines.push(
  '| ranks | protocol | nudge | steps | round trip (ms) | all ranks at once (ms) | time @ 8 B (µs, median of the rounds’ means) | latency ratio | median iteration @ 8 B (µs, median of the rounds’ medians) | its ratio | ceiling @ 16 MiB (GB/s) | writeBuffer-only ceiling (GB/s) | busbw @ 16 MiB (GB/s) | busbw ratio | ratio to writeBuffer-only ceiling | ceiling, all ranks at once (GB/s) | busbw / that | #wrong |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
);
let floorLine = '';
const contendedLines: string[] = [];
let lastFloor: TransportFloor | undefined;
for (const ranks of [2, 4]) {
  // The same stages on every rank at once: the ceiling when the ranks share the GPU process and the cores.
  const contended = await page.evaluate((q) => (window as Window & { ringlabRunner?: RunnerApi }).ringlabRunner!.contendedStageRates(q.ranks, q.bytes, 3), {
    ranks,
    bytes: 16 << 20,
  });
  const sharedCeiling = Math.min(...contended.map(ceilingGBps));
  contendedLines.push(
    `${ranks} ranks at once, per rank at 16 MiB: ${contended.map((r, i) => `rank ${i} readback ${r.readbackGBps.toPrecision(3)}, memcpy ${r.memcpyGBps.toPrecision(3)}, writeBuffer ${r.writeBufferGBps.toPrecision(3)}, mapped write ${r.mappedWriteGBps?.toPrecision(3) ?? 'n/a'} GB/s`).join('; ')}.`,
  );
  const settings = [
    ['simple', NUDGE_MS],
    ['host', NUDGE_MS],
    ['host', 0],
  ] as const;
  // 8 B: the settings take turns, LATENCY_ROUNDS times, each on a fresh cluster; a row's time is the median of its rounds' means.
  const smalls = settings.map(() => [] as SweepResult[]);
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    for (const [i, [proto, nudgeMs]] of settings.entries())
      smalls[i]!.push(await sweep({ ...base, ranks, algorithm: 'ring', minBytes: 8, maxBytes: 8, proto, nudgeMs, iters: 20, warmupIters: 3 }));
  }
  for (const [i, [proto, nudgeMs]] of settings.entries()) {
    const small = smalls[i]!.at(-1)!;
    const big = await sweep({ ...base, ranks, algorithm: 'ring', minBytes: 16 << 20, maxBytes: 16 << 20, proto, nudgeMs, iters: 3, warmupIters: 1 });
    const floor = small.environment?.floor;
    if (!floor) throw new Error('perf: the sweep reported no transport floor');
    const steps = 2 * (ranks - 1);
    const ceiling = ceilingGBps(floor.large);
    // The issue's ceiling, writeBuffer only: the same formula without the mapped figure.
    const { mappedWriteGBps: _mapped, ...writeBufferOnly } = floor.large;
    const wbCeiling = ceilingGBps(writeBufferOnly);
    const rounds = smalls[i]!.map((r) => r.rows[0]!);
    const t = { timeUs: median(rounds.map((r) => r.timeUs)), medianUs: median(rounds.map((r) => r.medianUs)) };
    const b = big.rows[0]!;
    const wrong = rounds.reduce((a, r) => a + (r.wrong ?? 0), 0) + (b.wrong ?? 0);
    lines.push(
      `| ${ranks} | ${proto} | ${nudgeLabel(nudgeMs)} | ${steps} | ${floor.readbackRttMs.toFixed(3)} | ${floor.contended?.readbackRttMs.toFixed(3) ?? 'n/a'} | ${t.timeUs.toFixed(0)} | ${(t.timeUs / 1e3 / (steps * floor.readbackRttMs)).toFixed(2)} × | ${t.medianUs.toFixed(0)} | ${(t.medianUs / 1e3 / (steps * floor.readbackRttMs)).toFixed(2)} × | ${ceiling.toPrecision(3)} | ${wbCeiling.toPrecision(3)} | ${b.busbwGBps.toPrecision(3)} | ${(b.busbwGBps / ceiling).toFixed(2)} × | ${(b.busbwGBps / wbCeiling).toFixed(2)} × | ${sharedCeiling.toPrecision(3)} | ${(b.busbwGBps / sharedCeiling).toFixed(2)} × | ${wrong} |`,
    );
    lastFloor = floor;
    floorLine = `Floor of this session: readback round trip ${floor.readbackRttMs.toFixed(3)} ms; at 16 MiB readback ${floor.large.readbackGBps.toPrecision(3)}, memcpy ${floor.large.memcpyGBps.toPrecision(3)}, writeBuffer ${floor.large.writeBufferGBps.toPrecision(3)}, mapped write ${floor.large.mappedWriteGBps?.toPrecision(3) ?? 'n/a'} GB/s; at the ${floor.slot.bytes / 1024} KiB slot readback ${floor.slot.readbackGBps.toPrecision(3)}, memcpy ${floor.slot.memcpyGBps.toPrecision(3)}, writeBuffer ${floor.slot.writeBufferGBps.toPrecision(3)} GB/s; Atomics hop ${floor.atomicsHopUs?.toPrecision(3) ?? 'n/a'} µs (medians of ${floor.reps}, measured ${floor.measuredAt}).`;
    console.error(lines.at(-1));
  }
}
// What `auto` picks at these sizes from this floor (the ranks' own decision: src/core/protocol-choice.ts).
if (lastFloor) {
  const floor = lastFloor;
  const picks = [2, 4].flatMap((ranks) =>
    [8, 16 << 20].map((bytes) => `${ranks} ranks, ${bytes === 8 ? '8 B' : '16 MiB'}: ${decideProtocol('auto', buildSchedule('all_reduce', 'ring', ranks, bytes / 4), floor).why}`),
  );
  lines.push(
    '',
    `auto (the default) from this floor, ring: ${picks.join('; ')}; reduce rates at 4 MiB: JavaScript ${floor.reduce.jsGBps.toPrecision(3)} GB/s, GPU kernel ${floor.reduce.gpuGBps.toPrecision(3)} GB/s.`,
  );
}
lines.push('', floorLine, '', ...contendedLines.flatMap((l) => [l, '']));

// Emulated links against the α-β model on the measured clock (issue 8: within 20 % of the α term at α = 1 ms).
lines.push('#### Emulated link at α = 1 ms, 50 MB/s: 8 B all-reduce on 4 ranks against its α term', '');
lines.push('| algorithm | nudge | α term | mean (µs) | median (µs) | mean / α term | median / α term | protocol | #wrong |', '|---|---|---|---|---|---|---|---|---|');
for (const [algorithm, steps, nudgeMs] of [
  ['ring', 6, NUDGE_MS],
  ['tree', 4, NUDGE_MS],
  ['recursive-doubling', 2, NUDGE_MS],
  ['recursive-doubling', 2, 0],
] as const) {
  const r = await sweep(
    { ...base, ranks: 4, algorithm, minBytes: 8, maxBytes: 8, nudgeMs, iters: quick ? 10 : 20, warmupIters: 5 },
    { link: 'custom', alphaUs: 1000, bandwidth: 50e6, scaled: false },
  );
  const row = r.rows[0]!;
  const term = steps * 1000;
  lines.push(
    `| ${algorithm} | ${nudgeLabel(nudgeMs)} | ${steps}α = ${steps} ms | ${row.timeUs.toFixed(0)} | ${row.medianUs.toFixed(0)} | ${(row.timeUs / term).toFixed(2)} | ${(row.medianUs / term).toFixed(2)} | ${row.protocol ?? '–'} | ${row.wrong ?? 'n/a'} |`,
  );
  console.error(lines.at(-1));
}
lines.push('');
const longestSweepMs = await longestTaskMs();

lines.push('### All-reduce: every algorithm side by side', '');
lines.push('Each cell: mean time of one all-reduce (slowest rank) and busbw at that size; 16 B shows latency, 1 MiB bandwidth.', '');
lines.push('| ranks | algorithm | time @ 16 B (µs) | time @ 16 KiB (µs) | time @ 1 MiB (µs) | busbw @ 1 MiB (GB/s) | #wrong |', '|---|---|---|---|---|---|---|');
for (const ranks of quick ? [4] : [4, 8]) {
  for (const algorithm of algos) {
    const r = await sweep({ ...base, ranks, algorithm, minBytes: 16, maxBytes: 1 << 20, ...(algorithm === 'hierarchical' ? { ranksPerNode: 2 } : {}) });
    environment ??= r.environment;
    const at = (b: number) => r.rows.find((x) => x.bytes >= b)!;
    const wrong = r.rows.reduce((a, x) => a + (x.wrong ?? 0), 0);
    lines.push(
      `| ${ranks} | ${algorithm}${algorithm === 'hierarchical' ? ' (2 per node)' : ''} | ${at(16).timeUs.toFixed(0)} | ${at(16384).timeUs.toFixed(0)} | ${at(1 << 20).timeUs.toFixed(0)} | ${at(1 << 20).busbwGBps.toPrecision(3)} | ${wrong} |`,
    );
    console.error(lines.at(-1));
  }
}

lines.push('', '### Data-parallel training (strong scaling, layers 64,256,256,10, global batch 64, ring, overlap on, 8 steps)', '');
lines.push(
  '| ranks | step measured (ms) | step projected (ms) | compute M / exposed comm M / idle M (ms) | efficiency M | efficiency P | final loss |',
  '|---|---|---|---|---|---|---|',
);
{
  const link = defaults(LINK_FIELDS);
  const req = {
    rankCounts: quick ? [1, 2] : [1, 2, 4],
    scaling: 'strong' as const,
    globalBatch: 64,
    layers: [64, 256, 256, 10],
    steps: 8,
    seed: 1,
    algorithm: 'ring' as const,
    bucketCapBytes: 64 * 1024,
    firstBucketBytes: 16 * 1024,
    overlap: true,
    lr: 0.05,
    momentum: 0.9,
    dataset: 'clusters' as const,
    link,
    timeoutMs: 60_000,
  };
  const longestBeforeTrainMs = Math.max(longestSweepMs, await longestTaskMs());
  const r = fromWire<ScalingResult>(
    await page.evaluate(async (q) => {
      const runner = (window as Window & { ringlabRunner?: RunnerApi }).ringlabRunner!;
      return runner.wire(await runner.runTraining(q));
    }, req),
  );
  const longestTrainMs = await longestTaskMs();
  longTasks = `Longest main-thread task of the runner page (PerformanceObserver longtask; tasks under 50 ms are not reported, so 0 means none over 50 ms): during the sweeps ${longestBeforeTrainMs.toFixed(0)} ms, during training ${longestTrainMs.toFixed(0)} ms (target: none over 50 ms).`;
  if (r.status !== 'done') throw new Error(`training: ${r.status} ${r.error ?? ''}`);
  for (const p of r.points) {
    lines.push(
      `| ${p.ranks} | ${p.measured.stepMs.toFixed(1)} | ${p.projected.stepMs.toFixed(1)} | ${p.measured.computeMs.toFixed(1)} / ${p.measured.exposedCommMs.toFixed(1)} / ${p.measured.idleMs.toFixed(1)} | ${(p.measured.efficiency * 100).toFixed(0)} % | ${(p.projected.efficiency * 100).toFixed(0)} % | ${p.finalLoss.toFixed(4)} |`,
    );
    console.error(lines.at(-1));
  }
  const cal = r.runs[0]?.calibration;
  if (cal)
    lines.push(
      '',
      `Calibration (1 rank, ${cal.method}): this GPU ${(cal.flopsPerS / 1e9).toPrecision(3)} GFLOP/s (best of the matmul probe and the model); the model itself ${(cal.modelFlopsPerS / 1e9).toPrecision(3)} GFLOP/s.`,
    );
}

lines.push('', longTasks, '');
const appPage = await measureAppPage(browser, server.url, quick);
for (const r of appPage) console.error(`perf: app page, ${r.what}: ${r.longTasks} task(s) ≥ 50 ms, longest ${r.longestTaskMs.toFixed(0)} ms`);
lines.push(...appPageLines(appPage));
lines.push('', `### Memory over ${memoryRuns} runs in a row`, '');
lines.push(
  'Each run: 4 ranks (4 workers, 4 GPU devices) created, a ring sweep 8 B–64 KiB, everything destroyed. Page + workers by `performance.measureUserAgentSpecificMemory()`; RSS = every process of this Chromium.',
  '',
);
lines.push('| after run | page + workers (MiB) | Chromium RSS (MiB) |', '|---|---|---|');
const marks = new Set([1, Math.ceil(memoryRuns / 5), Math.ceil(memoryRuns / 2), memoryRuns]);
const mem: { run: number; js: number; rss: number }[] = [];
for (let run = 1; run <= memoryRuns; run++) {
  await sweep({ ...base, ranks: 4, algorithm: 'ring', minBytes: 8, maxBytes: 65536, iters: 2, warmupIters: 1 });
  if (marks.has(run)) {
    const js = await pageMemoryMiB();
    const rss = chromiumRssMiB();
    mem.push({ run, js, rss });
    lines.push(`| ${run} | ${js.toFixed(1)} | ${rss.toFixed(0)} |`);
    console.error(lines.at(-1));
  }
}
const first = mem[0]!;
const last = mem.at(-1)!;
lines.push(
  '',
  `Growth from run ${first.run} to run ${last.run}: page + workers ${(last.js - first.js).toFixed(1)} MiB, Chromium RSS ${(last.rss - first.rss).toFixed(0)} MiB (${((last.rss / first.rss - 1) * 100).toFixed(1)} %).`,
);

// Matmul against tfjs-backend-webgpu (issue 8, item 4): its own page in this browser.
{
  const reps = quick ? 5 : 9;
  const result = await runMatmulBench(browser, root, { reps, warmup: 2 });
  lines.push('', ...matmulSection(result, reps));
}

await browser.close();
await server.close();

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const label = arg('--label') ?? `${os.hostname()}: ${environment?.adapterLabel ?? probe.adapter}`;
const section = [
  `## ${label}`,
  '',
  `- date: ${new Date().toISOString()}; took ${((Date.now() - started) / 1000).toFixed(0)} s`,
  `- machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}`,
  `- browser: Chromium ${browser.version()} (${choice.source})`,
  `- adapter: ${environment?.adapterLabel ?? probe.adapter}${environment?.isFallbackAdapter ? ' — software adapter: figures are NOT GPU figures' : ''}; timestamp-query: ${environment?.hasTimestamps ? 'yes' : 'no'}; timer resolution ${environment?.timerResolutionUs.toFixed(1)} µs; crossOriginIsolated: ${environment?.crossOriginIsolated}`,
  '',
  ...lines,
  '',
].join('\n');

const file = join(root, 'BENCHMARKS.md');
const header =
  '# ringlab benchmarks\n\nWritten by `npm run perf` (scripts/perf.ts). Each section is one run on one machine; a rerun with the same label replaces its section. Compare figures only within a section.\n\n';
let doc = existsSync(file) ? readFileSync(file, 'utf8') : header;
const start = doc.indexOf(`## ${label}\n`);
if (start >= 0) {
  const next = doc.indexOf('\n## ', start + 3);
  doc = doc.slice(0, start) + section + (next >= 0 ? doc.slice(next + 1) : '');
} else doc = `${doc.trimEnd()}\n\n${section}`;
writeFileSync(file, doc);
console.error(`perf: wrote section "${label}" to BENCHMARKS.md`);
process.exit(0);
