/**
 * One Chromium with runner.html open, driven from Node: probe WebGPU, run a sweep while its
 * rows stream back through Playwright's exposeFunction, cancel, close. Results come back as one
 * JSON string (runner-protocol.ts `toWire`).
 */
import type { Browser, Page } from 'playwright-core';
import type { SweepResult } from '../cluster/sweep';
import type { ScalingRequest, ScalingResult } from '../cluster/scaling';
import { launchChromium, type ChromiumChoice } from './chromium';
import { fromWire, RUNNER_EVENT_FN, type RunnerApi, type RunnerEvent, type RunnerRequest, type TrainRunnerEvent, type WebGpuProbe } from './runner-protocol';

export interface RunnerSession {
  /** Chromium's version string, e.g. "141.0.7390.54". */
  browserVersion: string;
  probeWebGpu(): Promise<WebGpuProbe>;
  runSweep(request: RunnerRequest, onEvent: (event: RunnerEvent) => void): Promise<SweepResult>;
  runTraining(request: ScalingRequest, onEvent: (event: TrainRunnerEvent) => void): Promise<ScalingResult>;
  /** Asks the page to cancel; the pending runSweep then resolves with status 'cancelled'. */
  cancel(): Promise<void>;
  /** Console messages and page errors, for failure reports. */
  logs: string[];
  close(): Promise<void>;
}

type RunnerWindow = Window & { ringlabRunner?: RunnerApi };

/** Launches Chromium, opens `${baseUrl}/runner.html` and waits for window.ringlabRunner. */
export async function openRunner(baseUrl: string, chromium: ChromiumChoice): Promise<RunnerSession> {
  const browser: Browser = await launchChromium(chromium, [], { handleSIGINT: false });
  try {
    const page: Page = await browser.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
    // One run at a time: the handler of the running call, which knows its own event kinds.
    let handler: ((event: never) => void) | undefined;
    await page.exposeFunction(RUNNER_EVENT_FN, (event: RunnerEvent | TrainRunnerEvent) => handler?.(event as never));
    await page.goto(`${baseUrl}/runner.html`);
    await page.waitForFunction(() => (window as RunnerWindow).ringlabRunner !== undefined, null, { timeout: 60_000 });
    return {
      browserVersion: browser.version(),
      logs,
      probeWebGpu: () => page.evaluate(() => (window as RunnerWindow).ringlabRunner!.probeWebGpu()),
      async runSweep(request, onEvent) {
        handler = onEvent;
        try {
          return fromWire(
            await page.evaluate(async (req) => {
              const runner = (window as RunnerWindow).ringlabRunner!;
              return runner.wire(await runner.runSweep(req));
            }, request),
          );
        } finally {
          handler = undefined;
        }
      },
      async runTraining(request, onEvent) {
        handler = onEvent;
        try {
          return fromWire(
            await page.evaluate(async (req) => {
              const runner = (window as RunnerWindow).ringlabRunner!;
              return runner.wire(await runner.runTraining(req));
            }, request),
          );
        } finally {
          handler = undefined;
        }
      },
      cancel: () => page.evaluate(() => (window as RunnerWindow).ringlabRunner!.cancel()),
      close: () => browser.close(),
    };
  } catch (e) {
    await browser.close();
    throw e;
  }
}
