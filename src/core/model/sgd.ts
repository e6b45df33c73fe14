export interface SgdOptions {
  /** Learning rate. */
  lr: number;
  /** Momentum μ in [0, 1); 0 = plain SGD. */
  momentum: number;
}

/**
 * One SGD step in place with PyTorch semantics (no dampening, no Nesterov):
 * v = μ·v + g; p −= lr·v. The GPU `sgd` kernel computes exactly this.
 */
export function sgdStep(params: Float32Array, grads: Float32Array, velocity: Float32Array, { lr, momentum }: SgdOptions): void {
  if (params.length !== grads.length || params.length !== velocity.length) {
    throw new RangeError(`sgdStep: params ${params.length}, grads ${grads.length}, velocity ${velocity.length} must match`);
  }
  for (let i = 0; i < params.length; i++) {
    const v = momentum * velocity[i] + grads[i];
    velocity[i] = v;
    params[i] -= lr * v;
  }
}
