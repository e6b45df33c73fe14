/**
 * Runs many collectives on one cluster of real WebGPU ranks and reports, per case, the number
 * of wrong elements (each rank checks against the CPU reference in core/bench-data).
 */
import { Cluster, errorMessage } from '../../src/cluster/cluster';
import { schedulePairs, SweepRun, type SweepRequest, type SweepResult } from '../../src/cluster/sweep';
import { buildSchedule } from '../../src/core/schedule';
import type { Algorithm, Collective } from '../../src/core/schedule/types';
import type { ReduceOp } from '../../src/core/schedule/types';

export interface CollectiveCase {
  collective: Collective;
  algorithm: Algorithm;
  count: number;
  op: ReduceOp;
  root?: number;
  ranksPerNode?: number;
  proto?: 'simple' | 'host';
}

export interface CaseResult extends CollectiveCase {
  wrong: number;
  error?: string;
}

/**
 * Runs every case on one cluster, inside a validation error scope on every rank's device:
 * `validation` lists what the scopes caught (empty when every GPU call was valid).
 */
export async function runCollectiveCases(ranks: number, cases: CollectiveCase[]): Promise<{ results: CaseResult[]; validation: string[]; adapter: string }> {
  // 4 KiB slots, 8 KiB staging chunks and the host protocol's mapped uploads from 8 KiB: small
  // messages already take every path (many slices, many chunks, more chunks than the staging
  // window; host uploads by writeBuffer up to 2 slots and through mapped staging above).
  const cluster = await Cluster.create(ranks, { timeoutMs: 20_000, slotBytes: 4096, stageChunkBytes: 8192, mappedUploadMinBytes: 8192 });
  try {
    const opts = (c: CollectiveCase) => ({ root: c.root ?? 0, ...(c.ranksPerNode ? { ranksPerNode: c.ranksPerNode } : {}) });
    await cluster.ensureChannels(cases.flatMap((c) => schedulePairs(buildSchedule(c.collective, c.algorithm, ranks, c.count, opts(c)))));
    const results: CaseResult[] = [];
    await cluster.onAll('open validation scopes', (p) => p.pushValidationScope());
    for (const c of cases) {
      try {
        const r = await cluster.onAll('case', (p) => p.benchSize({ ...c, root: c.root ?? 0, warmupIters: 0, iters: 2, check: true }));
        results.push({ ...c, wrong: r.reduce((a, x) => a + x.wrong, 0) });
      } catch (e) {
        results.push({ ...c, wrong: -1, error: errorMessage(e) });
        break; // the cluster is in an unknown state after a failure
      }
    }
    const caught = await cluster.onAll('close validation scopes', (p) => p.popValidationScope());
    const validation = caught.filter((e): e is string => e !== null);
    return { results, validation, adapter: `${cluster.infos[0]!.adapter.vendor} ${cluster.infos[0]!.adapter.architecture}` };
  } finally {
    await cluster.destroy();
  }
}

/** One sweep through the same code path as the page and the CLI. */
export async function runSweep(req: Omit<SweepRequest, 'linkOf'>, cancelAfterRows?: number): Promise<SweepResult & { rowsSeen: number }> {
  let rowsSeen = 0;
  const run: SweepRun = new SweepRun(req, {
    onRow: () => {
      rowsSeen++;
      if (cancelAfterRows !== undefined && rowsSeen >= cancelAfterRows) run.cancel();
    },
  });
  return { ...(await run.result), rowsSeen };
}
