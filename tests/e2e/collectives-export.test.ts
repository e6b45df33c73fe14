/**
 * python/ringlab_collectives.py for real (issue 9): torch.distributed with gloo on 2 and 4 CPU
 * processes, a small sweep; its -J-layout JSON and its text table go through ringlab's own
 * importers (src/core/nccl-parse.ts) with every row's bytes, count and busbw factor as
 * nccl-tests defines them, and #wrong 0 on every rank.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNcclTestsJson, parseNcclTestsOutput, type ParsedNcclRow } from '../../src/core/nccl-parse';
import { runPython, torchUnavailable } from '../support/python';

const SCRIPT = join(import.meta.dirname, '../../python/ringlab_collectives.py');
const noTorch = torchUnavailable();
if (noTorch) console.warn(`\n!!! PYTORCH UNAVAILABLE: ${noTorch}\n!!! the ringlab_collectives.py tests in ${import.meta.filename} are SKIPPED\n`);

const dir = mkdtempSync(join(tmpdir(), 'ringlab-coll-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** nccl-tests' size and count columns (src/*.cu GetCollByteCount) and busbw factor (doc/PERFORMANCE.md). */
function expected(collective: string, requested: number, n: number): { bytes: number; count: number; factor: number } {
  const count = Math.floor(requested / 4);
  if (collective === 'all_gather' || collective === 'reduce_scatter') {
    const base = Math.floor(count / n) & ~3;
    return { bytes: base * n * 4, count: base, factor: (n - 1) / n };
  }
  return { bytes: count * 4, count, factor: collective === 'all_reduce' ? (2 * (n - 1)) / n : 1 };
}

/** `exact`: the JSON's full-precision figures; the text table rounds bandwidths to 0.01 GB/s. */
function checkRows(rows: ParsedNcclRow[], collective: string, n: number, sizes: number[], exact: boolean): void {
  expect(rows.map((r) => r.bytes)).toEqual(sizes.map((s) => expected(collective, s, n).bytes));
  rows.forEach((row, i) => {
    const e = expected(collective, sizes[i]!, n);
    expect(row.count, `count at ${sizes[i]} B`).toBe(e.count);
    for (const block of [row.outOfPlace, row.inPlace!]) {
      expect(block.wrong, `#wrong at ${row.bytes} B`).toBe(0);
      expect(block.timeUs).toBeGreaterThan(0);
      if (exact && row.bytes > 0) {
        expect(block.algbwGBps).toBeCloseTo(row.bytes / 1e3 / block.timeUs, 9);
        expect(block.busbwGBps / block.algbwGBps, `busbw factor at ${row.bytes} B`).toBeCloseTo(e.factor, 9);
      }
    }
  });
}

describe.skipIf(noTorch !== null)('ringlab_collectives.py (gloo, CPU processes)', () => {
  const sizes = [64, 1024, 16384, 262144];
  it.each([
    ['all_reduce', 2],
    ['all_reduce', 4],
    ['all_gather', 4],
  ] as const)(
    '%s on %i processes: JSON and text import with nccl-tests bytes, count, factor, #wrong 0',
    async (collective, n) => {
      const out = join(dir, `${collective}-${n}.json`);
      const r = await runPython(
        [
          SCRIPT,
          '--collective',
          collective,
          '--spawn',
          String(n),
          '--backend',
          'gloo',
          '-b',
          '64',
          '-e',
          '256K',
          '-f',
          '16',
          '-n',
          '3',
          '-w',
          '1',
          '-c',
          '1',
          '-a',
          '3',
          '--out',
          out,
        ],
        dir,
        120_000,
      );
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(readFileSync(out, 'utf8')) as { ringlab: { world_size: number; backend: string } };
      expect([doc.ringlab.world_size, doc.ringlab.backend]).toEqual([n, 'gloo']);
      const json = parseNcclTestsJson(doc);
      expect(json.ranks).toBe(n);
      expect(json.ok).toBe(true);
      checkRows(json.rows, collective, n, sizes, true);
      const text = parseNcclTestsOutput(r.stdout);
      expect(text.ranks).toBe(n);
      checkRows(text.rows, collective, n, sizes, false);
      expect(text.rows.map((x) => x.outOfPlace.timeUs)).toEqual(
        json.rows.map((x) => Number(x.outOfPlace.timeUs.toFixed(x.outOfPlace.timeUs < 100 ? 2 : x.outOfPlace.timeUs < 1e4 ? 1 : 0))),
      );
    },
    150_000,
  );
});
