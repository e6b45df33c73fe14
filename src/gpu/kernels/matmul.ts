import code from './matmul.wgsl?raw';
import { createUniform } from '../buffers';
import { BindGroupMemo, cachedPipeline } from './pipeline-cache';

export interface MatmulShape {
  /** C is m × n; the inner dimension is k. */
  m: number;
  n: number;
  k: number;
  /** A is stored k × m and used transposed. */
  transA?: boolean;
  /** B is stored n × k and used transposed. */
  transB?: boolean;
  /** Element offsets of A, B and C in their buffers (default 0). */
  offsetA?: number;
  offsetB?: number;
  offsetC?: number;
}

/** C tile of one workgroup (matmul.wgsl's TILE_M = TILE_N). */
const TILE = 64;

/**
 * True when every 4-element run matmul.wgsl loads or stores lies wholly inside or outside its
 * matrix: the dimension each operand's runs follow (op(A): K, or M when stored transposed;
 * op(B): N, or K when stored transposed; C: N) is a multiple of 4. Offsets do not matter (the
 * buffers are bound as array<f32>). Then the kernel checks runs, not elements.
 */
function wholeVec4Runs(shape: MatmulShape): boolean {
  const { m, n, k } = shape;
  return (shape.transA ? m : k) % 4 === 0 && (shape.transB ? k : n) % 4 === 0 && n % 4 === 0;
}

/**
 * C = op(A)·op(B) (matmul.wgsl). Shape and offsets are fixed at construction so the uniform is
 * written once: two matmuls of different shapes in one encoder need two objects (a
 * queue.writeBuffer between encodes would land before either runs).
 */
export class Matmul {
  private readonly pipeline: GPUComputePipeline;
  private readonly uniform: GPUBuffer;
  private readonly groups = new BindGroupMemo();
  private readonly wholeVec4: boolean;

  constructor(
    private readonly device: GPUDevice,
    readonly label: string,
    readonly shape: MatmulShape,
  ) {
    const { m, n, k } = shape;
    if (![m, n, k].every((d) => Number.isInteger(d) && d >= 1)) throw new RangeError(`${label}: matmul dims must be positive integers, got ${m}×${n}×${k}`);
    this.wholeVec4 = wholeVec4Runs(shape);
    this.pipeline = cachedPipeline(device, 'matmul', code, 'main', { TRANS_A: shape.transA ? 1 : 0, TRANS_B: shape.transB ? 1 : 0, WHOLE_VEC4: this.wholeVec4 ? 1 : 0 });
    const dims = Uint32Array.of(m, n, k, shape.offsetA ?? 0, shape.offsetB ?? 0, shape.offsetC ?? 0);
    this.uniform = createUniform(device, `${label}.matmul.dims`, dims.buffer);
  }

  /** Records C = op(A)·op(B) into `encoder` (one compute pass, not submitted). */
  encode(encoder: GPUCommandEncoder, a: GPUBuffer, b: GPUBuffer, c: GPUBuffer): void {
    const pass = encoder.beginComputePass({ label: `${this.label}.matmul.pass` });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.groups.get(this.device, `${this.label}.matmul.bindgroup`, this.pipeline, this.uniform, [a, b, c]));
    pass.dispatchWorkgroups(Math.ceil(this.shape.n / TILE), Math.ceil(this.shape.m / TILE));
    pass.end();
  }

  /** Which kernel this product runs, for reports. */
  get variant(): string {
    return `vec4 64×64, 8×8 per thread${this.wholeVec4 ? '' : ', edge-checked'}`;
  }

  /** FLOPs of one product (2·m·n·k), for throughput figures. */
  get flops(): number {
    return 2 * this.shape.m * this.shape.n * this.shape.k;
  }

  destroy(): void {
    this.uniform.destroy();
  }
}
