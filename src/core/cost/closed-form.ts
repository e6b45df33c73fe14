/**
 * Closed-form α-β-γ costs of the all-reduce algorithms (DESIGN.md §6, Thakur, Rabenseifner,
 * Gropp 2005). Exact for powers of two p and n divisible by p; `scheduleCost` is the model for
 * everything else. Kept as a separate table so tests can hold the schedules to the literature.
 */
import type { Algorithm } from '../schedule/types';
import type { AlphaBetaGamma } from '../link/types';

/**
 * All-reduce time of `algorithm` on p ranks for n bytes. lg p is taken as log2(p), so values for
 * non-powers of two are only indicative. `hierarchical` has no single-link closed form: cost it
 * with `scheduleCost` and a `linkOf`.
 */
export function closedFormCost(algorithm: Algorithm, p: number, nBytes: number, link: AlphaBetaGamma): number {
  const { alphaS: a, betaSPerByte: b, gammaSPerByte: g } = link;
  const lg = Math.log2(p);
  const n = nBytes;
  switch (algorithm) {
    case 'ring':
      return 2 * (p - 1) * a + 2 * ((p - 1) / p) * n * b + ((p - 1) / p) * n * g;
    case 'recursive-doubling':
      return lg * (a + n * b + n * g);
    case 'rabenseifner':
      return 2 * lg * a + 2 * ((p - 1) / p) * n * b + ((p - 1) / p) * n * g;
    case 'tree':
      return 2 * lg * (a + n * b) + lg * n * g;
    case 'star':
      return 2 * (p - 1) * (a + n * b) + (p - 1) * n * g;
    case 'hierarchical':
      throw new Error('closedFormCost: hierarchical depends on the topology; use scheduleCost with linkOf');
  }
}
