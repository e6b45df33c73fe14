/**
 * Per-device pipeline cache (STYLE.md 6): a benchmark builds many kernel objects with the
 * same code; compiling once per device and constant set keeps that cheap. Keys hold the
 * shader name, entry point and override constants. Cached pipelines are shared, so they are
 * labelled by kernel and constants, not by the first owner (which may be destroyed first).
 */
const cache = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();
const modules = new WeakMap<GPUDevice, Map<string, GPUShaderModule>>();

/** The compute pipeline for (device, shader name, entry point, constants), compiled once. */
export function cachedPipeline(device: GPUDevice, name: string, code: string, entryPoint: string, constants: Record<string, number> = {}): GPUComputePipeline {
  let perDevice = cache.get(device);
  if (!perDevice) {
    perDevice = new Map();
    cache.set(device, perDevice);
  }
  const key = `${name}:${entryPoint}:${JSON.stringify(constants)}`;
  let pipeline = perDevice.get(key);
  if (!pipeline) {
    let mods = modules.get(device);
    if (!mods) {
      mods = new Map();
      modules.set(device, mods);
    }
    let module = mods.get(name);
    if (!module) {
      module = device.createShaderModule({ label: `${name}.module`, code });
      mods.set(name, module);
    }
    pipeline = device.createComputePipeline({ label: `${key}.pipeline`, layout: 'auto', compute: { module, entryPoint, constants } });
    perDevice.set(key, pipeline);
  }
  return pipeline;
}

/** Remembers the last bind group (binding 0 = the kernel's uniform, then `buffers` from `firstBinding`) so re-encoding with the same buffers allocates nothing. */
export class BindGroupMemo {
  private key: GPUBuffer[] = [];
  private group: GPUBindGroup | undefined;

  get(device: GPUDevice, label: string, pipeline: GPUComputePipeline, uniform: GPUBuffer, buffers: GPUBuffer[], firstBinding = 1): GPUBindGroup {
    if (this.group && this.key.length === buffers.length && this.key.every((b, i) => b === buffers[i])) return this.group;
    this.key = buffers;
    this.group = device.createBindGroup({
      label,
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: uniform } }, ...buffers.map((buffer, i) => ({ binding: firstBinding + i, resource: { buffer } }))],
    });
    return this.group;
  }
}
