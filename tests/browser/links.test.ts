/**
 * The link emulator agrees with the α-β model (DESIGN.md §4, §5): over an emulated slow link,
 * every all-reduce algorithm's measured time is the `scheduleCost` prediction of the same
 * schedule within 20% on every size, and the algorithm crossovers the model predicts happen
 * for real (recursive doubling beats ring on a tiny message, ring beats star on a large one).
 *
 * The link must stay above this tab's emulation floor (see TARGET_ALPHA_US): every step also pays host
 * work the model leaves out, absorbed into α only while the link is slower than that work. The
 * printed table shows the residual per step.
 *
 * Two emulator properties are tested where they matter: messages serialise on each rank's
 * ports (star), and a message cut into several slices still pays α once and n·β in full
 * (src/transport/channel.ts books α + bytes·β of link and ports per message).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHarness, type HarnessPage } from '../support/browser';
import { announce, type Attempt, remeasureOnce } from '../support/timing';
import type { LinkSweepCase, LinkSweepRequest, LinkSweepRow } from './links.harness';
import { defaults } from '../../src/core/config/fields';
import { scheduleCost } from '../../src/core/cost';
import { alphaBetaGammaOf, LINK_FIELDS, toAlphaBetaGamma, type LinkConfig, type LinkTopology } from '../../src/core/link';
import { buildSchedule } from '../../src/core/schedule';
import type { Algorithm } from '../../src/core/schedule/types';

let h: HarnessPage;
beforeAll(async () => {
  h = await openHarness();
  if (!h.webgpu.ok) return;
  const floor = await h.call<{ minAlphaUs: number }>('emulationFloorOf', 4);
  const needed = Math.ceil((floor.minAlphaUs * FLOOR_MARGIN) / 100) * 100;
  if (needed > TARGET_ALPHA_US) {
    alphaUs = needed;
    announce(
      `!!! LINKS ABOVE THE FLOOR: α ${alphaUs} µs instead of ${TARGET_ALPHA_US} µs: this machine's 4-rank emulation floor measured α ≥ ${floor.minAlphaUs.toFixed(0)} µs (× ${FLOOR_MARGIN})`,
    );
  } else console.log(`links: α ${alphaUs} µs; 4-rank emulation floor α ≥ ${floor.minAlphaUs.toFixed(0)} µs`);
});
afterAll(async () => h?.close());

/**
 * 2 ms and 50 MB/s, the target (issue 8). Every step also pays host work the model
 * leaves out (readback, writeBuffer, the reduce, worker wake-ups: 0.5–3 ms each on SwiftShader
 * with 4–8 workers on two cores); the executor absorbs it into the link's α + n·β by stamping
 * every send from when its data was logically ready and doing the receiver's host work while the
 * link still "carries" the data (src/rank/step-ops.ts). What is left is the last wake-up and
 * fence, 0.02–0.5 ms per step here (the printed excess), well inside the 20 % the model is held
 * to; a transport that added its staging to α instead would miss it at 2 ms (it measured
 * +57 % to +230 % at 1 ms before). n* = α/β = 100 kB lies inside the sweep, so both the α and
 * the β term are tested.
 *
 * The product promises fidelity only above this tab's emulation floor (the page and the CLI
 * warn below it), and a 4-rank floor here ranges 1.8–3.9 ms from run to run (the readback round
 * trip with all ranks at once). So the link is TARGET_ALPHA_US, or FLOOR_MARGIN × the floor
 * measured before the cases where that is larger, said loudly in the output and the run's
 * summary: asserting fidelity below the floor would test the machine's load, not the emulator.
 */
const TARGET_ALPHA_US = 2_000;
const FLOOR_MARGIN = 1.5;
const BANDWIDTH_BYTES_PER_S = 50e6;
let alphaUs = TARGET_ALPHA_US;
/** Unscaled custom link: the same α and bandwidth on every pair (nodes only matter to hierarchical's schedule). */
const link = (): LinkConfig => ({ ...defaults(LINK_FIELDS), link: 'custom', alphaUs, bandwidth: BANDWIDTH_BYTES_PER_S, scaled: false });
const flat = (): LinkTopology => ({
  ranksPerNode: 1,
  intra: { alphaS: alphaUs / 1e6, bandwidthBytesPerS: BANDWIDTH_BYTES_PER_S },
  inter: { alphaS: alphaUs / 1e6, bandwidthBytesPerS: BANDWIDTH_BYTES_PER_S },
});
const TOLERANCE = 0.2;
/**
 * The bound is on the median of 15 timed iterations after two warm-ups (pipelines and staging
 * buffers are made then): the median drops load spikes from whatever else runs on the two
 * cores. The table prints the mean beside it. With 5 iterations one clean-clone CI run failed
 * both measurements (3 of 5 iterations of a case stalled by 2-7 ms, each time in another case),
 * with the transport code unchanged; 15 cost about 2 s more.
 */
