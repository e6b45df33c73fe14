/**
 * Device bring-up in one place (STYLE.md 7): returns a device or a typed reason why not.
 * Works on the main thread and inside a dedicated worker.
 */
import { type AdapterDescription, describeAdapter, NO_WEBGPU_HELP } from '../core/adapter';

export type DeviceResult =
  | { ok: true; device: GPUDevice; adapter: AdapterDescription; hasTimestamps: boolean }
  | { ok: false; reason: 'no-webgpu' | 'no-adapter' | 'device-failed'; message: string };

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
  if (!adapter) return { ok: false, reason: 'no-adapter', message: `navigator.gpu.requestAdapter() returned no adapter. ${NO_WEBGPU_HELP}` };
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
