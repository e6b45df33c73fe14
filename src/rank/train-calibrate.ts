/**
 * Uncontended compute durations for the projected clock (DESIGN.md §4). The cluster calls one
 * rank at a time (a GPU token), so nothing else runs on the shared adapter meanwhile.
 *
 * GPU timestamp-query when the device has it: an empty compute pass with a beginning-of-pass
 * timestamp before and after the measured work brackets it on the queue. Otherwise, or when
 * the adapter returns no usable timestamps, fenced wall time: wait for an idle queue, submit,
 * await onSubmittedWorkDone (this includes about half a millisecond of round trip).
 *
 * GpuMlp encodes the whole forward at once, so the forward time is measured whole and shared
 * among layers in proportion to their FLOPs (2·B·in·out each); the backward is measured per
 * layer. Every figure is the median of `reps` runs.
 */
import { measureMatmulFlops } from '../gpu/flops';
import { median } from '../core/metrics';
import { layerCount } from '../core/model';
import type { GpuMlp } from '../gpu/mlp-gpu';
import { nowMs } from '../transport/clock';

export interface Calibration {
  /** Forward time per layer (index = layer), s. */
  fwdS: number[];
  /** Backward time per layer, s. */
  bwdS: number[];
  /** SGD step plus the sum → average scale, s. */
  optimizerS: number;
  method: 'timestamp-query' | 'fenced-wall';
  /** Greatest common step of the timestamp deltas when it is ≥ 1 µs (Chrome's 100 µs quantization), ns. */
  timestampQuantumNs: number | null;
  /**
   * This GPU's FLOP/s for the similarity ratio: the larger of the matmul probe (src/gpu/flops.ts,
   * the page's measurement) and the model's own throughput. A small model's own throughput is
   * dominated by per-dispatch overhead and would make the ratio absurdly small.
   */
  flopsPerS: number;
  /** Forward + backward FLOPs of this model over their measured time. */
  modelFlopsPerS: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Measures GPU work on one device, by timestamps when they work, else fenced wall time. */
class GpuTimer {
  private readonly querySet: GPUQuerySet | undefined;
  private readonly resolve: GPUBuffer | undefined;
  private readonly readback: GPUBuffer | undefined;
  usedTimestamps = false;
  readonly deltasNs: number[] = [];

  constructor(
    private readonly device: GPUDevice,
    label: string,
    useTimestamps: boolean,
  ) {
    if (!useTimestamps || !device.features.has('timestamp-query')) return;
    this.querySet = device.createQuerySet({ label: `${label}.timer.queries`, type: 'timestamp', count: 2 });
    this.resolve = device.createBuffer({ label: `${label}.timer.resolve`, size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    this.readback = device.createBuffer({ label: `${label}.timer.readback`, size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  }

  /** Seconds `encode`'s work takes on the GPU. */
  async measure(encode: (enc: GPUCommandEncoder) => void): Promise<number> {
    await this.device.queue.onSubmittedWorkDone();
    const enc = this.device.createCommandEncoder({ label: 'calibrate' });
    const mark = (i: number): void => {
      if (this.querySet) enc.beginComputePass({ timestampWrites: { querySet: this.querySet, beginningOfPassWriteIndex: i } }).end();
    };
    mark(0);
    encode(enc);
    mark(1);
    if (this.querySet && this.resolve && this.readback) {
      enc.resolveQuerySet(this.querySet, 0, 2, this.resolve, 0);
      enc.copyBufferToBuffer(this.resolve, 0, this.readback, 0, 16);
    }
    const t0 = nowMs();
    this.device.queue.submit([enc.finish()]);
    await this.device.queue.onSubmittedWorkDone();
    const wallS = (nowMs() - t0) / 1e3;
    if (!this.readback) return wallS;
    await this.readback.mapAsync(GPUMapMode.READ);
    const [a, b] = new BigInt64Array(this.readback.getMappedRange().slice(0));
    this.readback.unmap();
    const ns = Number(b! - a!);
    // Some adapters write zeros or garbage; trust a delta only if it is positive and not
    // longer than the fenced wall time that contains it.
    if (ns > 0 && ns / 1e9 <= wallS * 1.05) {
      this.usedTimestamps = true;
      this.deltasNs.push(ns);
      return ns / 1e9;
    }
    return wallS;
  }

  quantumNs(): number | null {
    if (!this.deltasNs.length) return null;
    const g = this.deltasNs.reduce((x, y) => gcd(x, Math.round(y)), 0);
    return g >= 1000 ? g : null;
  }

  destroy(): void {
    this.querySet?.destroy();
    this.resolve?.destroy();
    this.readback?.destroy();
  }
}

/**
 * Times forward, per-layer backward and the optimizer on `mlp` (its batch already uploaded).
 * Runs the SGD step, so the caller restores the parameters afterwards.
 */
export async function calibrateMlp(device: GPUDevice, mlp: GpuMlp, reps: number, submitScale: () => void, useTimestamps = true): Promise<Calibration> {
  const timer = new GpuTimer(device, mlp.label, useTimestamps);
  try {
    const L = layerCount(mlp.spec);
    const B = mlp.options.batch;
    const flopsOf = (i: number): number => 2 * B * mlp.spec.layers[i]! * mlp.spec.layers[i + 1]!;
    // One unmeasured run first: SwiftShader compiles a pipeline on its first dispatch.
    const run = async (encode: (enc: GPUCommandEncoder) => void): Promise<number> => {
      await timer.measure(encode);
      const xs: number[] = [];
      for (let r = 0; r < reps; r++) xs.push(await timer.measure(encode));
      return median(xs);
    };
    const fwdTotalS = await run((enc) => mlp.encodeForward(enc));
    const fwdFlops = Array.from({ length: L }, (_, i) => flopsOf(i));
    const fwdSum = fwdFlops.reduce((a, b) => a + b, 0);
    const fwdS = fwdFlops.map((f) => (fwdTotalS * f) / fwdSum);
    const bwdS: number[] = new Array<number>(L).fill(0);
    for (let i = L - 1; i >= 0; i--) bwdS[i] = await run((enc) => mlp.encodeBackwardLayer(enc, i));
    const sgdS = await run((enc) => mlp.encodeSgd(enc));
    submitScale(); // warm-up
    await device.queue.onSubmittedWorkDone();
    const t0 = nowMs();
    submitScale();
    await device.queue.onSubmittedWorkDone();
    const scaleS = (nowMs() - t0) / 1e3;
    const totalFlops = fwdSum + fwdFlops.reduce((a, f, i) => a + (i > 0 ? 2 * f : f), 0);
    const totalS = fwdTotalS + bwdS.reduce((a, b) => a + b, 0);
    return {
      fwdS,
      bwdS,
      optimizerS: sgdS + scaleS,
      method: timer.usedTimestamps ? 'timestamp-query' : 'fenced-wall',
      timestampQuantumNs: timer.quantumNs(),
      // Both are lower bounds of what this GPU can do; the similarity ratio wants its best.
      flopsPerS: Math.max((await measureMatmulFlops(device)).flopsPerS, totalFlops / totalS),
      modelFlopsPerS: totalFlops / totalS,
    };
  } finally {
    timer.destroy();
  }
}
