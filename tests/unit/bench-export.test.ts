/**
 * The exported nccl-tests command lines against the flags nccl-tests documents: its README
 * "Arguments" list and src/common.cu's getopt string (NVIDIA/nccl-tests 2.19.6). No flag it
 * lacks, none of ringlab's own flags leaking through, values in the forms it parses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_TABLE, parseArgv } from '../../src/core/config';
import { benchCommandsText, ncclAlgoFor } from '../../src/core/export/bench-export';
import { ALGORITHMS, COLLECTIVES } from '../../src/core/schedule/types';

/** src/common.cu: getopt_long(argc, argv, "t:g:b:e:i:f:n:m:w:N:p:I:K:c:o:d:r:z:y:T:hG:C:a:R:x:D:V:J:S:M:u:", …). */
const NCCL_TESTS_GETOPT = 't:g:b:e:i:f:n:m:w:N:p:I:K:c:o:d:r:z:y:T:hG:C:a:R:x:D:V:J:S:M:u:';
const WITH_ARG = new Set([...NCCL_TESTS_GETOPT.matchAll(/([A-Za-z]):/g)].map((m) => `-${m[1]}`));
const SIZE = /^\d+[KMG]?$/;
/** README: -o sum/prod/min/max/avg/all; -d nccl type names; -a 0..3; -c, -n, -w, -f, -g, -r integers. */
const VALUE_OK: Record<string, RegExp> = {
  '-b': SIZE,
  '-e': SIZE,
  '-f': /^\d+$/,
  '-n': /^\d+$/,
  '-w': /^\d+$/,
  '-c': /^\d+$/,
  '-g': /^\d+$/,
  '-r': /^\d+$/,
  '-a': /^[0-3]$/,
  '-o': /^(sum|prod|min|max|avg|all)$/,
  '-d': /^(int8|uint8|int32|uint32|int64|uint64|half|float|double|bfloat16|all)$/,
  '-J': /\.json$/,
};
/** The script's argparse flags (python/ringlab_collectives.py). */
const SCRIPT = readFileSync(join(import.meta.dirname, '../../python/ringlab_collectives.py'), 'utf8');
const SCRIPT_FLAGS = new Set([...SCRIPT.matchAll(/add_argument\(((?:"[^"]+",\s*)+)/g)].flatMap((m) => [...m[1]!.matchAll(/"(-[^"]+)"/g)].map((x) => x[1]!)));

function commandsFor(argv: string[]): string[] {
  const parsed = parseArgv(BENCH_TABLE, argv);
  expect(parsed.errors).toEqual([]);
  return benchCommandsText(parsed.config)
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
}

/** Flag → value of the argument list after the program name; fails on a flag nccl-tests lacks. */
function flagsAfter(tokens: string[], program: RegExp, known: (flag: string) => boolean): Map<string, string> {
  const at = tokens.findIndex((t) => program.test(t));
  expect(at, tokens.join(' ')).toBeGreaterThanOrEqual(0);
  const flags = new Map<string, string>();
  for (let i = at + 1; i < tokens.length; i += 2) {
    const flag = tokens[i]!;
    expect(known(flag), `${flag} in: ${tokens.join(' ')}`).toBe(true);
    expect(flags.has(flag), `${flag} twice`).toBe(false);
    flags.set(flag, tokens[i + 1] ?? '');
  }
  return flags;
}

describe('nccl-tests command lines', () => {
  const cases = [
    ['-g', '4', '--algo', 'ring', '-b', '8', '-e', '1M', '-f', '4', '-n', '7', '-w', '2', '-o', 'max', '-a', '1'],
    ['-g', '8', '--algo', 'tree', '--collective', 'broadcast', '-r', '3', '--link', '10gbe', '-c', '0'],
    ['-g', '3', '--algo', 'rabenseifner', '--collective', 'reduce_scatter', '--timeout-ms', '5000', '--fit'],
  ];
  it.each(cases)('uses only flags nccl-tests documents, with values it parses (%#)', (...argv) => {
    const lines = commandsFor(argv);
    const perf = lines.filter((l) => /_perf /.test(l));
    expect(perf.length).toBe(12); // 4 collectives × (mpirun, srun, one process)
    for (const line of perf) {
      const tokens = line.split(/\s+/);
      const flags = flagsAfter(tokens, /_perf$/, (f) => WITH_ARG.has(f));
      for (const [flag, value] of flags) expect(VALUE_OK[flag]?.test(value) ?? false, `${flag} ${value}`).toBe(true);
      expect(line).not.toMatch(/--(algo|link|timeout|fit|ranks|collective|export)/);
      for (const f of ['-b', '-e', '-f', '-n', '-w', '-c', '-a', '-g', '-d']) expect(flags.has(f), `${f} in ${line}`).toBe(true);
    }
    for (const line of lines.filter((l) => l.includes('ringlab_collectives.py'))) {
      flagsAfter(line.split(/\s+/), /ringlab_collectives\.py$/, (f) => SCRIPT_FLAGS.has(f));
    }
  });

  it('carries the sweep: sizes in bytes, iterations, op, root, -a, -g per launcher', () => {
    const lines = commandsFor(cases[0]!);
    const mpi = lines.find((l) => l.includes('mpirun') && l.includes('all_reduce_perf'))!;
    expect(mpi).toMatch(/^NCCL_ALGO=Ring mpirun -np 4 -x NCCL_ALGO \.\/build\/all_reduce_perf /);
    expect(mpi).toContain('-b 8 -e 1048576 -f 4 -n 7 -w 2 -c 1 -o max -a 1 -g 1 -d float');
    expect(lines.find((l) => l.startsWith('NCCL_ALGO=Ring ./build/all_reduce_perf'))).toContain('-g 4');
    expect(lines.find((l) => l.includes('srun') && l.includes('all_gather_perf'))).not.toContain('-o ');
    const bcast = commandsFor(cases[1]!).find((l) => l.includes('mpirun') && l.includes('broadcast_perf'))!;
    expect(bcast).toContain('-r 3');
    expect(bcast).not.toContain('NCCL_ALGO'); // NCCL's Tree is all_reduce only
  });

  it('maps ring and tree to NCCL_ALGO and says why every other algorithm has no counterpart', () => {
    for (const c of COLLECTIVES) {
      expect(ncclAlgoFor(c, 'ring')).toEqual({ algo: 'Ring' });
      for (const a of ALGORITHMS.filter((x) => x !== 'ring' && !(x === 'tree' && c === 'all_reduce'))) {
        const r = ncclAlgoFor(c, a);
        expect('none' in r && r.none.length > 20, `${c} ${a}`).toBe(true);
      }
    }
    expect(ncclAlgoFor('all_reduce', 'tree')).toEqual({ algo: 'Tree' });
    const text = benchCommandsText(parseArgv(BENCH_TABLE, ['--algo', 'star']).config);
    expect(text).toMatch(/# no NCCL_ALGO: star is the naive parameter server/);
  });
});
