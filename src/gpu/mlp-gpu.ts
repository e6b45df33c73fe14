/**
 * One rank's replica of the MLP on one device: parameters, gradients and momentum each in ONE
 * flat buffer with the layout of src/core/model/layout.ts (layers in reverse order), so a
 * bucket's element range from src/core/buckets.ts indexes the gradient buffer directly.
 *
 * A step: uploadBatch → encodeForward (also computes loss and dLogits) → encodeBackwardLayer
 * for layer L−1 down to 0 (after layer i's call, layer i's gradients are complete, so the
 * caller can interleave that bucket's all-reduce) → [all-reduce, scale] → encodeSgd.
 */
import { layerCount, layerOffsets, paramLayout, type MlpSpec, type ParamLayout } from '../core/model/layout';
import { createStorage, readBack } from './buffers';
import { BiasAct } from './kernels/bias-act';
import { Matmul } from './kernels/matmul';
import { Sgd, type SgdHyper } from './kernels/sgd';
import { SoftmaxXent } from './kernels/softmax-xent';

export interface GpuMlpOptions {
  /** Rows per step on this rank (the local shard). */
  batch: number;
  /** dLogits divisor: `batch` (then all-reduce average) or the global batch (then sum). */
  batchScale?: number;
  sgd: SgdHyper;
}

interface LayerKernels {
  forward: Matmul; // act[i+1] = act[i]·W
  biasAct: BiasAct; // act[i+1] = act(act[i+1] + b); backward mask of this layer's output
  gradW: Matmul; // dW = act[i]ᵀ·dz[i]
  gradX: Matmul | undefined; // dz[i−1] = dz[i]·Wᵀ (not needed for layer 0)
}

export class GpuMlp {
  readonly layout: ParamLayout;
  readonly params: GPUBuffer;
  readonly grads: GPUBuffer;
  readonly velocity: GPUBuffer;
  /** acts[0] = input batch, acts[i+1] = output of layer i (logits last). */
  private readonly acts: GPUBuffer[];
  /** dz[i] = gradient w.r.t. layer i's output (pre-activation), [batch × layers[i+1]]. */
  private readonly dz: GPUBuffer[];
  private readonly labels: GPUBuffer;
  private readonly lossRows: GPUBuffer;
  private readonly correctRows: GPUBuffer;
  private readonly layers: LayerKernels[] = [];
  private readonly xent: SoftmaxXent;
  private readonly sgd: Sgd;

  constructor(
    private readonly device: GPUDevice,
    readonly label: string,
    readonly spec: MlpSpec,
    readonly options: GpuMlpOptions,
  ) {
    this.layout = paramLayout(spec);
    const B = options.batch;
    const L = layerCount(spec);
    const bytes = this.layout.count * 4;
    this.params = createStorage(device, `${label}.params`, bytes);
    this.grads = createStorage(device, `${label}.grads`, bytes);
    this.velocity = createStorage(device, `${label}.velocity`, bytes);
    this.acts = spec.layers.map((w, i) => createStorage(device, `${label}.act${i}`, B * w * 4));
    this.dz = spec.layers.slice(1).map((w, i) => createStorage(device, `${label}.dz.layer${i}`, B * w * 4));
    this.labels = createStorage(device, `${label}.labels`, B * 4);
    this.lossRows = createStorage(device, `${label}.loss-rows`, B * 4);
    this.correctRows = createStorage(device, `${label}.correct-rows`, B * 4);
    for (let i = 0; i < L; i++) {
      const [fanIn, fanOut] = [spec.layers[i], spec.layers[i + 1]];
      const off = layerOffsets(this.layout, i);
      const l = `${label}.layer${i}`;
      this.layers.push({
        forward: new Matmul(device, `${l}.fwd`, { m: B, n: fanOut, k: fanIn, offsetB: off.weight }),
        biasAct: new BiasAct(device, l, { rows: B, cols: fanOut, relu: i < L - 1, offsetBias: off.bias, offsetDb: off.bias }),
        gradW: new Matmul(device, `${l}.dW`, { m: fanIn, n: fanOut, k: B, transA: true, offsetC: off.weight }),
        gradX: i > 0 ? new Matmul(device, `${l}.dX`, { m: B, n: fanIn, k: fanOut, transB: true, offsetB: off.weight }) : undefined,
      });
    }
    this.xent = new SoftmaxXent(device, label, { rows: B, classes: spec.layers[L], batchScale: options.batchScale ?? B });
    this.sgd = new Sgd(device, label, this.layout.count, options.sgd);
  }

