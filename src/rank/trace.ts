/** Trace events every rank records on the common clock (DESIGN.md §4), kept for timelines. */
import { nowMs } from '../transport/clock';

export interface TraceEvent {
  rank: number;
  /** 'collective' | 'step' | 'send' | 'recv' | 'forward' | 'backward' | 'optimizer' | ... */
  cat: string;
  name: string;
  startMs: number;
  endMs: number;
  args?: Record<string, number | string>;
}

export class TraceRecorder {
  private events: TraceEvent[] = [];
  enabled = true;
  constructor(readonly rank: number) {}

  /** Runs `fn` and records it as one event. */
  async span<T>(cat: string, name: string, fn: () => Promise<T>, args?: TraceEvent['args']): Promise<T> {
    const startMs = nowMs();
    try {
      return await fn();
    } finally {
      if (this.enabled) this.events.push({ rank: this.rank, cat, name, startMs, endMs: nowMs(), ...(args ? { args } : {}) });
    }
  }

  /** Returns and forgets what was recorded. */
  take(): TraceEvent[] {
    const e = this.events;
    this.events = [];
    return e;
  }
}
