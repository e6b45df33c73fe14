/**
 * `npm run bench -- [flags]`: an nccl-tests-style sweep on Web Workers with WebGPU, driven
 * headless. Flags are nccl-tests' (-g -b -e -f -n -w -c -o -r) plus ringlab's; see --help.
 *
 * Exit status: 0 done; 1 the run failed (no WebGPU, a rank failed, #wrong > 0); 2 bad flags;
 * 130 cancelled with Ctrl-C. The report goes to stdout, everything else to stderr.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SweepResult } from '../cluster/sweep';
import { sweepRequestFromConfig } from '../cluster/bench-config';
import type { Algorithm } from '../core/schedule/types';
import { BENCH_TABLE, formatHelp, parseArgv, type BenchConfig } from '../core/config';
import { describeLinkConfig, emulatedLinks, hierarchicalRanksPerNode, pairLinkList, parseStraggler, pickLinkConfig } from '../core/link';
import { emulationWarnings, type TransportFloor } from '../core/floor';
import { formatColumnHeader, formatFooter, formatPreamble, formatRow, type BenchRow } from '../core/nccl-format';
import { buildSchedule, supportedAlgorithms } from '../core/schedule';
import { fitReportLines, type MeasuredSweep } from '../core/fit-report';
import { benchCommandsText } from '../core/export/bench-export';
import { environmentLines, fitSweepOf, floorLines, jsonReport } from './bench-report';
import { outputFileProblem } from './output-file';
import { interconnectKey } from '../core/crossover-statements';
import type { RunnerRequest } from './runner-protocol';
import { err, out, runMain, withoutRepair, withRunner } from './cli-session';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** --export DIR: nccl-tests command lines and the torch.distributed script for this sweep. */
function exportSweep(config: BenchConfig, dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'commands.txt'), benchCommandsText(config));
  copyFileSync(join(ROOT, 'python/ringlab_collectives.py'), join(dir, 'ringlab_collectives.py'));
  err(`wrote ${join(dir, 'commands.txt')} and ${join(dir, 'ringlab_collectives.py')}`);
}

