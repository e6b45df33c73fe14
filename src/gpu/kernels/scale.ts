import code from './scale.wgsl?raw';
import { createUniform, dispatchLinear } from '../buffers';
import { BindGroupMemo, cachedPipeline } from './pipeline-cache';

/** x[offset, offset + count) *= factor, in place (scale.wgsl); e.g. one bucket × 1/N. */
export class Scale {
  private readonly pipeline: GPUComputePipeline;
  private readonly uniform: GPUBuffer;
  private readonly groups = new BindGroupMemo();

  constructor(
    private readonly device: GPUDevice,
    readonly label: string,
    readonly range: { offset: number; count: number; factor: number },
  ) {
    this.pipeline = cachedPipeline(device, 'scale', code, 'main');
    const buf = new ArrayBuffer(16);
    new Uint32Array(buf, 0, 2).set([range.offset, range.count]);
    new Float32Array(buf, 8, 1)[0] = range.factor;
    this.uniform = createUniform(device, `${label}.scale.params`, buf);
  }

  encode(encoder: GPUCommandEncoder, x: GPUBuffer): void {
    const pass = encoder.beginComputePass({ label: `${this.label}.scale.pass` });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.groups.get(this.device, `${this.label}.scale.bindgroup`, this.pipeline, this.uniform, [x]));
    dispatchLinear(pass, this.range.count);
    pass.end();
  }

  destroy(): void {
    this.uniform.destroy();
  }
}
