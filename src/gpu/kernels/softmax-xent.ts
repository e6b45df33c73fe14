import code from './softmax-xent.wgsl?raw';
import { createUniform, dispatchLinear } from '../buffers';
import { BindGroupMemo, cachedPipeline } from './pipeline-cache';

export interface SoftmaxXentShape {
  rows: number;
  classes: number;
  /** dLogits are divided by this (local or global batch size; the caller chooses). */
  batchScale: number;
}

/** Per-row loss and correctness, and dLogits, in one pass (softmax-xent.wgsl). */
export class SoftmaxXent {
  private readonly pipeline: GPUComputePipeline;
  private readonly uniform: GPUBuffer;
  private readonly groups = new BindGroupMemo();

  constructor(
    private readonly device: GPUDevice,
    readonly label: string,
    readonly shape: SoftmaxXentShape,
  ) {
    this.pipeline = cachedPipeline(device, 'softmax-xent', code, 'main');
    const buf = new ArrayBuffer(16);
    new Uint32Array(buf, 0, 2).set([shape.rows, shape.classes]);
    new Float32Array(buf, 8, 1)[0] = shape.batchScale;
    this.uniform = createUniform(device, `${label}.softmax-xent.params`, buf);
  }

  /** Reads logits [rows × classes] and labels (u32); writes loss [rows], correct [rows], dLogits. */
  encode(encoder: GPUCommandEncoder, logits: GPUBuffer, labels: GPUBuffer, loss: GPUBuffer, correct: GPUBuffer, dLogits: GPUBuffer): void {
    const pass = encoder.beginComputePass({ label: `${this.label}.softmax-xent.pass` });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.groups.get(this.device, `${this.label}.softmax-xent.bindgroup`, this.pipeline, this.uniform, [logits, labels, loss, correct, dLogits]));
    dispatchLinear(pass, this.shape.rows, 64);
    pass.end();
  }

  destroy(): void {
    this.uniform.destroy();
  }
}