const TIMED_ITERS = 15;
const WARMUP_ITERS = 2;

interface Compared extends LinkSweepRow {
  predictedS: number;
  ratio: number;
  /** Steps of the schedule (the ones some rank works in), to show the excess per step. */
  steps: number;
}

/** α-β prediction of the schedule the ranks ran (γ = 0: the link, not the kernel, is modelled). */
function predict(ranks: number, row: LinkSweepRow): { timeS: number; steps: number } {
  const s = buildSchedule('all_reduce', row.algorithm, ranks, row.bytes / 4, row.ranksPerNode ? { ranksPerNode: row.ranksPerNode } : {});
  return { timeS: scheduleCost(s, toAlphaBetaGamma(flat().inter), 4, alphaBetaGammaOf(flat())).timeS, steps: s.steps.length };
}

function compare(ranks: number, rows: LinkSweepRow[]): Compared[] {
  return rows.map((r) => {
    const p = predict(ranks, r);
    return { ...r, predictedS: p.timeS, steps: p.steps, ratio: r.medianS / p.timeS };
  });
}

function table(ranks: number, rows: Compared[]): string {
  const head =
    `${ranks} ranks, α ${alphaUs} µs, ${BANDWIDTH_BYTES_PER_S / 1e6} MB/s\n` +
    'algorithm          bytes       mean(ms)  median(ms)  predicted(ms)    median/predicted  excess(ms)  steps  excess/step(ms)';
  const lines = rows.map((r) => {
    const name = r.algorithm + (r.ranksPerNode ? ` ${ranks / r.ranksPerNode}×${r.ranksPerNode}` : '');
    return (
      `${name.padEnd(18)} ${String(r.bytes).padStart(7)} ${(r.meanS * 1e3).toFixed(2).padStart(13)} ${(r.medianS * 1e3).toFixed(2).padStart(11)}` +
      ` ${(r.predictedS * 1e3).toFixed(2).padStart(14)} ${r.ratio.toFixed(3).padStart(19)} ${((r.medianS - r.predictedS) * 1e3).toFixed(2).padStart(11)}` +
      ` ${String(r.steps).padStart(6)} ${(((r.medianS - r.predictedS) * 1e3) / r.steps).toFixed(2).padStart(16)}`
    );
  });
  return [head, ...lines].join('\n');
}

async function sweep(ranks: number, cases: LinkSweepCase[], iters: number, warmupIters = 1, slotBytes?: number): Promise<Compared[]> {
  const req: LinkSweepRequest = { ranks, link: link(), cases, warmupIters, iters, ...(slotBytes ? { slotBytes } : {}) };
  const { rows, validation, describe: d } = await h.call<{ rows: LinkSweepRow[]; validation: string[]; describe: string }>('runLinkSweep', req);
  expect(validation, 'WebGPU validation errors').toEqual([]);
  const compared = compare(ranks, rows);
  console.log(`links: ${d}\n${table(ranks, compared)}`);
  return compared;
}

const ALL_BUT_STAR: Algorithm[] = ['ring', 'tree', 'recursive-doubling', 'rabenseifner'];
const sizes = (algorithm: Algorithm, extra: Partial<LinkSweepCase> = {}): LinkSweepCase => ({ algorithm, minBytes: 4096, maxBytes: 262144, stepFactor: 64, ...extra });
const off = (rows: Compared[]): string[] => rows.filter((r) => Math.abs(r.ratio - 1) > TOLERANCE).map((r) => `${r.algorithm} ${r.bytes} B: ×${r.ratio.toFixed(3)}`);
/** A 4-rank fidelity measurement: a fresh sweep of `cases`, every result checked against the CPU reference. */
const fidelity = (cases: LinkSweepCase[], slotBytes?: number) => async (): Promise<Compared[]> => {
  const rows = await sweep(4, cases, TIMED_ITERS, WARMUP_ITERS, slotBytes);
  expect(
    rows.every((r) => r.wrong === 0),
    'every result checked against the CPU reference',
  ).toBe(true);
  return rows;
};
/** The fidelity judgement: every row's median within ±20 % of scheduleCost. */
const within = (rows: Compared[]): string | null => {
  const o = off(rows);
  return o.length === 0 ? null : `median/predicted outside 1 ± ${TOLERANCE}: ${o.join(', ')}`;
};

