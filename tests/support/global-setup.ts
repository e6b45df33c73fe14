/**
 * Starts one Vite dev server (with COOP/COEP) for every browser and e2e test file, and
 * hands its URL to the tests through `inject('baseUrl')`. Also hands them the log that
 * tests/support/timing.ts appends every timing re-measure to, and prints its summary at the end.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import type { TestProject } from 'vitest/node';
import { findChromium } from '../../src/cli/chromium';

let server: ViteDevServer | undefined;
let timingDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  const choice = findChromium({ install: true });
  console.log(`[browser tests] Chromium: ${choice.path} (from ${choice.source})`);
  // No HMR: an edit made while the tests run must not reload a page under test.
  server = await createServer({ configFile: 'vite.config.ts', server: { port: 0, host: '127.0.0.1', hmr: false }, logLevel: 'warn' });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite dev server did not report a URL');
  project.provide('baseUrl', url.replace(/\/$/, ''));
  project.provide('chromiumPath', choice.path);
  timingDir = mkdtempSync(join(tmpdir(), 'ringlab-timing-'));
  const timingLog = join(timingDir, 're-measures.log');
  writeFileSync(timingLog, '');
  project.provide('timingLog', timingLog);
}

export async function teardown(): Promise<void> {
  await server?.close();
  if (!timingDir) return;
  const lines = readFileSync(join(timingDir, 're-measures.log'), 'utf8').split('\n').filter(Boolean);
  const count = lines.filter((l) => l.startsWith('!!! TIMING RE-MEASURE')).length;
  if (lines.length === 0) console.log('\n[browser tests] timing re-measures: none');
  else console.warn(`\n!!! [browser tests] ${count} timing check(s) had to be measured again; timing notes (tests/support/timing.ts):\n${lines.join('\n')}\n`);
  rmSync(timingDir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    chromiumPath: string;
    /** The file tests/support/timing.ts appends its loud lines to. */
    timingLog: string;
  }
}
