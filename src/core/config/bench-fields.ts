/**
 * The benchmark's knobs, named as nccl-tests names them (`-g -b -e -f -n -w -c -o -d -r`).
 */

import { supportedAlgorithms } from '../schedule';
import { ALGORITHMS, type Algorithm, COLLECTIVES, type Collective, REDUCE_OPS, type ReduceOp } from '../schedule/types';
import { DATATYPES, type Datatype, type ConfigTable, type FieldError, type FieldTable, OUTPUT_FILE_FIELD, PROTO_FIELD } from './fields';
import type { Protocol } from '../schedule/protocol';
import { LINK_FIELDS, type LinkConfig, checkLink } from '../link/config';

export interface BenchConfig extends LinkConfig {
  ranks: number;
  minBytes: number;
  maxBytes: number;
  stepFactor: number;
  iters: number;
  warmupIters: number;
  /** 1: check results (#wrong), 0: do not. */
  check: number;
  op: ReduceOp;
  datatype: Datatype;
  algo: Algorithm;
  collective: Collective;
  /** Transfer protocol: auto picks the one the measured floor predicts faster (src/core/protocol-choice.ts). */
  proto: Protocol;
  root: number;
  /** in-place: one buffer (ringlab's default); both: nccl-tests' out-of-place block (separate send and receive buffers) too. */
  placement: 'in-place' | 'both';
  /** nccl-tests -a: the time of an iteration across ranks: 0 rank 0, 1 average, 2 min, 3 max (ringlab: 3, the slowest rank). */
  average: number;
  timeoutMs: number;
  /** -J: write the JSON report here (command line only). */
  outputFile: string | null;
  /** Fit α, β, γ to the sweep and print them (command line only). */
  fit: boolean;
  /** --export: write nccl-tests command lines and ringlab_collectives.py here (command line only). */
  exportDir: string | null;
}

const MAX_BYTES = 256 * 1024 * 1024;

export const BENCH_FIELDS: FieldTable<BenchConfig> = {
  ranks: { kind: 'int', min: 1, max: 16, default: 4, flags: ['-g', '--ranks'], help: 'Ranks (one Web Worker each, as nccl-tests -g GPUs).' },
  minBytes: {
    kind: 'size',
    min: 4,
    max: MAX_BYTES,
    default: 8,
    flags: ['-b', '--minbytes'],
    help: 'Smallest message. At least 4 bytes (one float): smaller sizes would have 0 elements.',
  },
  maxBytes: { kind: 'size', min: 4, max: MAX_BYTES, default: 1024 * 1024, flags: ['-e', '--maxbytes'], help: 'Largest message (≤ 256M).' },
  stepFactor: { kind: 'int', min: 2, max: 1024, default: 4, flags: ['-f', '--stepfactor'], help: 'Multiply the size by this between rows.' },
  iters: { kind: 'int', min: 1, max: 1000, default: 20, flags: ['-n', '--iters'], help: 'Timed iterations per size.' },
  warmupIters: { kind: 'int', min: 0, max: 100, default: 5, flags: ['-w', '--warmup_iters'], help: 'Untimed warm-up iterations.' },
  check: { kind: 'int', min: 0, max: 1, default: 1, flags: ['-c', '--check'], help: 'Check results and count wrong elements (1) or not (0).' },
  op: { kind: 'enum', values: REDUCE_OPS, default: 'sum', flags: ['-o', '--op'], help: 'Reduction operation.' },
  datatype: { kind: 'enum', values: DATATYPES, default: 'float', flags: ['-d', '--datatype'], help: 'Element type (float32 only).' },
  algo: { kind: 'enum', values: ALGORITHMS, default: 'ring', flags: ['--algo'], help: 'Collective algorithm.' },
  collective: { kind: 'enum', values: COLLECTIVES, default: 'all_reduce', flags: ['--collective'], help: 'Collective to benchmark.' },
  proto: PROTO_FIELD,
  root: { kind: 'int', min: 0, max: 15, default: 0, flags: ['-r', '--root'], help: 'Root rank (broadcast).' },
  placement: {
    kind: 'enum',
    values: ['in-place', 'both'],
    default: 'in-place',
    flags: ['--placement'],
    help: 'in-place: one buffer per rank; both: also the out-of-place block (separate send and receive buffers), as nccl-tests prints. both doubles the sweep time.',
  },
  average: {
    kind: 'int',
    min: 0,
    max: 3,
    default: 3,
    flags: ['-a', '--average'],
    help: "Time across ranks as nccl-tests -a: 0 rank 0, 1 average, 2 min, 3 max (ringlab's default: the slowest rank; nccl-tests' default is 1).",
  },
  timeoutMs: { kind: 'int', min: 100, max: 600_000, default: 30_000, flags: ['--timeout-ms'], help: 'Give up on one size after this long, ms.' },
  ...LINK_FIELDS,
  outputFile: OUTPUT_FILE_FIELD,
  fit: { kind: 'bool', default: false, flags: ['--fit'], help: 'Fit α, β, γ to the sweep by least squares.', cliOnly: true },
  exportDir: {
    kind: 'string',
    format: 'a directory',
    validate: (text: string) => (text === '' ? 'empty path' : null),
    default: null,
    flags: ['--export'],
    help: 'Also write the sweep for a real cluster into this directory: commands.txt (nccl-tests, mpirun, srun, torchrun) and ringlab_collectives.py.',
    cliOnly: true,
  },
};

/** minBytes ≤ maxBytes, root < ranks, an algorithm that runs the collective, and the link rules. */
export function checkBenchConfig(config: BenchConfig): { config: BenchConfig; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let out = { ...config };
  if (out.minBytes > out.maxBytes) {
    errors.push({
      field: 'minBytes',
      value: String(out.minBytes),
      message: `minbytes: ${out.minBytes} > maxbytes ${out.maxBytes}; using defaults ${BENCH_FIELDS.minBytes.default} and ${BENCH_FIELDS.maxBytes.default}`,
    });
    out.minBytes = BENCH_FIELDS.minBytes.default;
    out.maxBytes = BENCH_FIELDS.maxBytes.default;
  }
  const algos = supportedAlgorithms(out.collective);
  if (!algos.includes(out.algo)) {
    const fallback = algos[0]!;
    errors.push({
      field: 'algo',
      value: out.algo,
      message: `algo: ${out.algo} does not run ${out.collective}; choose one of ${algos.join(', ')}; using ${fallback}`,
    });
    out.algo = fallback;
  }
  if (out.root >= out.ranks) {
    errors.push({ field: 'root', value: String(out.root), message: `root: rank ${out.root} does not exist with ${out.ranks} ranks; using 0` });
    out.root = 0;
  }
  out = checkLink(out, [out.ranks], errors);
  return { config: out, errors };
}

/** The bench table with its cross-field check: pass this to parseUrl / parseArgv. */
export const BENCH_TABLE: ConfigTable<BenchConfig> = { fields: BENCH_FIELDS, check: checkBenchConfig };
