/**
 * Starts one Vite dev server (with COOP/COEP) for every browser and e2e test file, and
 * hands its URL to the tests through `inject('baseUrl')`.
 */
import { createServer, type ViteDevServer } from 'vite';
import type { TestProject } from 'vitest/node';
import { findChromium } from '../../src/cli/chromium';

let server: ViteDevServer | undefined;

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
}

export async function teardown(): Promise<void> {
  await server?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    chromiumPath: string;
  }
}
