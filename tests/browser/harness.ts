/**
 * The browser-test harness page. Every `*.harness.ts` file beside this one exports async
 * functions; they are gathered onto `window.harness` for tests/support/browser.ts to call.
 * Adding a test area means adding a file, never editing this one.
 */
import { adapterLabel, isSoftwareAdapter } from '../../src/core/adapter';
import { requestDevice } from '../../src/gpu/device';

type HarnessFn = (...args: never[]) => Promise<unknown>;
const modules = import.meta.glob<Record<string, HarnessFn>>('./**/*.harness.ts', { eager: true });

const harness: Record<string, HarnessFn> = {
  async webgpuInfo() {
    const r = await requestDevice('harness.probe');
    if (!r.ok) return { ok: false, reason: `${r.reason}: ${r.message}` };
    r.device.destroy();
    return { ok: true, adapter: adapterLabel(r.adapter), isFallback: isSoftwareAdapter(r.adapter) };
  },
};
for (const [file, mod] of Object.entries(modules)) {
  for (const [name, fn] of Object.entries(mod)) {
    if (typeof fn !== 'function') continue;
    if (harness[name]) throw new Error(`harness function ${name} defined twice (${file})`);
    harness[name] = fn;
  }
}
(window as unknown as { harness: typeof harness }).harness = harness;
