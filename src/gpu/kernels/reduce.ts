/**
 * The reduction kernel of the collectives: dst[d..d+n) = op(dst[d..d+n), src[s..s+n)), and the
 * in-place scale that turns a sum into an average. One instance per (device, op).
 */
import type { ReduceOp } from '../../core/schedule/types';
import shader from './reduce.wgsl?raw';

/** The operators the kernel applies; `avg` is a sum followed by `scale` (core/schedule/types.ts). */
export type ReduceKernelOp = Exclude<ReduceOp, 'avg'>;
const OP_CODE: Record<ReduceKernelOp, number> = { sum: 0, prod: 1, min: 2, max: 3 };
const WORKGROUP_SIZE = 256;
const MAX_GROUPS_PER_DIM = 65535;
const PARAM_BYTES = 32;
/** Elements per dispatch: 64 MiB windows stay under every adapter's binding limit (128 MiB minimum). */
const CHUNK_ELEMS = 16 * 1024 * 1024;
/** minStorageBufferOffsetAlignment is at most 256 on every adapter. */
const ALIGN_BYTES = 256;

/** A bind window starting at an aligned offset at or before element `start`. */
function window(start: number, count: number, bufferBytes: number): { offsetBytes: number; sizeBytes: number; skipElems: number } {
  const offsetBytes = Math.floor((start * 4) / ALIGN_BYTES) * ALIGN_BYTES;
  const endBytes = Math.min(bufferBytes, (start + Math.max(count, 1)) * 4);
  return { offsetBytes, sizeBytes: endBytes - offsetBytes, skipElems: start - offsetBytes / 4 };
}

export class ReduceKernel {
  private readonly reducePipeline: GPUComputePipeline;
  private readonly scalePipeline: GPUComputePipeline;
  private readonly layout: GPUBindGroupLayout;
  /** The scale entry point reads no source: its layout has no binding 1. */
  private readonly scaleLayout: GPUBindGroupLayout;
  private readonly params: GPUBuffer;

  constructor(
    private readonly device: GPUDevice,
    readonly op: ReduceKernelOp,
    private readonly label: string,
  ) {
    const module = device.createShaderModule({ label: `${label}.reduce.module`, code: shader });
    this.layout = device.createBindGroupLayout({
      label: `${label}.reduce.layout`,
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
      ],
    });
    this.scaleLayout = device.createBindGroupLayout({
      label: `${label}.scale.layout`,
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
      ],
    });
    const layout = device.createPipelineLayout({ label: `${label}.reduce.pipelineLayout`, bindGroupLayouts: [this.layout] });
    const scaleLayout = device.createPipelineLayout({ label: `${label}.scale.pipelineLayout`, bindGroupLayouts: [this.scaleLayout] });
    const constants = { OP: OP_CODE[op], WORKGROUP_SIZE };
    this.reducePipeline = device.createComputePipeline({ label: `${label}.reduce.${op}`, layout, compute: { module, entryPoint: 'reduce', constants } });
    // `scale` does not use OP; WORKGROUP_SIZE is the only constant it sees.
    this.scalePipeline = device.createComputePipeline({ label: `${label}.scale`, layout: scaleLayout, compute: { module, entryPoint: 'scale', constants: { WORKGROUP_SIZE } } });
    this.params = device.createBuffer({ label: `${label}.reduce.params`, size: PARAM_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  }

  /**
   * Writes the parameters and submits one dispatch. Parameters travel by queue.writeBuffer,
   * which is ordered with submits, so consecutive calls never see each other's values.
   */
  submitReduce(dst: GPUBuffer, dstOffsetElems: number, src: GPUBuffer, srcOffsetElems: number, count: number): void {
    this.submit(this.reducePipeline, dst, src, dstOffsetElems, srcOffsetElems, count, 1);
  }

  /** dst[offset..offset+count) *= factor, in place (turns a sum into an average). */
  submitScale(dst: GPUBuffer, offsetElems: number, count: number, factor: number): void {
    this.submit(this.scalePipeline, dst, null, offsetElems, 0, count, factor);
  }

  /**
   * Splits long ranges into chunks and binds only a window of each buffer around the chunk, so
   * the only size limit is maxBufferSize, not maxStorageBufferBindingSize.
   */
  private submit(pipeline: GPUComputePipeline, dst: GPUBuffer, src: GPUBuffer | null, d: number, s: number, count: number, scale: number): void {
    for (let off = 0; off < count; off += CHUNK_ELEMS) {
      this.submitWindow(pipeline, dst, src, d + off, s + off, Math.min(CHUNK_ELEMS, count - off), scale);
    }
  }

  private submitWindow(pipeline: GPUComputePipeline, dst: GPUBuffer, src: GPUBuffer | null, d: number, s: number, count: number, scale: number): void {
    const dWin = window(d, count, dst.size);
    const sWin = src ? window(s, count, src.size) : { offsetBytes: 0, sizeBytes: 0, skipElems: 0 };
    const groups = Math.ceil(count / WORKGROUP_SIZE);
    const gx = Math.min(groups, MAX_GROUPS_PER_DIM);
    const gy = Math.ceil(groups / gx);
    const p = new ArrayBuffer(PARAM_BYTES);
    const u = new Uint32Array(p);
    u[0] = dWin.skipElems;
    u[1] = sWin.skipElems;
    u[2] = count;
    new Float32Array(p)[3] = scale;
    u[4] = gx * WORKGROUP_SIZE;
    this.device.queue.writeBuffer(this.params, 0, p);
    const bind = this.device.createBindGroup({
      label: `${this.label}.${src ? 'reduce' : 'scale'}.bind`,
      layout: src ? this.layout : this.scaleLayout,
      entries: [
        { binding: 0, resource: { buffer: dst, offset: dWin.offsetBytes, size: dWin.sizeBytes } },
        ...(src ? [{ binding: 1, resource: { buffer: src, offset: sWin.offsetBytes, size: sWin.sizeBytes } }] : []),
        { binding: 2, resource: { buffer: this.params } },
      ],
    });
    const enc = this.device.createCommandEncoder({ label: `${this.label}.reduce.encoder` });
    const pass = enc.beginComputePass({ label: `${this.label}.reduce.pass` });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(gx, gy);
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  destroy(): void {
    this.params.destroy();
  }
}
