/**
 * `npm test`: typecheck, lint (Biome, the layer rule, unused exports), unit tests (Node), build,
 * then browser + e2e tests in Chromium.
 * Finds a browser itself ($CHROMIUM_PATH, /usr/bin/chromium, Playwright's) and says which.
 */
import { spawnSync } from 'node:child_process';
import { findChromium } from '../src/cli/chromium';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

function step(title: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  console.log(`=== ${title}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!only) {
  step('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']);
  step('lint', 'npm', ['run', '--silent', 'lint']);
  step('unit tests', 'npx', ['vitest', 'run', '--project', 'unit']);
  step('build', 'npx', ['vite', 'build', '--logLevel', 'warn']);
}
if (!only || only === 'browser') {
  const choice = findChromium({ install: true });
  console.log(`\nringlab test: using Chromium ${choice.path} (from ${choice.source})`);
  step('browser + e2e tests', 'npx', ['vitest', 'run', '--project', 'browser'], { ...process.env, CHROMIUM_PATH: choice.path });
}
console.log('\nall test suites passed');
