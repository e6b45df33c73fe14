/**
 * What every ringlab command does around its own work: build the page if needed, serve it,
 * open it in headless Chromium, check WebGPU, turn Ctrl-C into a cancel, and tear it all down;
 * print fatal errors and exit with the command's status.
 */
import { resolve } from 'node:path';
import { findChromium, type ChromiumChoice } from './chromium';
import { ensureBuilt } from './ensure-built';
import type { WebGpuProbe } from './runner-protocol';
import { openRunner, type RunnerSession } from './runner-session';
import { serveStatic } from './serve';

import { err } from './cli-io';

export { err, out, runMain, withoutRepair } from './cli-io';

export interface CliContext {
  session: RunnerSession;
  chromium: ChromiumChoice;
  probe: Extract<WebGpuProbe, { ok: true }>;
  /** True once the user pressed Ctrl-C (the run was asked to cancel). */
  interrupted(): boolean;
}

/** Runs `work` with a ready session; returns its exit status (1 when WebGPU is missing). */
export async function withRunner(root: string, work: (ctx: CliContext) => Promise<number>): Promise<number> {
  ensureBuilt(root);
  const chromium = findChromium();
  err(`Chromium: ${chromium.path} (from ${chromium.source})`);
  const server = await serveStatic(resolve(root, 'dist'));
  const session = await openRunner(server.url, chromium).catch(async (e: unknown) => {
    await server.close();
    throw e;
  });
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(130); // second Ctrl-C: stop waiting
    interrupted = true;
    err('cancelling (Ctrl-C again to quit at once) ...');
    void session.cancel().catch(() => undefined);
  };
  process.on('SIGINT', onSigint);
  try {
    const probe = await session.probeWebGpu();
    if (!probe.ok) {
      err(`WebGPU is not available in ${chromium.path}: ${probe.reason}`);
      err('Chromium needs --enable-unsafe-webgpu (ringlab passes it); headless Linux then offers a SwiftShader adapter.');
      return 1;
    }
    return await work({ session, chromium, probe, interrupted: () => interrupted });
  } finally {
    process.off('SIGINT', onSigint);
    await session.close().catch(() => undefined);
    await server.close();
  }
}
