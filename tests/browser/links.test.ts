/**
 * The link emulator agrees with the α-β model (DESIGN.md §4, §5): over an emulated slow link,
 * every all-reduce algorithm's measured time is the `scheduleCost` prediction of the same
 * schedule within 20% on every size, and the algorithm crossovers the model predicts happen
 * for real (ring beats star on a large message, recursive doubling beats ring on a tiny one).
 *
 * The link is slow on purpose (2 ms, 50 MB/s): every step also pays a fixed host overhead
 * (staging copy, mapAsync, writeBuffer and the reduce kernel on SwiftShader, about a
 * millisecond on two busy cores) that the model leaves out, and the link must dominate it.
 * The printed table shows the residual.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessPage } from '../support/browser';
import type { LinkSweepCase, LinkSweepRequest, LinkSweepRow } from './links.harness';
import { defaults } from '../../src/core/config/fields';
import { LINK_FIELDS, type LinkConfig } from '../../src/core/config/link-fields';
import { scheduleCost } from '../../src/core/cost';
import { costLink, costLinkOf, type LinkTopology } from '../../src/core/link-map';
import { buildSchedule } from '../../src/core/schedule';
import type { Algorithm } from '../../src/core/schedule/types';

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h?.close());

const ALPHA_US = 2000;
const BANDWIDTH_BYTES_PER_S = 50e6;
/** Unscaled custom link: the same α and bandwidth on every pair (nodes only matter to hierarchical's schedule). */
const LINK: LinkConfig = { ...defaults(LINK_FIELDS), link: 'custom', alphaUs: ALPHA_US, bandwidth: BANDWIDTH_BYTES_PER_S, scaled: false };
const FLAT: LinkTopology = {
  ranksPerNode: 1,
  intra: { alphaS: ALPHA_US / 1e6, bandwidthBytesPerS: BANDWIDTH_BYTES_PER_S },
  inter: { alphaS: ALPHA_US / 1e6, bandwidthBytesPerS: BANDWIDTH_BYTES_PER_S },
};
const TOLERANCE = 0.2;

interface Compared extends LinkSweepRow {
  predictedS: number;
  ratio: number;
}

/** α-β prediction of the schedule the ranks ran (γ = 0: the link, not the kernel, is modelled). */
function predict(ranks: number, row: LinkSweepRow): number {
  const s = buildSchedule('all_reduce', row.algorithm, ranks, row.bytes / 4, row.ranksPerNode ? { ranksPerNode: row.ranksPerNode } : {});
  return scheduleCost(s, costLink(FLAT.inter), 4, costLinkOf(FLAT)).timeS;
}

function compare(ranks: number, rows: LinkSweepRow[]): Compared[] {
  return rows.map((r) => {
    const predictedS = predict(ranks, r);
    return { ...r, predictedS, ratio: r.meanS / predictedS };
  });
}

function table(ranks: number, rows: Compared[]): string {
  const head = `${ranks} ranks, α ${ALPHA_US} µs, ${BANDWIDTH_BYTES_PER_S / 1e6} MB/s\n` +
    'algorithm          bytes   measured(ms)  median(ms)  predicted(ms)  measured/predicted  excess(ms)';
  const lines = rows.map((r) => {
    const name = r.algorithm + (r.ranksPerNode ? ` ${ranks / r.ranksPerNode}×${r.ranksPerNode}` : '');
    return `${name.padEnd(18)} ${String(r.bytes).padStart(7)} ${(r.meanS * 1e3).toFixed(2).padStart(13)} ${(r.medianS * 1e3).toFixed(2).padStart(11)}` +
      ` ${(r.predictedS * 1e3).toFixed(2).padStart(14)} ${r.ratio.toFixed(3).padStart(19)} ${((r.meanS - r.predictedS) * 1e3).toFixed(2).padStart(11)}`;
  });
  return [head, ...lines].join('\n');
}

async function sweep(ranks: number, cases: LinkSweepCase[], iters: number): Promise<Compared[]> {
  const req: LinkSweepRequest = { ranks, link: LINK, cases, warmupIters: 1, iters };
  const { rows, describe: d } = await h.call<{ rows: LinkSweepRow[]; describe: string }>('runLinkSweep', req);
  const compared = compare(ranks, rows);
  console.log(`links: ${d}\n${table(ranks, compared)}`);
  return compared;
}

describe('emulated links follow the α-β model', () => {
  it('4 ranks: every all-reduce algorithm within 20% of scheduleCost, 4 KiB..256 KiB', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    const algorithms: Algorithm[] = ['ring', 'tree', 'recursive-doubling', 'rabenseifner', 'star'];
    const cases: LinkSweepCase[] = [
      ...algorithms.map((algorithm) => ({ algorithm, minBytes: 4096, maxBytes: 262144, stepFactor: 8 })),
      { algorithm: 'hierarchical', ranksPerNode: 2, minBytes: 4096, maxBytes: 262144, stepFactor: 8 },
    ];
    const rows = await sweep(4, cases, 3);
    expect(rows.every((r) => r.wrong === 0), 'every result checked against the CPU reference').toBe(true);
    const off = rows.filter((r) => Math.abs(r.ratio - 1) > TOLERANCE);
    expect(off.map((r) => `${r.algorithm} ${r.bytes} B: ×${r.ratio.toFixed(3)}`)).toEqual([]);
  });

  it('8 ranks: ring beats star at 1 MiB, recursive doubling beats ring at 64 B', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    const one = (algorithm: Algorithm, bytes: number): LinkSweepCase => ({ algorithm, minBytes: bytes, maxBytes: bytes, stepFactor: 2 });
    const rows = await sweep(8, [one('ring', 1 << 20), one('star', 1 << 20), one('ring', 64), one('recursive-doubling', 64)], 2);
    const t = (a: Algorithm, b: number): Compared => rows.find((r) => r.algorithm === a && r.bytes === b)!;
    expect(rows.every((r) => r.wrong === 0)).toBe(true);
    // The model says so first; then the emulation must agree.
    expect(t('ring', 1 << 20).predictedS).toBeLessThan(t('star', 1 << 20).predictedS);
    expect(t('recursive-doubling', 64).predictedS).toBeLessThan(t('ring', 64).predictedS);
    expect(t('ring', 1 << 20).meanS).toBeLessThan(t('star', 1 << 20).meanS);
    expect(t('recursive-doubling', 64).meanS).toBeLessThan(t('ring', 64).meanS);
  });
});
