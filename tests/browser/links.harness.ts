/**
 * Link-emulation harness: all-reduce sweeps over emulated links. `linkOf` is a function and
 * cannot cross page.evaluate, so the test sends plain data (a LinkConfig and an optional slow
 * link) and the page builds the links with the same `emulatedLinks` the app uses. One
 * cluster serves every algorithm of a call: starting SwiftShader workers costs seconds.
 */
import { Cluster } from '../../src/cluster/cluster';
import { schedulePairs, sweepSizes } from '../../src/cluster/sweep';
import { emulationFloor } from '../../src/core/floor';
import { emulatedLinks, type LinkConfig, type SlowLink } from '../../src/core/link';
import { summarize } from '../../src/core/metrics';
import { buildSchedule } from '../../src/core/schedule';
import type { Algorithm } from '../../src/core/schedule/types';

export interface LinkSweepCase {
  algorithm: Algorithm;
  minBytes: number;
  maxBytes: number;
  stepFactor: number;
  ranksPerNode?: number;
}

export interface LinkSweepRow {
  algorithm: Algorithm;
  ranksPerNode?: number;
  bytes: number;
  /** nccl-tests' time: mean over timed iterations of the slowest rank's time, s. */
  meanS: number;
  minS: number;
  medianS: number;
  wrong: number;
}

export interface LinkSweepRequest {
  ranks: number;
  link: LinkConfig;
  slowLink?: SlowLink;
  cases: LinkSweepCase[];
  warmupIters: number;
  iters: number;
  /** Channel slot size; the sweep's default is 256 KiB. */
  slotBytes?: number;
}

/**
 * Runs every case's sizes on one cluster whose every channel carries the emulated link, inside
 * a validation error scope on every rank's device (`validation`: what the scopes caught).
 */
export async function runLinkSweep(req: LinkSweepRequest): Promise<{ rows: LinkSweepRow[]; validation: string[]; describe: string }> {
  const models = emulatedLinks(req.link, req.ranks, null, req.slowLink);
  const cluster = await Cluster.create(req.ranks, { timeoutMs: 20_000, ...(req.slotBytes ? { slotBytes: req.slotBytes } : {}) });
  try {
    const plan = req.cases.flatMap((c) => sweepSizes(c.minBytes, c.maxBytes, c.stepFactor).map((bytes) => ({ c, count: Math.floor(bytes / 4) })));
    const opts = (c: LinkSweepCase) => (c.ranksPerNode ? { ranksPerNode: c.ranksPerNode } : {});
    await cluster.ensureChannels(
      plan.flatMap(({ c, count }) => schedulePairs(buildSchedule('all_reduce', c.algorithm, req.ranks, count, opts(c)))),
      models.linkOf,
    );
    const rows: LinkSweepRow[] = [];
    await cluster.onAll('open validation scopes', (p) => p.pushValidationScope());
    for (const { c, count } of plan) {
      const results = await cluster.onAll(`${c.algorithm} ${count * 4} B`, (p) =>
        p.benchSize({ collective: 'all_reduce', algorithm: c.algorithm, count, op: 'sum', root: 0, warmupIters: req.warmupIters, iters: req.iters, check: true, ...opts(c) }),
      );
      // As the sweep: an iteration took as long as its slowest rank.
      const itersS = results[0]!.timesMs.map((_, it) => Math.max(...results.map((r) => r.timesMs[it]!)) / 1e3);
      const s = summarize(itersS);
      rows.push({
        algorithm: c.algorithm,
        ...(c.ranksPerNode ? { ranksPerNode: c.ranksPerNode } : {}),
        bytes: count * 4,
        meanS: s.meanS,
        minS: s.minS,
        medianS: s.medianS,
        wrong: results.reduce((a, r) => a + r.wrong, 0),
      });
    }
    const caught = await cluster.onAll('close validation scopes', (p) => p.popValidationScope());
    return { rows, validation: caught.filter((e): e is string => e !== null), describe: models.describe };
  } finally {
    await cluster.destroy();
  }
}

/**
 * This tab's emulation floor with `ranks` ranks (src/core/floor.ts `emulationFloor`, the figure
 * the page and the CLI warn below): the smallest α an emulated link can show faithfully here.
 */
export async function emulationFloorOf(ranks: number): Promise<{ minAlphaUs: number; maxBandwidthBytesPerS: number }> {
  const cluster = await Cluster.create(ranks, { timeoutMs: 20_000 });
  try {
    // The first readbacks of fresh devices are slow (pipelines, first maps): warm up, as the sweeps do.
    await cluster.onAll('warm up the readback', (p) => p.readbackRoundTrip(10));
    const f = emulationFloor(await cluster.measureFloor());
    return { minAlphaUs: f.minAlphaS * 1e6, maxBandwidthBytesPerS: f.maxBandwidthBytesPerS };
  } finally {
    await cluster.destroy();
  }
}
