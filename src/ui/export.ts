/** Results export: the same JSON shape as the CLI's -J, and CSV for spreadsheets. */
import { rowToJson } from '../core/nccl-format';
import type { BenchEnvironment, SweepResult } from '../cluster/sweep';

export interface RunRecord {
  label: string;
  config: Record<string, unknown>;
  environment?: BenchEnvironment;
  result: SweepResult;
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
        rows: r.result.rows.map(rowToJson),
      })),
    },
    null,
    2,
  );
}

export function runsToCsv(runs: RunRecord[]): string {
  const cols = [
    'run',
    'algorithm',
    'collective',
    'ranks',
    'adapter',
    'bytes',
    'count',
    'type',
    'redop',
    'root',
    'time_us',
    'algbw_gbps',
    'busbw_gbps',
    'wrong',
    'min_us',
    'median_us',
    'p99_us',
  ];
  const q = (v: unknown): string => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [cols.join(',')];
  runs.forEach((run, i) => {
    for (const row of run.result.rows) {
      const j = rowToJson(row) as unknown as Record<string, unknown>;
      lines.push([i + 1, run.config.algo, run.config.collective, run.config.ranks, run.environment?.adapterLabel, ...cols.slice(5).map((c) => j[c])].map(q).join(','));
    }
  });
  return `${lines.join('\n')}\n`;
}