/** Config errors the table does not check: flags the bench sweep does not use. */
function unsupported(config: BenchConfig): string[] {
  const errors: string[] = [];
  if (config.straggler !== null && !('error' in parseStraggler(config.straggler))) {
    errors.push('--straggler: not yet supported by the bench sweep (stragglers slow compute, which a collective sweep does not run)');
  }
  return errors;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgv(BENCH_TABLE, argv);
  if (parsed.help) {
    out(formatHelp(BENCH_TABLE, 'Usage: npm run bench -- [options]\n\nnccl-tests-style collective sweep on Web Workers with WebGPU (headless Chromium).'));
    return 0;
  }
  let config = parsed.config;
  // --fit sweeps every algorithm: unless -n / -w are given, each sweep times 5 iterations after
  // 1 warm-up (the fit needs sizes more than repetitions); the header says so.
  const given = (re: RegExp): boolean => argv.some((a) => re.test(a));
  const fitIters = config.fit && !given(/^(-n|--iters)/) && !given(/^(-w|--warmup_iters)/);
  if (fitIters) config = { ...config, iters: Math.min(config.iters, 5), warmupIters: Math.min(config.warmupIters, 1) };
  const outputProblem = config.outputFile !== null ? outputFileProblem(config.outputFile) : null;
  const problems = [...parsed.errors.map((e) => withoutRepair(e.message)), ...(parsed.errors.length ? [] : unsupported(config)), ...(outputProblem ? [outputProblem] : [])];
  if (problems.length) {
    for (const p of problems) err(p);
    err('see --help');
    return 2;
  }
  const request = (algorithm: Algorithm): RunnerRequest => ({ ...sweepRequestFromConfig(config, algorithm), link: pickLinkConfig(config) });
  // Only hierarchical's schedule needs the node size; linkOf (built in the page) maps nodes itself.
  const ranksPerNode = hierarchicalRanksPerNode(config, config.algo);

  // A link below this tab's emulation floor is named in the header (the page says it beside the
  // link controls). The links are the ones the runner page applies (unscaled: the CLI does not
  // measure FLOP/s).
  const belowFloorLines = (floor: TransportFloor | undefined): string[] =>
    floor ? emulationWarnings(floor, pairLinkList(emulatedLinks(pickLinkConfig(config), config.ranks).linkOf, config.ranks)).map((w) => `# warning: this link is ${w}`) : [];
  if (config.exportDir !== null) exportSweep(config, config.exportDir);
  return withRunner(ROOT, async ({ session, interrupted }) => {
    let printed = 0;
    const printRow = (row: BenchRow): void => {
      out(formatRow(row));
      printed++;
    };
    const header = {
      collective: config.collective,
      algorithm: config.algo,
      ranks: config.ranks,
      minBytes: config.minBytes,
      maxBytes: config.maxBytes,
      stepFactor: config.stepFactor,
      warmupIters: config.warmupIters,
      iters: config.iters,
      check: config.check,
      link: describeLinkConfig(config, config.ranks),
    };
    const result: SweepResult = await session.runSweep(request(config.algo), (event) => {
      if (event.kind === 'environment') {
        const preamble = formatPreamble({ ...header, adapter: event.environment.adapterLabel, placement: config.placement, average: config.average });
        for (const line of [...preamble.slice(0, -1), ...environmentLines(event.environment, session.browserVersion), ...belowFloorLines(event.environment.floor), '#']) out(line);
        for (const line of formatColumnHeader(config.placement)) out(line);
      } else if (event.index === printed) {
        printRow(event.row);
      }
    });
    for (const row of result.rows.slice(printed)) printRow(row); // events still in flight
    if (fitIters) out(`# --fit: every sweep timed ${config.iters} iterations after ${config.warmupIters} warm-up (pass -n / -w to change)`);
    if (result.rows.length) for (const line of formatFooter(result.rows)) out(line);
    const floor = result.environment?.floor;
    if (floor) {
      const steps = (count: number): number =>
        buildSchedule(config.collective, config.algo, config.ranks, count, { root: config.root, ...(ranksPerNode ? { ranksPerNode } : {}) }).steps.length;
      for (const line of floorLines(floor, result.rows, steps)) out(line);
    }
    const fit = config.fit ? fitSweepOf(config, result.rows, ranksPerNode) : undefined;
    if (config.fit && result.status === 'done') {
      // --fit compares every algorithm of the collective on the same ranks, sizes and link.
      const sweeps: MeasuredSweep[] = [
        { id: { collective: config.collective, algorithm: config.algo, ranks: config.ranks, root: config.root, ...(ranksPerNode ? { ranksPerNode } : {}) }, rows: result.rows },
      ];
      for (const algorithm of supportedAlgorithms(config.collective)) {
        if (algorithm === config.algo || interrupted()) continue;
        const rpn = hierarchicalRanksPerNode(config, algorithm);
        if (algorithm === 'hierarchical' && (rpn === undefined || rpn === config.ranks)) continue; // one node: hierarchical is a plain tree
        err(`--fit: sweeping ${algorithm} ...`);
        const other = await session.runSweep(request(algorithm), () => undefined);
        if (other.status !== 'done') {
          err(`--fit: ${algorithm} ${other.status}: ${other.error ?? ''}`);
          continue;
        }
        sweeps.push({ id: { collective: config.collective, algorithm, ranks: config.ranks, root: config.root, ...(rpn ? { ranksPerNode: rpn } : {}) }, rows: other.rows });
      }
      for (const line of fitReportLines(sweeps, config.minBytes, config.maxBytes, interconnectKey(config))) out(line);
    }
    if (config.outputFile !== null) {
      writeFileSync(config.outputFile, `${JSON.stringify(jsonReport(config, result, fit), null, 2)}\n`);
      err(`wrote ${config.outputFile}`);
    }
    if (result.status === 'cancelled') {
      err(`cancelled after ${result.rows.length} size(s)`);
      return 130;
    }
    if (result.status === 'failed') {
      err(`run failed${result.failedRank !== undefined ? ` at rank ${result.failedRank}` : ''}: ${result.error ?? 'unknown error'}`);
      return 1;
    }
    const wrong = result.rows.filter((r) => r.wrong !== null && r.wrong > 0).length;
    if (wrong) err(`${wrong} size(s) had wrong elements`);
    return wrong ? 1 : 0;
  });
}

runMain(main);
