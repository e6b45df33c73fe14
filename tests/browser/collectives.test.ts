/**
 * Every algorithm on real WebGPU ranks (1, 2, 3, 4, 5, 8), sizes that do not divide evenly,
 * every op, both transfer protocols on every slot-size path: #wrong must be 0 against the CPU
 * reference, on every rank.
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
    counts.forEach((count, c) => cases.push({ collective: 'all_reduce', algorithm, count, op: OPS[(a + c) % OPS.length]!, proto: (a + c) % 2 ? 'host' : 'simple', ...extra }));
  });
  // every op on every algorithm at one awkward size
  for (const algorithm of ALGORITHMS) {
    const extra = algorithm === 'hierarchical' ? { ranksPerNode: rpnFor(ranks) } : {};
    OPS.forEach((op, o) => cases.push({ collective: 'all_reduce', algorithm, count: 777, op, proto: o % 2 ? 'host' : 'simple', ...extra }));
  }
  // every protocol on every slot-size path: 1 element, one slot (4 KiB = 1024 elements), one
  // slot + 1, and many slots spread over more staging chunks than the window (20000 elements);
  // recursive doubling sends what it receives (start-of-step copies), star sends to many peers.
  for (const proto of ['simple', 'host'] as const) {
    for (const algorithm of ['ring', 'recursive-doubling', 'star'] as const) {
      for (const count of [1, 1024, 1025, 20000]) cases.push({ collective: 'all_reduce', algorithm, count, op: count === 1025 ? 'avg' : 'sum', proto });
    }
  }
  for (const collective of ['reduce_scatter', 'all_gather', 'broadcast'] as const) {
    for (const algorithm of supportedAlgorithms(collective)) {
      if (algorithm === 'hierarchical') continue;
      cases.push({ collective, algorithm, count: 1001, op: 'sum', root: ranks - 1, proto: 'simple' });
      cases.push({ collective, algorithm, count: Math.max(1, ranks - 1), op: 'max', root: 0, proto: 'host' });
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
