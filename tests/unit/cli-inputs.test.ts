/**
 * Issue 10, defect 7: inputs checked early and precisely. Every case here was accepted, or
 * answered with a vaguer message, before its fix.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BENCH_TABLE, TRAIN_TABLE, parseArgv } from '../../src/core/config';
import { outputFileProblem } from '../../src/cli/output-file';
import { reportLines } from '../../src/cli/train-report';
import { hierarchicalRanksPerNode } from '../../src/core/link';
import { buildSchedule } from '../../src/core/schedule';
import type { ScalingResult } from '../../src/cluster/scaling';

const tmp = mkdtempSync(join(tmpdir(), 'ringlab-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const messages = (table: typeof BENCH_TABLE | typeof TRAIN_TABLE, argv: string[]): string[] =>
  (parseArgv(table as typeof BENCH_TABLE, argv).errors as { message: string }[]).map((e) => e.message);

describe('-J is checked before the run, naming -J', () => {
  it('a folder that does not exist, a folder, an unwritable place', () => {
    expect(outputFileProblem(join(tmp, 'missing', 'out.json'))).toMatch(/^-J \/ --output_file: cannot write '.*missing\/out\.json': folder .* does not exist$/);
    expect(outputFileProblem(tmp)).toMatch(/^-J .*it is a folder$/);
    expect(outputFileProblem('/sys/ringlab-out.json')).toMatch(/^-J .*cannot write '\/sys\/ringlab-out\.json'/);
  });

  it('a writable path passes and is not left behind', () => {
    const path = join(tmp, 'out.json');
    expect(outputFileProblem(path)).toBeNull();
    expect(existsSync(path)).toBe(false);
  });
});

describe('range errors are told apart from format errors', () => {
  it('-e 257M is out of range, with the bytes read and the limit', () => {
    expect(messages(BENCH_TABLE, ['-e', '257M'])[0]).toMatch(/^-e: '257M' \(269484032 B\) is out of range \(above 256 MiB\); allowed: from 4 B to 256 MiB/);
    expect(messages(BENCH_TABLE, ['-e', '25x'])[0]).toMatch(/^-e: '25x' is not a number of bytes/);
  });

  it('--bandwidth 0GB/s is out of range, 12 parsecs/s is a format error', () => {
    expect(messages(BENCH_TABLE, ['--link', 'custom', '--alpha-us', '1', '--bandwidth', '0GB/s'])[0]).toMatch(/^--bandwidth: '0GB\/s' is out of range/);
    expect(messages(BENCH_TABLE, ['--bandwidth', '12pc/s'])[0]).toMatch(/^--bandwidth: '12pc\/s' is not a number and a unit/);
  });

  it('--bucket-mb 1e-7 (an empty bucket) is refused by the check, naming the flag', () => {
    expect(messages(TRAIN_TABLE, ['--bucket-mb', '1e-7'])[0]).toMatch(/^--bucket-mb: '1e-7' is out of range \(below 0\.0001\)/);
    expect(messages(TRAIN_TABLE, ['--first-bucket-mb', '0.00001'])[0]).toMatch(/^--first-bucket-mb: .*out of range/);
  });
});

describe('booleans name their flag', () => {
  it('--scaled maybe', () => {
    expect(messages(BENCH_TABLE, ['--scaled', 'maybe'])).toEqual([expect.stringMatching(/^--scaled: 'maybe' is not true or false/)]);
    expect(parseArgv(BENCH_TABLE, ['--scaled', '-g', '2']).config.scaled).toBe(true);
    expect(parseArgv(BENCH_TABLE, ['--scaled', 'off']).config.scaled).toBe(false);
  });
});

describe('train --ranks 1,2,4 --ranks-per-node 8 --algo hierarchical', () => {
  it('passes the check and every rank count gets a node size its schedule accepts', () => {
    const { config, errors } = parseArgv(TRAIN_TABLE, ['--ranks', '1,2,4', '--ranks-per-node', '8', '--algo', 'hierarchical']);
    expect(errors).toEqual([]);
    for (const ranks of config.ranks) {
      const rpn = hierarchicalRanksPerNode({ ranks, nodes: config.nodes, ranksPerNode: config.ranksPerNode }, config.algo);
      expect(rpn).toBe(ranks);
      expect(() => buildSchedule('all_reduce', 'hierarchical', ranks, 64, { ranksPerNode: rpn! })).not.toThrow();
    }
  });
});

describe('a failed training run does not claim its parameter hashes differ', () => {
  it('no "DIFFER ()" line for a run without hashes', () => {
    const result = {
      status: 'failed',
      scaling: 'strong',
      points: [],
      error: 'rank 1 failed',
      runs: [{ status: 'failed', request: { ranks: 2 }, steps: [], paramHashes: [] }],
    } as unknown as ScalingResult;
    const config = parseArgv(TRAIN_TABLE, []).config;
    const lines = reportLines(config, result);
    expect(lines.join('\n')).not.toMatch(/DIFFER/);
    expect(lines).toContain('# ranks 2: no parameter hashes (run failed)');
  });
});

describe('the 65,536 global-batch limit holds at every rank count (issue 10, defect 2)', () => {
  it('--scaling weak --ranks 1,16 --global-batch 65536 is refused: it would be 1,048,576 at 16 ranks', () => {
    const { config, errors } = parseArgv(TRAIN_TABLE, ['--scaling', 'weak', '--ranks', '1,16', '--global-batch', '65536']);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^global-batch: 65536 at 1 rank\(s\) grows to 1048576 at 16 ranks in weak scaling, above the limit 65536; using 4096$/),
    ]);
    expect((config.globalBatch / config.ranks[0]!) * 16).toBeLessThanOrEqual(65536);
  });

  it('strong scaling keeps the batch: 65536 over 1 and 16 ranks is fine', () => {
    expect(parseArgv(TRAIN_TABLE, ['--scaling', 'strong', '--ranks', '1,16', '--global-batch', '65536']).errors).toEqual([]);
  });
});
