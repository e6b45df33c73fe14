/**
 * Chrome Trace Event Format export of a Timeline (opens in Perfetto and chrome://tracing).
 * Complete events (ph 'X') with ts/dur in µs; pid = the clock (1 measured, 2 projected);
 * one thread per rank and row: tid = rank·ROWS + row, named "rank R compute", "rank R
 * all-reduce", …, because compute and communication overlap and one thread's slices must nest.
 */
import { ROW_OF, type Timeline } from './timeline';

export interface ChromeTraceEvent {
  name: string;
  cat?: string;
  ph: 'X' | 'M';
  /** µs. */
  ts?: number;
  /** µs. */
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, string | number>;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ms';
}

const ROW_NAMES = ['compute', 'all-reduce', 'schedule step', 'send', 'recv'];
const ROWS = Math.max(...Object.values(ROW_OF)) + 1;
const PIDS = { measured: 1, projected: 2 } as const;

/** Thread id of a rank's row. */
export function chromeTid(rank: number, row: number): number {
  return rank * ROWS + row;
}

/** Converts one or more timelines (e.g. measured and projected) into one trace. */
export function toChromeTrace(...timelines: Timeline[]): ChromeTrace {
  const traceEvents: ChromeTraceEvent[] = [];
  for (const t of timelines) {
    const pid = PIDS[t.clock];
    traceEvents.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: `${t.clock} clock` } });
    for (const lane of t.lanes) {
      const rows = new Set(lane.spans.map((s) => s.depth));
      for (const row of rows) {
        const tid = chromeTid(lane.rank, row);
        traceEvents.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name: `rank ${lane.rank} ${ROW_NAMES[row] ?? `row ${row}`}` } });
        traceEvents.push({ name: 'thread_sort_index', ph: 'M', pid, tid, args: { sort_index: tid } });
      }
      for (const s of lane.spans) {
        traceEvents.push({ name: s.name, cat: s.cat, ph: 'X', ts: s.startMs * 1e3, dur: Math.max(0, s.endMs - s.startMs) * 1e3, pid, tid: chromeTid(lane.rank, s.depth) });
      }
    }
  }
  return { traceEvents, displayTimeUnit: 'ms' };
}
