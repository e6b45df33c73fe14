/**
 * The MLP's shape and the flat parameter layout shared by the CPU reference, the GPU kernels
 * and the gradient buckets.
 *
 * Layout choice: ONE flat Float32Array holds every tensor, layers in REVERSE order (last
 * layer first), each layer its weight W (row-major [in][out]) then its bias b [out]. Reverse
 * order is the order in which backward finishes layers, so a DDP bucket (a run of tensors in
 * reverse layer order, see buckets.ts) is a contiguous element range [start, start + count)
 * of the gradient buffer, and an all-reduce can work on it in place.
 */

/** layers = [inputDim, hidden…, classes], e.g. [64, 256, 256, 10]: layers.length − 1 linear layers. */
export interface MlpSpec {
  layers: number[];
}

export interface TensorSlot {
  /** `layer{i}.weight` or `layer{i}.bias`. */
  name: string;
  layer: number;
  kind: 'weight' | 'bias';
  /** [in, out] for a weight, [out] for a bias. */
  shape: number[];
  /** First element in the flat buffer. */
  offset: number;
  /** Element count. */
  size: number;
}

export interface ParamLayout {
  /** In flat-buffer order: layer L−1 weight, layer L−1 bias, layer L−2 weight, … */
  tensors: TensorSlot[];
  /** Total elements. */
  count: number;
}

/** Number of linear layers. */
export function layerCount(spec: MlpSpec): number {
  return spec.layers.length - 1;
}

/** Throws a RangeError naming the problem if the spec cannot describe an MLP. */
export function checkSpec(spec: MlpSpec): void {
  if (spec.layers.length < 2) throw new RangeError(`MlpSpec: need at least [inputDim, classes], got [${spec.layers.join(', ')}]`);
  for (const w of spec.layers) {
    if (!Number.isInteger(w) || w < 1) throw new RangeError(`MlpSpec: widths must be positive integers, got [${spec.layers.join(', ')}]`);
  }
}

/** Offsets and sizes of every tensor (see the file comment for the order). */
export function paramLayout(spec: MlpSpec): ParamLayout {
  checkSpec(spec);
  const tensors: TensorSlot[] = [];
  let offset = 0;
  for (let i = layerCount(spec) - 1; i >= 0; i--) {
    const [fanIn, fanOut] = [spec.layers[i], spec.layers[i + 1]];
    tensors.push({ name: `layer${i}.weight`, layer: i, kind: 'weight', shape: [fanIn, fanOut], offset, size: fanIn * fanOut });
    offset += fanIn * fanOut;
    tensors.push({ name: `layer${i}.bias`, layer: i, kind: 'bias', shape: [fanOut], offset, size: fanOut });
    offset += fanOut;
  }
  return { tensors, count: offset };
}

/** Element offsets of layer i's weight and bias. */
export function layerOffsets(layout: ParamLayout, layer: number): { weight: number; bias: number } {
  const w = layout.tensors.find((t) => t.layer === layer && t.kind === 'weight');
  const b = layout.tensors.find((t) => t.layer === layer && t.kind === 'bias');
  if (!w || !b) throw new RangeError(`layerOffsets: no layer ${layer}`);
  return { weight: w.offset, bias: b.offset };
}