  /** Writes this step's inputs [batch × inputDim] and labels [batch]. */
  uploadBatch(x: Float32Array, labels: Uint32Array): void {
    const B = this.options.batch;
    if (x.length !== B * this.spec.layers[0] || labels.length !== B) {
      throw new RangeError(`${this.label}.uploadBatch: expected ${B}×${this.spec.layers[0]} inputs and ${B} labels, got ${x.length} and ${labels.length}`);
    }
    // The cast admits views of a SharedArrayBuffer (a link slot), which WebGPU accepts
    // (GPUAllowSharedBufferSource) though @webgpu/types narrows the parameter.
    this.device.queue.writeBuffer(this.acts[0], 0, x as Float32Array<ArrayBuffer>);
    this.device.queue.writeBuffer(this.labels, 0, labels as Uint32Array<ArrayBuffer>);
  }

  /** Forward through every layer, then per-row loss/correctness and dLogits into dz[L−1]. */
  encodeForward(encoder: GPUCommandEncoder): void {
    this.layers.forEach((k, i) => {
      k.forward.encode(encoder, this.acts[i], this.params, this.acts[i + 1]);
      k.biasAct.encodeForward(encoder, this.acts[i + 1], this.params);
    });
    const L = this.layers.length;
    this.xent.encode(encoder, this.acts[L], this.labels, this.lossRows, this.correctRows, this.dz[L - 1]);
  }

  /**
   * Backward of layer `layer` (call L−1 first, down to 0): writes its weight and bias
   * gradients into `grads`, and the next layer's dz (through its ReLU).
   */
  encodeBackwardLayer(encoder: GPUCommandEncoder, layer: number): void {
    const k = this.layers[layer];
    if (!k) throw new RangeError(`${this.label}: no layer ${layer}`);
    k.gradW.encode(encoder, this.acts[layer], this.dz[layer], this.grads);
    k.biasAct.encodeBiasGrad(encoder, this.dz[layer], this.grads);
    if (k.gradX) {
      k.gradX.encode(encoder, this.dz[layer], this.params, this.dz[layer - 1]);
      // acts[layer] is the ReLU output of layer − 1.
      this.layers[layer - 1].biasAct.encodeMask(encoder, this.dz[layer - 1], this.acts[layer]);
    }
  }

  /** Whole backward, last layer first (no communication in between). */
  encodeBackward(encoder: GPUCommandEncoder): void {
    for (let i = this.layers.length - 1; i >= 0; i--) this.encodeBackwardLayer(encoder, i);
  }

  encodeSgd(encoder: GPUCommandEncoder): void {
    this.sgd.encode(encoder, this.params, this.grads, this.velocity);
  }

  /** Mean loss and accuracy over this rank's batch from the last forward. */
  async readLossAndAccuracy(): Promise<{ loss: number; accuracy: number }> {
    const B = this.options.batch;
    const [loss, correct] = await Promise.all([readBack(this.device, this.lossRows, B * 4), readBack(this.device, this.correctRows, B * 4)]);
    let [l, c] = [0, 0];
    for (let r = 0; r < B; r++) [l, c] = [l + loss[r], c + correct[r]];
    return { loss: l / B, accuracy: c / B };
  }

  readParams(): Promise<Float32Array> {
    return readBack(this.device, this.params, this.layout.count * 4);
  }

  readGrads(): Promise<Float32Array> {
    return readBack(this.device, this.grads, this.layout.count * 4);
  }

  /** Loads parameters (flat layout) and zeroes the momentum. */
  writeParams(params: Float32Array): void {
    if (params.length !== this.layout.count) throw new RangeError(`${this.label}.writeParams: expected ${this.layout.count} values, got ${params.length}`);
    this.device.queue.writeBuffer(this.params, 0, params as Float32Array<ArrayBuffer>);
    this.device.queue.writeBuffer(this.velocity, 0, new Float32Array(this.layout.count));
  }

  destroy(): void {
    for (const k of this.layers) [k.forward, k.biasAct, k.gradW, k.gradX].forEach((x) => x?.destroy());
    this.xent.destroy();
    this.sgd.destroy();
    for (const b of [this.params, this.grads, this.velocity, this.labels, this.lossRows, this.correctRows, ...this.acts, ...this.dz]) b.destroy();
  }
}
