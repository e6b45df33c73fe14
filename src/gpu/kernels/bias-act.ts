import code from './bias-act.wgsl?raw';
import { createUniform, dispatchLinear } from '../buffers';
import { BindGroupMemo, cachedPipeline } from './pipeline-cache';

export interface BiasActShape {
  rows: number;
  cols: number;
  /** ReLU (hidden layers) or identity (the logits layer). */
  relu: boolean;
  /** Element offset of the bias in its buffer, and of db in the gradient buffer. */
  offsetBias?: number;
  offsetDb?: number;
}

/** y = act(x + b) and its backward (bias-act.wgsl) for one fixed [rows × cols] shape. */
export class BiasAct {
  private readonly fwd: GPUComputePipeline;
  private readonly maskPipe: GPUComputePipeline;
  private readonly biasGradPipe: GPUComputePipeline;
  private readonly uniform: GPUBuffer;
  private readonly groups = { fwd: new BindGroupMemo(), mask: new BindGroupMemo(), db: new BindGroupMemo() };

  constructor(
    private readonly device: GPUDevice,
    readonly label: string,
    readonly shape: BiasActShape,
  ) {
    const relu = shape.relu ? 1 : 0;
    this.fwd = cachedPipeline(device, 'bias-act', code, 'forward', { RELU: relu });
    this.maskPipe = cachedPipeline(device, 'bias-act', code, 'mask');
    this.biasGradPipe = cachedPipeline(device, 'bias-act', code, 'bias_grad');
    const p = Uint32Array.of(shape.rows, shape.cols, shape.offsetBias ?? 0, shape.offsetDb ?? 0);
    this.uniform = createUniform(device, `${label}.bias-act.params`, p.buffer);
  }

  /** x = act(x + bias), in place. */
  encodeForward(encoder: GPUCommandEncoder, x: GPUBuffer, bias: GPUBuffer): void {
    this.run(encoder, 'forward', this.fwd, this.groups.fwd, [x, bias], 1, this.shape.rows * this.shape.cols);
  }

  /** dy = dy ⊙ (y > 0), in place: backward of the ReLU whose output is y. */
  encodeMask(encoder: GPUCommandEncoder, dy: GPUBuffer, y: GPUBuffer): void {
    this.run(encoder, 'mask', this.maskPipe, this.groups.mask, [dy, y], 3, this.shape.rows * this.shape.cols);
  }

  /** db = column sums of dz (the bias gradient), written at offsetDb. */
  encodeBiasGrad(encoder: GPUCommandEncoder, dz: GPUBuffer, db: GPUBuffer): void {
    this.run(encoder, 'bias-grad', this.biasGradPipe, this.groups.db, [dz, db], 5, this.shape.cols);
  }

  private run(encoder: GPUCommandEncoder, what: string, pipeline: GPUComputePipeline, memo: BindGroupMemo, buffers: GPUBuffer[], firstBinding: number, count: number): void {
    const pass = encoder.beginComputePass({ label: `${this.label}.bias-act.${what}.pass` });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, memo.get(this.device, `${this.label}.bias-act.${what}.bindgroup`, pipeline, this.uniform, buffers, firstBinding));
    dispatchLinear(pass, count);
    pass.end();
  }

  destroy(): void {
    this.uniform.destroy();
  }
}
