import type { Rng } from '../rng';
import { layerCount, layerOffsets, paramLayout, type MlpSpec } from './layout';

/**
 * He (Kaiming) normal init, as for ReLU nets: W ~ N(0, 2 / fanIn), b = 0. Uses `rng` only, so
 * every rank that inits from the same seed holds the same replica.
 */
export function initParams(spec: MlpSpec, rng: Rng): Float32Array {
  const layout = paramLayout(spec);
  const params = new Float32Array(layout.count);
  // Init layer 0 first whatever the flat order, so the numbers do not depend on the layout.
  for (let i = 0; i < layerCount(spec); i++) {
    const fanIn = spec.layers[i];
    const std = Math.sqrt(2 / fanIn);
    const { weight } = layerOffsets(layout, i);
    const n = fanIn * spec.layers[i + 1];
    for (let e = 0; e < n; e++) params[weight + e] = rng.normal() * std;
  }
  return params;
}
