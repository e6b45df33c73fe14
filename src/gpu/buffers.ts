/**
 * Buffer helpers. The caller owns what these create and destroys it; `readBack` owns and
 * destroys its staging buffer.
 */

/** Storage usage for buffers that kernels read and write and that are copied in and out. */
export const STORAGE_USAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/**
 * A storage buffer of `bytesOrData` bytes (zero-filled) or holding a copy of the typed array.
 * Sizes are rounded up to 4 bytes, the copy granularity.
 */
export function createStorage(device: GPUDevice, label: string, bytesOrData: number | Float32Array | Uint32Array, usage = STORAGE_USAGE): GPUBuffer {
  const bytes = typeof bytesOrData === 'number' ? bytesOrData : bytesOrData.byteLength;
  const buffer = device.createBuffer({ label, size: Math.max(4, Math.ceil(bytes / 4) * 4), usage, mappedAtCreation: typeof bytesOrData !== 'number' });
  if (typeof bytesOrData !== 'number') {
    const Ctor = bytesOrData instanceof Float32Array ? Float32Array : Uint32Array;
    new Ctor(buffer.getMappedRange()).set(bytesOrData);
    buffer.unmap();
  }
  return buffer;
}

/** A small uniform buffer holding `data` (padded to 16 bytes). */
export function createUniform(device: GPUDevice, label: string, data: ArrayBuffer): GPUBuffer {
  const buffer = device.createBuffer({ label, size: Math.max(16, Math.ceil(data.byteLength / 16) * 16), usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

/**
 * Copies `bytes` bytes from `offsetBytes` of `buffer` (which needs COPY_SRC) to a MAP_READ
 * staging buffer, maps it and returns a copy made before unmap (the mapped range is detached
 * by unmap). Never await this while blocking the same thread in Atomics.wait (DESIGN.md §8).
 */
export async function readBack(device: GPUDevice, buffer: GPUBuffer, bytes = buffer.size, offsetBytes = 0): Promise<Float32Array> {
  const staging = device.createBuffer({ label: `${buffer.label}.readback`, size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const enc = device.createCommandEncoder({ label: `${buffer.label}.readback.encoder` });
    enc.copyBufferToBuffer(buffer, offsetBytes, staging, 0, bytes);
    device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return new Float32Array(staging.getMappedRange().slice(0));
  } finally {
    staging.destroy();
  }
}

/**
 * Dispatches enough 256-wide workgroups for `count` invocations, folding into y when x would
 * pass the 65535-workgroup limit. Shaders rebuild the index as gid.x + gid.y·(nwg.x·256).
 */
export function dispatchLinear(pass: GPUComputePassEncoder, count: number, workgroupSize = 256): void {
  const groups = Math.max(1, Math.ceil(count / workgroupSize));
  const x = Math.min(groups, 65535);
  pass.dispatchWorkgroups(x, Math.ceil(groups / x));
}

/**
 * A SharedArrayBuffer view as a writeBuffer source. WebGPU accepts shared sources
 * (`[AllowShared] BufferSource`, so a rank uploads straight from a link's slot without a
 * second host copy), but @webgpu/types 0.1.x types the parameter as ArrayBuffer-backed only.
 */
export function sharedSource(view: Uint8Array<SharedArrayBuffer> | Uint8Array<ArrayBufferLike>): Uint8Array<ArrayBuffer> {
  return view as Uint8Array<ArrayBuffer>;
}
