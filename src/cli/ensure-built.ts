/**
 * Builds dist/ with Vite when dist/runner.html is missing or older than any source of the
 * page, so `npm run bench` always drives the code in the tree.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Files and folders whose change means the runner page must be rebuilt. */
const SOURCES = ['src', 'runner.html', 'index.html', 'vite.config.ts', 'package.json'];

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtimeMs(join(path, name))), st.mtimeMs);
}

/** Why a build is needed, or null when dist/runner.html is up to date. */
export function buildReason(root: string): string | null {
  const built = join(root, 'dist', 'runner.html');
  if (!existsSync(built)) return 'dist/runner.html is missing';
  const builtMs = statSync(built).mtimeMs;
  const newest = Math.max(...SOURCES.map((s) => newestMtimeMs(join(root, s))));
  return newest > builtMs ? 'sources are newer than dist/runner.html' : null;
}

/**
 * Runs `vite build` in `root` when needed, saying so on stderr (Vite's output goes to stderr
 * too, so stdout stays the report). @throws Error when the build fails.
 */
export function ensureBuilt(root: string): void {
  const reason = buildReason(root);
  if (!reason) return;
  console.error(`ringlab: ${reason}; running vite build ...`);
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status ?? r.signal}); run \`npx vite build\` to see why`);
}
