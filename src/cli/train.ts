/**
 * `npm run train -- [flags]`: data-parallel training of a small MLP on Web Workers with WebGPU,
 * one run per rank count, driven headless; prints loss, step time and its breakdown on the
 * measured and the projected clock, throughput and scaling efficiency. See --help.
 *
 * Exit status: 0 done; 1 the run failed (no WebGPU, a rank failed, replicas diverged); 2 bad
 * flags; 130 cancelled with Ctrl-C. The report goes to stdout, progress to stderr.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scalingRequestFromConfig, trainConfigProblems } from '../cluster/train-config';
import { formatHelp, parseArgv, TRAIN_TABLE, type TrainConfig } from '../core/config';
import { ddpExportConfig, ddpRunHint, ddpScript } from '../core/export/ddp-export';
import { reportLines, trainJsonReport } from './train-report';
import { err, out, runMain, withoutRepair, withRunner } from './cli-session';
import { outputFileProblem } from './output-file';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** --export-ddp DIR: the experiment as a PyTorch DDP program (see python/ringlab_ddp.py). */
function exportDdp(config: TrainConfig, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'ringlab_ddp.py');
  writeFileSync(file, ddpScript(readFileSync(join(ROOT, 'python/ringlab_ddp.py'), 'utf8'), ddpExportConfig(config)), { mode: 0o755 });
  err(`wrote ${file}`);
  for (const line of ddpRunHint(dir)) err(`  ${line}`);
}
async function main(argv: string[]): Promise<number> {
  const parsed = parseArgv(TRAIN_TABLE, argv);
  if (parsed.help) {
    out(formatHelp(TRAIN_TABLE, 'Usage: npm run train -- [options]\n\nData-parallel training on Web Workers with WebGPU (headless Chromium), one run per rank count.'));
    return 0;
  }
  const config = parsed.config;
  const req = parsed.errors.length ? undefined : scalingRequestFromConfig(config);
  const outputProblem = config.outputFile !== null ? outputFileProblem(config.outputFile) : null;
  const bad = [...parsed.errors.map((e) => withoutRepair(e.message)), ...(req && 'error' in req ? trainConfigProblems(config) : []), ...(outputProblem ? [outputProblem] : [])];
  if (bad.length || !req || 'error' in req) {
    for (const p of bad) err(p);
    err('see --help');
    return 2;
  }
  if (config.exportDdp !== null) exportDdp(config, config.exportDdp);
  return withRunner(ROOT, async ({ session, probe }) => {
    out(`# ringlab train: layers ${config.layers.join(',')}, ${config.scaling} scaling, global batch ${config.globalBatch}, ${config.steps} steps, seed ${config.seed}`);
    out(
      `# all-reduce ${config.algo} (protocol ${config.proto}), buckets ${config.bucketMb} MiB (first ${config.firstBucketMb} MiB), overlap ${config.overlap}, SGD lr ${config.lr} momentum ${config.momentum}, dataset ${config.dataset}`,
    );
    out(
      `# link ${config.link}${config.straggler ? `, straggler ${config.straggler}` : ''}; adapter ${probe.adapter}${probe.isFallback ? ' (software: figures are not GPU figures)' : ''}; Chromium ${session.browserVersion}`,
    );
    let ranksNow = 0;
    const result = await session.runTraining(req, (e) => {
      if (e.kind === 'train-run') {
        ranksNow = e.ranks;
        err(`ranks ${e.ranks} (${e.index + 1}/${e.total}): starting`);
      } else if (e.kind === 'train-step') {
        err(
          `ranks ${ranksNow} step ${e.record.step + 1}/${e.total}: loss ${e.record.loss.toFixed(4)} acc ${(e.record.accuracy * 100).toFixed(1)}% ${e.record.stepMs.toFixed(1)} ms`,
        );
      }
    });
    for (const line of reportLines(config, result)) out(line);
    if (config.outputFile !== null) {
      writeFileSync(config.outputFile, `${JSON.stringify(trainJsonReport(config, result), null, 2)}\n`);
      err(`wrote ${config.outputFile}`);
    }
    if (result.status === 'cancelled') return 130;
    if (result.status === 'failed') {
      err(
        `run failed${result.failedAtRankCount !== undefined ? ` at ${result.failedAtRankCount} ranks` : ''}${result.failedRank !== undefined ? `, rank ${result.failedRank}` : ''}: ${result.error ?? 'unknown error'}`,
      );
      return 1;
    }
    const diverged = result.runs.filter((r) => new Set(r.paramHashes).size !== 1);
    if (diverged.length) {
      err(`replicas differ after training at ${diverged.map((r) => r.request.ranks).join(', ')} ranks`);
      return 1;
    }
    return 0;
  });
}

runMain(main);
