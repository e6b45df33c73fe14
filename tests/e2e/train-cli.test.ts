/**
 * `npm run train` end to end: the real CLI in a child process driving headless Chromium with
 * WebGPU ranks, one small strong-scaling study at 1 and 2 ranks, plus flag handling.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReason } from '../../src/cli/ensure-built';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const ROOT = join(import.meta.dirname, '../..');

function train(args: string[], timeoutMs = 150_000): Promise<Run> {
  return new Promise((done) => {
    execFile('npx', ['tsx', 'src/cli/train.ts', ...args], { cwd: ROOT, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      done({ code, stdout, stderr });
    });
  });
}

interface ReportRun {
  ranks: number;
  status: string;
  losses: number[];
  paramHashes: string[];
  projected: { stepS: number };
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ringlab-train-cli-'));
  if (buildReason(ROOT)) {
    return new Promise<void>((ok, fail) => execFile('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT }, (e) => (e ? fail(e) : ok())));
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run train', () => {
  it('trains at 1 and 2 ranks: both clocks printed, JSON with equal hashes and falling losses', async () => {
    const out = join(dir, 'train.json');
    const r = await train(['--ranks', '1,2', '--global-batch', '32', '--layers', '16,32,4', '--steps', '8', '--lr', '0.1', '-J', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/MEASURED clock/);
    expect(r.stdout).toMatch(/PROJECTED clock/);
    const rows = r.stdout.split('\n').filter((l) => /^\s+[12]\s+32\s/.test(l));
    expect(rows.length).toBe(4); // one per rank count on each clock
    // Model FLOPs utilization, the last column on both clocks: a measured fraction of the peak.
    expect(r.stdout).toMatch(/mfu%: model FLOPs utilization/);
    for (const row of rows) {
      const mfu = Number(row.trim().split(/\s+/).at(-1));
      expect(mfu).toBeGreaterThan(0);
      expect(mfu).toBeLessThan(100);
    }
    const report = JSON.parse(readFileSync(out, 'utf8')) as { status: string; runs: ReportRun[]; points: unknown[] };
    expect(report.status).toBe('done');
    expect(report.runs.map((x) => x.ranks)).toEqual([1, 2]);
    for (const run of report.runs) {
      expect(run.losses.length).toBe(8);
      expect(new Set(run.paramHashes).size).toBe(1);
      expect(run.paramHashes.length).toBe(run.ranks);
      expect(run.losses[run.losses.length - 1]!).toBeLessThan(run.losses[0]! * 0.5);
      expect(run.projected.stepS).toBeGreaterThan(0);
    }
    // Same global batch and seed: the same model after training, whatever the rank count.
    expect(report.runs[1]!.losses[7]!).toBeCloseTo(report.runs[0]!.losses[7]!, 4);
  });

  it('refuses a bad flag with exit 2 and prints help with --help', async () => {
    const bad = await train(['--steps', 'many'], 30_000);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/steps/);
    const help = await train(['--help'], 30_000);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--global-batch/);
  });
});
