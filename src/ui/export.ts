/** Results export: the same JSON shape as the CLI's -J, and CSV for spreadsheets. */
import type { BenchRow } from '../core/nccl-format';
import type { BenchEnvironment, SweepResult } from '../cluster/sweep';

export interface RunRecord {
  label: string;
  config: Record<string, unknown>;
  environment?: BenchEnvironment;
  result: SweepResult;
}

/** One row in the snake_case names of the CLI's JSON (and nccl-tests' -J spirit). */
export function rowJson(r: BenchRow): Record<string, number | string | null> {
  return {
    bytes: r.bytes,
    count: r.count,
    type: r.type,
    redop: r.redop,
    root: r.root,
    time_us: r.timeUs,
    algbw_gbps: r.algbwGBps,
    busbw_gbps: r.busbwGBps,
    wrong: r.wrong,
    min_us: r.minUs,
    median_us: r.medianUs,
    p99_us: r.p99Us,
  };
}

export function runsToJson(runs: RunRecord[]): string {
  return JSON.stringify(
    {
      tool: 'ringlab',
      runs: runs.map((r) => ({
        label: r.label,
        config: r.config,
        environment: r.environment ?? null,
        status: r.result.status,
        error: r.result.error ?? null,
        avg_busbw_gbps: r.result.avgBusbwGBps,
        rows: r.result.rows.map(rowJson),
      })),
    },
    null,
    2,
  );
}

export function runsToCsv(runs: RunRecord[]): string {
  const cols = ['run', 'algorithm', 'collective', 'ranks', 'adapter', 'bytes', 'count', 'type', 'redop', 'root', 'time_us', 'algbw_gbps', 'busbw_gbps', 'wrong', 'min_us', 'median_us', 'p99_us'];
  const q = (v: unknown): string => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [cols.join(',')];
  runs.forEach((run, i) => {
    for (const row of run.result.rows) {
      const j = rowJson(row);
      lines.push(
        [i + 1, run.config.algo, run.config.collective, run.config.ranks, run.environment?.adapterLabel, ...cols.slice(5).map((c) => j[c])].map(q).join(','),
      );
    }
  });
  return lines.join('\n') + '\n';
}
