/**
 * Device bring-up in one place (STYLE.md 7): returns a device or a typed reason why not.
 * Works on the main thread and inside a dedicated worker.
 */

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  features: string[];
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

export type DeviceResult =
  | { ok: true; device: GPUDevice; adapter: AdapterDescription; hasTimestamps: boolean }
  | { ok: false; reason: 'no-webgpu' | 'no-adapter' | 'device-failed'; message: string };

/** What to tell a user whose browser gives no WebGPU. */
export const NO_WEBGPU_HELP =
  'WebGPU is not available in this browser. Use a recent Chrome or Edge (113+), or Chromium with ' +
  '--enable-unsafe-webgpu (headless Linux: add --enable-unsafe-webgpu; a software SwiftShader adapter is then used), ' +
  'or Safari 26 / Firefox 141+ where WebGPU is enabled.';

export function describeAdapter(adapter: GPUAdapter): AdapterDescription {
  const info = adapter.info;
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    // `isFallbackAdapter` moved from GPUAdapter to GPUAdapterInfo; read whichever exists.
    isFallbackAdapter: Boolean(
      (info as GPUAdapterInfo & { isFallbackAdapter?: boolean })?.isFallbackAdapter ??
        (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter,
    ),
    features: [...adapter.features].sort(),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

/** One-line adapter name for legends and reports, e.g. "google swiftshader (fallback)". */
export function adapterLabel(a: AdapterDescription): string {
  const name = [a.vendor, a.architecture || a.device || a.description].filter(Boolean).join(' ') || 'unknown adapter';
  return a.isFallbackAdapter || /swiftshader/i.test(name) ? `${name} (software)` : name;
}

/**
 * Requests an adapter and a device with the largest buffer limits the adapter allows and
 * timestamp-query when it is offered. `label` names the device in validation messages.
 */
export async function requestDevice(label: string): Promise<DeviceResult> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { ok: false, reason: 'no-webgpu', message: NO_WEBGPU_HELP };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { ok: false, reason: 'no-adapter', message: `requestAdapter failed: ${String(e)}` };
  }
  if (!adapter) return { ok: false, reason: 'no-adapter', message: 'navigator.gpu.requestAdapter() returned no adapter. ' + NO_WEBGPU_HELP };
  const hasTimestamps = adapter.features.has('timestamp-query');
  try {
    const device = await adapter.requestDevice({
      label,
      requiredFeatures: hasTimestamps ? ['timestamp-query'] : [],
      requiredLimits: {
        maxBufferSize: adapter.limits.maxBufferSize,
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
      },
    });
    return { ok: true, device, adapter: describeAdapter(adapter), hasTimestamps };
  } catch (e) {
    return { ok: false, reason: 'device-failed', message: `requestDevice failed: ${String(e)}` };
  }
}
