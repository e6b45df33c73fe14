/**
 * The benchmark sweep for a real cluster (DESIGN.md §8): nccl-tests command lines (`mpirun`,
 * `srun`, one process with all GPUs) for the same sizes, iterations, op and time reduction, and
 * the `torch.distributed` script python/ringlab_collectives.py with the same flags. Only flags
 * that nccl-tests documents appear (its README "Arguments", src/common.cu `longopts`); ringlab's
 * own knobs (algorithm, link lab, timeout) are translated where NCCL has a counterpart
 * (`NCCL_ALGO`) and stated as comments where it has none.
 */
import type { BenchConfig } from '../config/bench-fields';
import type { Algorithm, Collective } from '../schedule/types';
import { COLLECTIVES } from '../schedule/types';

/** nccl-tests binary of each collective. */
export const NCCL_TESTS_BINARY: Record<Collective, string> = {
  all_reduce: 'all_reduce_perf',
  reduce_scatter: 'reduce_scatter_perf',
  all_gather: 'all_gather_perf',
  broadcast: 'broadcast_perf',
};

/** NCCL's algorithm for ringlab's (collective, algorithm), or why there is none. */
export function ncclAlgoFor(collective: Collective, algorithm: Algorithm): { algo: 'Ring' | 'Tree' } | { none: string } {
  if (algorithm === 'ring') return { algo: 'Ring' };
  if (algorithm === 'tree') {
    return collective === 'all_reduce'
      ? { algo: 'Tree' }
      : { none: `NCCL's Tree algorithm exists only for all_reduce; NCCL runs ${collective} as a ring (or PAT/NVLS/CollNet by topology)` };
  }
  const why: Record<Exclude<Algorithm, 'ring' | 'tree'>, string> = {
    'recursive-doubling': 'NCCL has no recursive-doubling algorithm (its choices are Ring, Tree, CollNet, NVLS, PAT); NCCL picks one by size',
    rabenseifner: 'NCCL has no Rabenseifner (halving-doubling) algorithm; its Ring has the same bandwidth term, so compare against Ring',
    star: 'star is the naive parameter server that ringlab shows for contrast; NCCL never sends everything through one rank',
    hierarchical: 'NCCL builds its rings and trees across nodes from the topology itself; no NCCL_ALGO value selects a reduce/all-reduce/broadcast hierarchy (Tree is the closest)',
  };
  return { none: why[algorithm] };
}

/** The sweep flags shared by nccl-tests and ringlab_collectives.py (sizes in bytes). */
function sweepFlags(c: BenchConfig, collective: Collective): string[] {
  const flags = ['-b', String(c.minBytes), '-e', String(c.maxBytes), '-f', String(c.stepFactor), '-n', String(c.iters), '-w', String(c.warmupIters), '-c', String(c.check)];
  if (collective === 'all_reduce' || collective === 'reduce_scatter') flags.push('-o', c.op);
  if (collective === 'broadcast') flags.push('-r', String(c.root));
  return [...flags, '-a', String(c.average)];
}

/** One nccl-tests invocation: binary and its arguments (no launcher). */
export function ncclTestsArgs(c: BenchConfig, collective: Collective, gpusPerProcess: number): string[] {
  return [`./build/${NCCL_TESTS_BINARY[collective]}`, ...sweepFlags(c, collective), '-g', String(gpusPerProcess), '-d', c.datatype];
}

/** ringlab_collectives.py's arguments for the same sweep. */
export function collectivesScriptArgs(c: BenchConfig, collective: Collective): string[] {
  return ['--collective', collective, ...sweepFlags(c, collective), '-d', c.datatype, '--out', `${collective}.json`];
}

/** DIR/commands.txt: every command, with comments saying what each is and what has no counterpart. */
export function benchCommandsText(c: BenchConfig): string {
  const n = c.ranks;
  const order = [c.collective, ...COLLECTIVES.filter((x) => x !== c.collective)];
  const lines = [
    `# ringlab's benchmark on a real cluster: ${c.collective}, algorithm ${c.algo}, ${n} ranks, ${c.minBytes}..${c.maxBytes} B ×${c.stepFactor},`,
    `# ${c.iters} timed iterations after ${c.warmupIters} warm-up, op ${c.op}, check ${c.check}, time reduced across ranks by -a ${c.average} (0 rank 0, 1 average, 2 min, 3 max).`,
    '# nccl-tests: git clone https://github.com/NVIDIA/nccl-tests && cd nccl-tests && make MPI=1 MPI_HOME=/path/to/mpi',
    '# Differences from ringlab, by design: nccl-tests times all -n iterations back to back (one timer), ringlab puts a barrier before each;',
    "# ringlab's emulated links, straggler and timeout have no nccl-tests flag (a real cluster has real links).",
    '',
  ];
  for (const collective of order) {
    const nccl = ncclAlgoFor(collective, c.algo);
    const env = 'algo' in nccl ? `NCCL_ALGO=${nccl.algo} ` : '';
    const exportEnv = 'algo' in nccl ? ' -x NCCL_ALGO' : '';
    lines.push(
      `## ${collective}${collective === c.collective ? ' (the collective ringlab ran)' : ''}`,
      'algo' in nccl ? `# NCCL_ALGO=${nccl.algo}: the NCCL counterpart of ringlab's ${c.algo}` : `# no NCCL_ALGO: ${nccl.none}`,
      `# MPI, one process per GPU (${n} GPUs; add --hostfile / -npernode for several nodes):`,
      `${env}mpirun -np ${n}${exportEnv} ${ncclTestsArgs(c, collective, 1).join(' ')} -J ${collective}-nccl.json`,
      '# Slurm, one task per GPU:',
      `${env}srun --ntasks ${n} --gpus-per-task 1 ${ncclTestsArgs(c, collective, 1).join(' ')} -J ${collective}-nccl.json`,
      `# one process driving ${n} GPUs of one node:`,
      `${env}${ncclTestsArgs(c, collective, n).join(' ')} -J ${collective}-nccl.json`,
      '# the same sweep on torch.distributed (NCCL on GPUs; gloo on CPUs with --backend gloo --spawn N):',
      `${env}torchrun --nproc_per_node ${n} ringlab_collectives.py ${collectivesScriptArgs(c, collective).join(' ')}`,
      '',
    );
  }
  lines.push('# Bring the results back: the benchmark tab\'s "Compare with a real cluster" loads the text output or any -J / --out JSON above.');
  return `${lines.join('\n')}\n`;
}
