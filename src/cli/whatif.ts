/**
 * `npm run whatif -- [flags]`: the what-if projection from a terminal. Pure `core`, no
 * browser: the same typed config table as the page's panel and its URL
 * (src/core/whatif/config.ts). Prints the assumptions, one row per GPU count and the answers;
 * -J FILE also writes them as JSON.
 *
 * Exit status: 0 done; 2 bad flags or a configuration that cannot be projected.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatHelp, parseArgv } from '../core/config';
import { comparedConfig, linkFromNcclLog, projectWhatIf, WHATIF_TABLE, type WhatIfConfig, type WhatIfContext, type WhatIfProjection } from '../core/whatif';
import { answerLines, headerLines, tableLines, whatIfJson } from '../core/whatif/report';
import { err, out, runMain, withoutRepair } from './cli-io';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The bundled log --link nccl-log fits by default. */
export const DEFAULT_NCCL_LOG = resolve(ROOT, 'public/nccl-logs/01-h100-16rank-2node-allreduce.txt');

async function main(argv: string[]): Promise<number> {
  const parsed = parseArgv(WHATIF_TABLE, argv);
  if (parsed.help) {
    out(
      formatHelp(
        WHATIF_TABLE,
        'Usage: npm run whatif -- [options]\n\nData-parallel training of a model projected onto a datacenter fabric of 1 to 131,072 GPUs (a model, not a measurement).',
      ),
    );
    return 0;
  }
  if (parsed.errors.length) {
    for (const e of parsed.errors) err(withoutRepair(e.message));
    err('see --help');
    return 2;
  }
  const config = parsed.config;
  const context: WhatIfContext = {};
  const other = comparedConfig(config);
  if (other && 'error' in other) {
    err(other.error);
    return 2;
  }
  if (config.link === 'nccl-log' || other?.config.link === 'nccl-log') {
    const path = config.ncclLog ?? DEFAULT_NCCL_LOG;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      err(`nccl-log: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
      return 2;
    }
    const fitted = linkFromNcclLog(basename(path), text);
    if ('error' in fitted) {
      err(`nccl-log: ${fitted.error}`);
      return 2;
    }
    context.ncclLink = fitted;
  }
  const runs: { config: WhatIfConfig; p: WhatIfProjection }[] = [];
  for (const c of other ? [config, other.config] : [config]) {
    const p = projectWhatIf(c, context);
    if ('error' in p) {
      err(runs.length ? `compare: ${p.error}` : p.error);
      return 2;
    }
    runs.push({ config: c, p });
  }
  for (const [i, { config: c, p }] of runs.entries()) {
    if (runs.length > 1) out(`# ===== ${i === 0 ? 'A' : `B (--compare ${config.compare})`} =====`);
    for (const line of headerLines(c, p)) out(`# ${line}`);
    out('#');
    for (const line of tableLines(p)) out(line);
    out('#');
    for (const line of answerLines(c, p)) out(`# ${line}`);
  }
  if (config.outputFile !== null) {
    const json = runs.length > 1 ? { ...(whatIfJson(config, runs[0]!.p) as object), compare: whatIfJson(runs[1]!.config, runs[1]!.p) } : whatIfJson(config, runs[0]!.p);
    writeFileSync(config.outputFile, `${JSON.stringify(json, null, 2)}\n`);
    err(`wrote ${config.outputFile}`);
  }
  return 0;
}

runMain(main);
