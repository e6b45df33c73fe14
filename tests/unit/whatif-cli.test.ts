import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** `npm run whatif` without npm: the same entry point, no browser. */
function whatif(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/whatif.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run whatif', { timeout: 60_000 }, () => {
  it('prints one row per GPU count and writes the -J rows with the fields the issue names', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'whatif-')), 'out.json');
    const r = whatif('--model', '70b', '--zero', '3', '--gpus', '1024,16384', '--oversubscription', '4', '--algo', 'tree', '-J', file);
    expect(r.stderr).toContain('wrote');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/a MODEL of data-parallel training, not a measurement/);
    expect(r.stdout.split('\n').filter((l) => /^\s+(1024|16384)\s/.test(l))).toHaveLength(2);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { rows: Record<string, unknown>[]; answers: Record<string, unknown> };
    expect(json.rows.map((x) => x.gpus)).toEqual([1024, 16384]);
    for (const row of json.rows) {
      for (const key of ['gpus', 'compute_s', 'comm_s', 'exposed_comm_s', 'step_s', 'efficiency', 'memory_per_gpu_bytes', 'fits']) expect(row).toHaveProperty(key);
      expect(row.step_s as number).toBeCloseTo((row.compute_s as number) + (row.exposed_comm_s as number), 9);
    }
    expect(json.answers).toHaveProperty('overlap_stops_at_gpus');
    expect(json.answers).toHaveProperty('bisection_for_90pct_bytes_per_s');
  });

  it('fits the inter-node link to the bundled 16 × H100 log with --link nccl-log', () => {
    const r = whatif('--link', 'nccl-log', '--gpus', '16,256');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/fitted to 01-h100-16rank-2node-allreduce.txt \(16 GPUs, 31 sizes/);
  });

  it('bad input: exit 2 and a message naming the value and what is allowed', () => {
    const r = whatif('--radix', '1');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--radix: '1' is out of range \(below 2\); allowed: an integer 2\.\.4096/);
    const big = whatif('--model', '1t', '--gpu', 't4', '--gpus', '8');
    expect(big.status).toBe(2);
    expect(big.stderr).toMatch(/does not fit even fully sharded/);
  });
});
