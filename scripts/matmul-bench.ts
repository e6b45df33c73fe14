/**
 * `npm run perf:matmul`: the matmul section of `npm run perf` alone (quick to iterate on), printed
 * to stdout as markdown; BENCHMARKS.md is written by `npm run perf` only.
 * Options: --reps N (timed products per library and case, default 7), --warmup N (default 2),
 * --only NAME,NAME (cases whose name starts with one of these, e.g. --only 256,512).
 */
import { findChromium, launchChromium } from '../src/cli/chromium';
import { MATMUL_CASES, matmulSection, runMatmulBench } from './perf-matmul';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const reps = Number(arg('--reps') ?? 7);
const warmup = Number(arg('--warmup') ?? 2);
const only = arg('--only')?.split(',');
const cases = only ? MATMUL_CASES.filter((c) => only.some((p) => c.name.startsWith(p))) : MATMUL_CASES;

const browser = await launchChromium(findChromium({ install: true }));
try {
  const result = await runMatmulBench(browser, process.cwd(), { reps, warmup, cases });
  console.log(matmulSection(result, reps).join('\n'));
} finally {
  await browser.close();
}
