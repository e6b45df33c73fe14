/**
 * `npm run bench` end to end: the real CLI in a child process, driving headless Chromium with
 * WebGPU ranks. One small sweep (5 sizes, 3 iterations) plus flag handling; about 20-40 s.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_FIELDS, fieldKeys } from '../../src/core/config';
import { buildReason } from '../../src/cli/ensure-built';
import type { JsonReport } from '../../src/cli/bench-report';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const ROOT = join(import.meta.dirname, '../..');

function bench(args: string[], timeoutMs = 120_000): Promise<Run> {
  return new Promise((done) => {
    execFile('npx', ['tsx', 'src/cli/bench.ts', ...args], { cwd: ROOT, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** Report lines that are table rows (not '#' comments). */
const tableRows = (stdout: string): string[][] =>
  stdout
    .split('\n')
    .filter((l) => /^\s+\d+\s+\d+\s+float\b/.test(l))
    .map((l) => l.trim().split(/\s+/));

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ringlab-cli-'));
  // Build once here so the sweep's own time is not charged with it (bench.ts would build too).
  if (buildReason(ROOT)) {
    return new Promise<void>((ok, fail) => execFile('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT }, (e) => (e ? fail(e) : ok())));
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench', () => {
  it('sweeps ring all-reduce on 4 ranks: one row per size, #wrong 0, nccl-tests bandwidths', async (ctx) => {
    const json = join(dir, 'ring.json');
    const run = await bench(['-g', '4', '-b', '8', '-e', '64K', '-f', '8', '-n', '3', '-w', '1', '--algo', 'ring', '-J', json]);
    if (run.code === 1 && /WebGPU is not available/.test(run.stderr)) {
      console.warn(`\n!!! WEBGPU UNAVAILABLE: ${run.stderr}\n!!! CLI sweep test SKIPPED\n`);
      ctx.skip();
    }
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/# adapter: /);
    expect(run.stdout).toMatch(/# crossOriginIsolated: true/);
    // the transport floor measured at the start of the run, and every size against it
    expect(run.stdout).toMatch(/# floor: readback round trip \d[\d.]* ms \(\d[\d.]* ms with all 4 ranks at once\); Atomics hop \d[\d.]* µs/);
    expect(run.stdout).toMatch(/# floor at 16 MiB: readback [\d.]+, memcpy [\d.]+, writeBuffer [\d.]+, mapped write [\d.]+ GB\/s → ceiling [\d.]+ GB\/s/);
    expect(run.stdout).toMatch(/# emulation floor: α ≥ /);
    expect(run.stdout).toMatch(/# reduce at 4 MiB: JavaScript [\d.]+ GB\/s \(host protocol\), GPU kernel [\d.]+ GB\/s \(simple protocol\)/);
    // auto decides each size from the floor and says what it weighed
    const vsFloor = run.stdout.match(/^# +\d+ +6 +[\d.]+ +[\d.e+-]+ {2}(host|simple) \(auto: predicted (host|simple) [\d.]+ ms ≤ (host|simple) [\d.]+ ms\)$/gm);
    expect(vsFloor?.length, 'one vs-floor line per size (ring on 4 ranks: 6 steps)').toBe(5);

    const sizes = [8, 64, 512, 4096, 32768];
    const rows = tableRows(run.stdout);
    expect(rows.map((r) => Number(r[0]))).toEqual(sizes);
    for (const r of rows) expect(r[8], r.join(' ')).toBe('0'); // #wrong column

    const report = JSON.parse(readFileSync(json, 'utf8')) as JsonReport;
    expect(report.status).toBe('done');
    expect(report.config.ranks).toBe(4);
    expect(report.rows.map((r) => r.bytes)).toEqual(sizes);
    for (const r of report.rows) {
      expect(r.wrong).toBe(0);
      expect(r.busbw_over_ceiling).toBeGreaterThan(0);
      expect(r.protocol_why).toMatch(new RegExp(`^auto: predicted ${r.protocol} `));
      expect(Math.abs(r.busbw_gbps / r.algbw_gbps - (2 * 3) / 4)).toBeLessThan(1e-9);
      const bytesPerTime = r.bytes / (r.time_us * 1e-6) / 1e9;
      expect(Math.abs(r.algbw_gbps / bytesPerTime - 1)).toBeLessThan(1e-9);
      expect(r.min_us).toBeLessThanOrEqual(r.median_us);
      expect(r.median_us).toBeLessThanOrEqual(r.p99_us);
    }
  });

  it('names a link below the emulation floor in the header, and not one above it', async (ctx) => {
    const fast = await bench(['-g', '2', '-b', '8', '-e', '8', '-n', '2', '-w', '1', '--link', 'custom', '--alpha-us', '1', '--bandwidth', '1TB/s']);
    if (fast.code === 1 && /WebGPU is not available/.test(fast.stderr)) {
      console.warn(`\n!!! WEBGPU UNAVAILABLE: ${fast.stderr}\n!!! CLI emulation-floor test SKIPPED\n`);
      ctx.skip();
    }
    expect(fast.code, fast.stderr).toBe(0);
    expect(fast.stdout).toMatch(
      /# warning: this link is below the emulation floor: α 1 µs is below this tab's [\d.]+ [µm]s; bandwidth 1000 GB\/s is above this tab's [\d.]+ [MG]B\/s/,
    );
    const slow = await bench(['-g', '2', '-b', '8', '-e', '8', '-n', '2', '-w', '1', '--link', 'custom', '--alpha-us', '100000', '--bandwidth', '1MB/s']);
    expect(slow.code, slow.stderr).toBe(0);
    expect(slow.stdout).toMatch(/# emulation floor: α ≥ /);
    expect(slow.stdout).not.toMatch(/# warning:/);
  });

  it.each([
    [['-g', '99'], '-g'],
    [['--algo', 'nope'], '--algo'],
    [['-b', '1X'], '-b'],
  ])('refuses %j with exit 2 and names the flag', async (args, flag) => {
    const run = await bench(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${flag}: `);
    expect(run.stdout).toBe('');
  });

  it('--help lists every flag and exits 0', async () => {
    const run = await bench(['--help']);
    expect(run.code).toBe(0);
    for (const key of fieldKeys(BENCH_FIELDS)) for (const flag of BENCH_FIELDS[key].flags) expect(run.stdout).toContain(flag);
    expect(run.stdout).toContain('--help');
  });
});
