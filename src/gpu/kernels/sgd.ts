import code from './sgd.wgsl?raw';
import { dispatchLinear } from '../buffers';
import { BindGroupMemo, cachedPipeline } from './pipeline-cache';

export interface SgdHyper {
  lr: number;
  /** μ in [0, 1); 0 allowed. */
  momentum: number;
}

/** In-place SGD step over `count` elements (sgd.wgsl). */
export class Sgd {
  private readonly pipeline: GPUComputePipeline;
  private readonly uniform: GPUBuffer;
  private readonly groups = new BindGroupMemo();

  constructor(
    private readonly device: GPUDevice,
    readonly label: string,
    readonly count: number,
    hyper: SgdHyper,
  ) {
    this.pipeline = cachedPipeline(device, 'sgd', code, 'main');
    this.uniform = device.createBuffer({ label: `${label}.sgd.params`, size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.setHyper(hyper);
  }

  /** Changes lr / momentum; takes effect from the next submit (queue order). */
  setHyper({ lr, momentum }: SgdHyper): void {
    const buf = new ArrayBuffer(16);
    new Uint32Array(buf, 0, 1)[0] = this.count;
    new Float32Array(buf, 4, 2).set([lr, momentum]);
    this.device.queue.writeBuffer(this.uniform, 0, buf);
  }

  encode(encoder: GPUCommandEncoder, params: GPUBuffer, grads: GPUBuffer, velocity: GPUBuffer): void {
    const pass = encoder.beginComputePass({ label: `${this.label}.sgd.pass` });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.groups.get(this.device, `${this.label}.sgd.bindgroup`, this.pipeline, this.uniform, [params, grads, velocity]));
    dispatchLinear(pass, this.count);
    pass.end();
  }

  destroy(): void {
    this.uniform.destroy();
  }
}
