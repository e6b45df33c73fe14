/**
 * Finding and launching a Chromium with WebGPU, for the CLI and the browser tests.
 * Order: $CHROMIUM_PATH, /usr/bin/chromium, then Playwright's own Chromium (installed with
 * `npx playwright-core install chromium` where the network allows it).
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

export interface ChromiumChoice {
  path: string;
  /** Where it came from, printed so a run always says which browser it used. */
  source: 'CHROMIUM_PATH' | '/usr/bin/chromium' | 'playwright';
}

function playwrightChromium(): string | undefined {
  try {
    const p = chromium.executablePath();
    return p && existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves a Chromium binary or throws an Error that says what was tried and how to fix it. */
export function findChromium(options: { install?: boolean } = {}): ChromiumChoice {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return { path: fromEnv, source: 'CHROMIUM_PATH' };
  }
  if (existsSync('/usr/bin/chromium')) return { path: '/usr/bin/chromium', source: '/usr/bin/chromium' };
  let pw = playwrightChromium();
  if (!pw && options.install) {
    console.error('ringlab: no system Chromium found; trying `npx playwright-core install chromium` ...');
    spawnSync('npx', ['playwright-core', 'install', 'chromium'], { stdio: 'inherit' });
    pw = playwrightChromium();
  }
  if (pw) return { path: pw, source: 'playwright' };
  throw new Error("no Chromium found: set CHROMIUM_PATH, install Debian's chromium (apt-get install chromium), " + 'or run `npx playwright-core install chromium`');
}

/** Flags: WebGPU on (SwiftShader where there is no GPU), no background network chatter. */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=SharedArrayBuffer',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/**
 * Launches headless Chromium. `webgpu: false` launches it as a browser without WebGPU (for the
 * page's no-WebGPU message). `handleSIGINT: false` leaves Ctrl-C to the caller (the CLI
 * cancels the sweep, then closes the browser itself); Playwright's default closes it at once.
 */
export async function launchChromium(
  choice: ChromiumChoice = findChromium(),
  extraArgs: string[] = [],
  options: { webgpu?: boolean; handleSIGINT?: boolean } = {},
): Promise<Browser> {
  const args = CHROMIUM_ARGS.filter((a) => options.webgpu !== false || a !== '--enable-unsafe-webgpu');
  if (options.webgpu === false) args.push('--disable-features=WebGPU,Vulkan', '--disable-gpu');
  return chromium.launch({
    executablePath: choice.path,
    headless: true,
    args: [...args, ...extraArgs],
    handleSIGINT: options.handleSIGINT ?? true,
  });
}
