import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessPage } from '../support/browser';

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h?.close());

describe('browser smoke', () => {
  it('page is cross-origin isolated and WebGPU works in a dedicated worker', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    const r = await h.call<{ ok: boolean; crossOriginIsolated: boolean; detail: string }>('workerWebgpu');
    expect(r.crossOriginIsolated).toBe(true);
    expect(r.ok, r.detail).toBe(true);
  });
});
