/**
 * Fuzzer: page URLs drawn from the config tables (issue 10 acceptance: 0 page freezes). Every
 * URL must parse without throwing, name each bad parameter in a message of bounded length, and
 * leave a config from which the page can build the run it would start: the sweep's schedules
 * and its α-β prediction (what froze the page), or the training request (or a clear refusal).
 */
import { describe, expect, it } from 'vitest';
import { BENCH_TABLE, TRAIN_TABLE, fieldKeys, parseUrl, serializeUrl, urlName, type ConfigTable } from '../../../src/core/config';
import { emulatedLinks } from '../../../src/core/link';
import { buildSchedule } from '../../../src/core/schedule';
import { Rng } from '../../../src/core/rng';
import { sweepRequestFromConfig } from '../../../src/cluster/bench-config';
import { predictSweep, sweepSizes } from '../../../src/cluster/sweep-prediction';
import { scalingRequestFromConfig } from '../../../src/cluster/train-config';
import { globalBatchAt } from '../../../src/cluster/scaling';
import { fuzzText } from './inputs';

const URLS = 400;

function fuzzParams<C>(table: ConfigTable<C>, rng: Rng): URLSearchParams {
  const params = new URLSearchParams();
  const keys = fieldKeys(table.fields).filter((k) => !table.fields[k].cliOnly);
  for (const key of keys) if (rng.uniform() < 0.35) params.set(urlName(table.fields[key]), fuzzText(table.fields[key], rng));
  if (rng.uniform() < 0.1) params.set(`unknown${rng.int(9)}`, 'x');
  return params;
}

/** A URL for a failure message, without its 10,000-character values. */
const shown = (p: URLSearchParams): string => p.toString().replace(/x{40,}/g, (m) => `x×${m.length}`);

function commonChecks<C>(table: ConfigTable<C>, params: URLSearchParams): C {
  const { config, errors } = parseUrl(table, params);
  for (const e of errors) {
    expect(e.message.length, e.message.slice(0, 200)).toBeLessThan(600);
    expect(e.message).toMatch(/^[\w-]+:|^unknown parameter/);
  }
  // What the page writes back reads back to the same config, with no error.
  const again = parseUrl(table, serializeUrl(table, config));
  expect(again.errors).toEqual([]);
  expect(again.config).toEqual(config);
  return config;
}

describe(`fuzz: ${URLS} bench URLs`, () => {
  it('parse, report and build every run they would start', () => {
    const rng = new Rng(101);
    for (let i = 0; i < URLS; i++) {
      const params = fuzzParams(BENCH_TABLE, rng);
      const c = commonChecks(BENCH_TABLE, params);
      const req = sweepRequestFromConfig(c);
      // The page builds these before the ranks start: none may throw.
      const sizes = sweepSizes(c.minBytes, c.maxBytes, c.stepFactor);
      expect(sizes.length).toBeGreaterThan(0);
      const opts = { root: c.root, ...(req.ranksPerNode ? { ranksPerNode: req.ranksPerNode } : {}) };
      expect(() => buildSchedule(c.collective, c.algo, c.ranks, Math.floor(sizes[0]! / 4), opts), shown(params)).not.toThrow();
      const linkOf = emulatedLinks(c, c.ranks, c.scaled ? 1e8 : null).linkOf;
      const p = predictSweep({ ...req, ...(linkOf ? { linkOf } : {}) }, sizes.slice(0, 2));
      expect(Number.isFinite(p.totalS) && p.totalS >= 0, shown(params)).toBe(true);
    }
  });
});

describe(`fuzz: ${URLS} training URLs`, () => {
  it('parse, report, and either build a request within the limits or refuse it clearly', () => {
    const rng = new Rng(202);
    for (let i = 0; i < URLS; i++) {
      const params = fuzzParams(TRAIN_TABLE, rng);
      const c = commonChecks(TRAIN_TABLE, params);
      const req = scalingRequestFromConfig(c);
      if ('error' in req) {
        expect(req.error.length).toBeGreaterThan(0);
        continue;
      }
      for (const n of req.rankCounts) {
        const batch = globalBatchAt(req, n);
        expect(batch, shown(params)).toBeLessThanOrEqual(65536);
        expect(batch % n, shown(params)).toBe(0);
      }
      expect(req.bucketCapBytes).toBeGreaterThanOrEqual(4);
      expect(() => emulatedLinks(c, Math.max(...c.ranks), 1e8), shown(params)).not.toThrow();
    }
  });
});