// Timing on two shared cores: in one clean-clone run every case of this file came out 20–100 % slow
// at once (the first browser file of that run, just after the build; cause not found), where other
// runs stay within 1–13 %. Each timing judgement may be measured once more, loudly
// (tests/support/timing.ts); #wrong and the model's own ordering are checked on every measurement.
describe('emulated links follow the α-β model', () => {
  it('4 ranks: ring, tree, recursive doubling, rabenseifner, hierarchical 2×2 within 20% of scheduleCost at 4 KiB and 256 KiB', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    await remeasureOnce(`links: ${ctx.task.name}`, fidelity([...ALL_BUT_STAR.map((a) => sizes(a)), sizes('hierarchical', { ranksPerNode: 2 })]), within);
  });

  // The model serialises a rank's messages on its port (DESIGN.md §6, star: "links to rank 0
  // serialised"); the emulator's PortClock does the same (transport/channel.ts).
  it("4 ranks: star within 20% of scheduleCost (rank 0's messages serialise on its ports)", async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    await remeasureOnce(`links: ${ctx.task.name}`, fidelity([sizes('star')]), within);
  });

  // A message longer than one channel slot travels as several slices; the first books α + slot·β
  // of the link, each later one slot·β after it, so the last byte lands at α + n·β as modelled.
  // Recursive doubling sends whole 256 KiB messages: 4 slices of 64 KiB.
  it('4 ranks: 256 KiB in 64 KiB slices within 20% (α once per message, n·β in full)', async (ctx) => {
    if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
    await remeasureOnce(`links: ${ctx.task.name}`, fidelity([{ algorithm: 'recursive-doubling', minBytes: 262144, maxBytes: 262144, stepFactor: 2 }], 65536), within);
  });

  describe("8 ranks: the model's crossovers happen for real", () => {
    const one = (algorithm: Algorithm, bytes: number): LinkSweepCase => ({ algorithm, minBytes: bytes, maxBytes: bytes, stepFactor: 2 });
    const fresh = (): Promise<Compared[]> => sweep(8, [one('ring', 1 << 20), one('star', 1 << 20), one('ring', 64), one('recursive-doubling', 64)], 3, 1);
    // Both tests judge one shared sweep first; a re-measure runs its own.
    let shared: Promise<Compared[]> | undefined;
    const run = (attempt: Attempt): Promise<Compared[]> => {
      if (attempt === 1) return fresh();
      shared ??= fresh();
      return shared;
    };
    const t = (all: Compared[], a: Algorithm, b: number): Compared => all.find((r) => r.algorithm === a && r.bytes === b)!;
    /** Null when `fast` took less mean time than `slow`, else both times. */
    const beats = (all: Compared[], fast: Algorithm, slow: Algorithm, bytes: number): string | null => {
      const [f, s] = [t(all, fast, bytes).meanS, t(all, slow, bytes).meanS];
      return f < s ? null : `${fast} ${bytes} B mean ${(f * 1e3).toFixed(2)} ms is not below ${slow} ${(s * 1e3).toFixed(2)} ms`;
    };

    it('recursive doubling beats ring at 64 B (lg p latencies against 2(p−1))', async (ctx) => {
      if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
      const measure = async (attempt: Attempt): Promise<Compared[]> => {
        const all = await run(attempt);
        expect(all.every((r) => r.wrong === 0)).toBe(true);
        expect(t(all, 'recursive-doubling', 64).predictedS).toBeLessThan(t(all, 'ring', 64).predictedS);
        return all;
      };
      await remeasureOnce(`links: ${ctx.task.name}`, measure, (all) => beats(all, 'recursive-doubling', 'ring', 64));
    });

    it("ring beats star at 1 MiB (star's 7 messages queue at rank 0's ports)", async (ctx) => {
      if (!h.webgpu.ok) ctx.skip(`WebGPU unavailable: ${h.webgpu.reason}`);
      const measure = async (attempt: Attempt): Promise<Compared[]> => {
        const all = await run(attempt);
        expect(all.every((r) => r.wrong === 0)).toBe(true);
        expect(t(all, 'ring', 1 << 20).predictedS).toBeLessThan(t(all, 'star', 1 << 20).predictedS);
        return all;
      };
      await remeasureOnce(`links: ${ctx.task.name}`, measure, (all) => beats(all, 'ring', 'star', 1 << 20));
    });
  });
});
