/**
 * CPU reference of the MLP (the oracle for the GPU kernels, STYLE.md 10): ReLU hidden layers,
 * logits from the last layer, mean softmax cross-entropy.
 *
 * Mean over the GLOBAL batch. With N ranks each holding an equal shard of B/N samples, each
 * rank computes the mean gradient over its shard (gradScale = B/N, the default), and the
 * all-reduce AVERAGE (sum, then × 1/N) gives (1/N)·Σ_r (N/B)·Σ_{i∈r} g_i = (1/B)·Σ_i g_i, the
 * global-batch mean. Equivalently a rank may pass gradScale = B and the all-reduce SUM.
 * Either way N ranks follow the 1-rank run on the same global batch (DESIGN.md §7).
 */
import { layerCount, layerOffsets, paramLayout, type MlpSpec } from './layout';

/** Activations of every layer boundary: acts[0] = x, acts[i+1] = output of layer i (logits last). */
export function forwardActivations(spec: MlpSpec, params: Float32Array, x: Float32Array, batch: number): Float32Array[] {
  const layout = paramLayout(spec);
  const L = layerCount(spec);
  if (x.length !== batch * spec.layers[0]) throw new RangeError(`forward: x has ${x.length} values, expected ${batch}×${spec.layers[0]}`);
  const acts = [x];
  for (let i = 0; i < L; i++) {
    const [fanIn, fanOut] = [spec.layers[i], spec.layers[i + 1]];
    const { weight, bias } = layerOffsets(layout, i);
    const a = acts[i];
    const y = new Float32Array(batch * fanOut);
    for (let r = 0; r < batch; r++) {
      for (let o = 0; o < fanOut; o++) {
        let s = params[bias + o];
        for (let k = 0; k < fanIn; k++) s += a[r * fanIn + k] * params[weight + k * fanOut + o];
        y[r * fanOut + o] = i < L - 1 ? Math.max(0, s) : s;
      }
    }
    acts.push(y);
  }
  return acts;
}

/** Logits [batch × classes]. */
export function forward(spec: MlpSpec, params: Float32Array, x: Float32Array, batch: number): Float32Array {
  const acts = forwardActivations(spec, params, x, batch);
  return acts[acts.length - 1];
}

export interface LossAndGrad {
  /** Mean softmax cross-entropy over the batch (nats). */
  loss: number;
  /** Fraction of rows whose arg-max logit is the label. */
  accuracy: number;
  /** d(loss·batch/gradScale)/dparams, same flat layout as params. */
  grads: Float32Array;
}

/** Per-row loss, correctness and dLogits = (softmax − onehot) / gradScale. */
export function softmaxXent(
  logits: Float32Array,
  labels: Uint32Array,
  batch: number,
  classes: number,
  gradScale: number,
): { lossPerRow: Float32Array; correct: Float32Array; dLogits: Float32Array } {
  const lossPerRow = new Float32Array(batch);
  const correct = new Float32Array(batch);
  const dLogits = new Float32Array(batch * classes);
  for (let r = 0; r < batch; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    let max = -Infinity;
    let arg = 0;
    for (let c = 0; c < classes; c++) if (row[c] > max) [max, arg] = [row[c], c];
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(row[c] - max);
    const label = labels[r];
    lossPerRow[r] = Math.log(sum) + max - row[label];
    correct[r] = arg === label ? 1 : 0;
    for (let c = 0; c < classes; c++) dLogits[r * classes + c] = (Math.exp(row[c] - max) / sum - (c === label ? 1 : 0)) / gradScale;
  }
  return { lossPerRow, correct, dLogits };
}

/**
 * Loss, accuracy and gradients for one batch. `gradScale` defaults to `batch` (mean over
 * this batch); see the file comment for the data-parallel choice.
 */
export function lossAndGrad(spec: MlpSpec, params: Float32Array, x: Float32Array, labels: Uint32Array, batch: number, gradScale = batch): LossAndGrad {
  const layout = paramLayout(spec);
  const L = layerCount(spec);
  const acts = forwardActivations(spec, params, x, batch);
  const classes = spec.layers[L];
  const sx = softmaxXent(acts[L], labels, batch, classes, gradScale);
  const grads = new Float32Array(layout.count);
  let dZ = sx.dLogits; // gradient w.r.t. layer i's pre-activation output
  for (let i = L - 1; i >= 0; i--) {
    const [fanIn, fanOut] = [spec.layers[i], spec.layers[i + 1]];
    const { weight, bias } = layerOffsets(layout, i);
    const a = acts[i];
    for (let r = 0; r < batch; r++) {
      for (let o = 0; o < fanOut; o++) {
        const g = dZ[r * fanOut + o];
        grads[bias + o] += g;
        for (let k = 0; k < fanIn; k++) grads[weight + k * fanOut + o] += a[r * fanIn + k] * g;
      }
    }
    if (i === 0) break;
    // dA = dZ·Wᵀ, then through the ReLU of layer i−1 (its output is acts[i]).
    const dPrev = new Float32Array(batch * fanIn);
    for (let r = 0; r < batch; r++) {
      for (let k = 0; k < fanIn; k++) {
        if (a[r * fanIn + k] <= 0) continue;
        let s = 0;
        for (let o = 0; o < fanOut; o++) s += dZ[r * fanOut + o] * params[weight + k * fanOut + o];
        dPrev[r * fanIn + k] = s;
      }
    }
    dZ = dPrev;
  }
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < batch; r++) [loss, correct] = [loss + sx.lossPerRow[r], correct + sx.correct[r]];
  return { loss: loss / batch, accuracy: correct / batch, grads };
}
