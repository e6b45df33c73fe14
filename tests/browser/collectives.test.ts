/**
 * Every algorithm on real WebGPU ranks (1, 2, 3, 4, 5, 8), sizes that do not divide evenly,
 * every op: #wrong must be 0 against the CPU reference, on every rank.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessPage } from '../support/browser';
import type { CaseResult, CollectiveCase } from './collectives.harness';
import { ALGORITHMS, type Algorithm } from '../../src/core/schedule/types';
import { supportedAlgorithms } from '../../src/core/schedule';

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h?.close());

const OPS = ['sum', 'prod', 'min', 'max', 'avg'] as const;

function rpnFor(ranks: number): number {
  // hierarchical needs nodes × ranks-per-node; pick the largest proper divisor, or 1.
  for (let d = Math.floor(ranks / 2); d >= 1; d--) if (ranks % d === 0) return d;
  return 1;
}

function casesFor(ranks: number): CollectiveCase[] {
  const counts = [1, ranks + 1, 1037, 5000]; // 5000 > one 4 KiB slot: sliced and pipelined
  const cases: CollectiveCase[] = [];
  ALGORITHMS.forEach((algorithm: Algorithm, a) => {
    const extra = algorithm === 'hierarchical' ? { ranksPerNode: rpnFor(ranks) } : {};
    counts.forEach((count, c) => cases.push({ collective: 'all_reduce', algorithm, count, op: OPS[(a + c) % OPS.length]!, ...extra }));
  });
  // every op on every algorithm at one awkward size
  for (const algorithm of ALGORITHMS) {
    const extra = algorithm === 'hierarchical' ? { ranksPerNode: rpnFor(ranks) } : {};
    for (const op of OPS) cases.push({ collective: 'all_reduce', algorithm, count: 777, op, ...extra });
  }
  for (const collective of ['reduce_scatter', 'all_gather', 'broadcast'] as const) {
    for (const algorithm of supportedAlgorithms(collective)) {
      if (algorithm === 'hierarchical') continue;
      cases.push({ collective, algorithm, count: 1001, op: 'sum', root: ranks - 1 });
      cases.push({ collective, algorithm, count: Math.max(1, ranks - 1), op: 'max', root: 0 });
    }
  }
  return cases;
}

describe('collectives on WebGPU ranks', () => {
  for (const ranks of [1, 2, 3, 4, 5, 8]) {
    it(`${ranks} rank(s): every algorithm, op and awkward size has #wrong = 0`, async (ctx) => {
      if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
      const cases = casesFor(ranks);
      const { results, validation } = await h.call<{ results: CaseResult[]; validation: string[] }>('runCollectiveCases', ranks, cases);
      expect(validation, 'WebGPU validation errors').toEqual([]);
      const bad = results.filter((r) => r.wrong !== 0 || r.error);
      expect(bad, `${JSON.stringify(bad.slice(0, 5))}\n${h.logs.slice(-10).join('\n')}`).toEqual([]);
      expect(results.length).toBe(cases.length);
    });
  }
});
