/**
 * Builds a page with Vite when its built HTML is missing or older than any of its sources, so
 * `npm run bench` always drives the code in the tree. The default target is the app's build
 * (dist/runner.html); the benchmark pages pass their own (scripts/matmul-bench.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface BuildTarget {
  /** The built page whose age decides, relative to the root. */
  built: string;
  /** Files and folders whose change means the page must be rebuilt. */
  sources: string[];
  /** Vite config file (default: Vite's own lookup, vite.config.ts). */
  config?: string;
}

const RUNNER: BuildTarget = { built: 'dist/runner.html', sources: ['src', 'runner.html', 'index.html', 'vite.config.ts', 'package.json'] };

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtimeMs(join(path, name))), st.mtimeMs);
}

/** Why a build is needed, or null when the target's built page is up to date. */
export function buildReason(root: string, target: BuildTarget = RUNNER): string | null {
  const built = join(root, target.built);
  if (!existsSync(built)) return `${target.built} is missing`;
  const builtMs = statSync(built).mtimeMs;
  const newest = Math.max(...target.sources.map((s) => newestMtimeMs(join(root, s))));
  return newest > builtMs ? `sources are newer than ${target.built}` : null;
}

/**
 * Runs `vite build` in `root` when needed, saying so on stderr (Vite's output goes to stderr
 * too, so stdout stays the report). @throws Error when the build fails.
 */
export function ensureBuilt(root: string, target: BuildTarget = RUNNER): void {
  const reason = buildReason(root, target);
  if (!reason) return;
  console.error(`ringlab: ${reason}; running vite build ...`);
  const config = target.config ? ['--config', target.config] : [];
  const r = spawnSync('npx', ['vite', 'build', ...config, '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status ?? r.signal}); run \`npx vite build ${config.join(' ')}\` to see why`);
}
