/**
 * Spawns and wires the ranks, runs calls on all of them, and owns every worker, proxy and
 * shared buffer until destroy() (STYLE.md 9). A call that fails on one rank aborts the others
 * at once and rejects with that rank's name; a rank that never answers is named after the
 * collective's timeout.
 */
import { wrap, releaseProxy, type Remote } from 'comlink';
import type { Rank, RankInfo } from '../rank/rank';
import { adapterLabel, isSoftwareAdapter, type AdapterDescription } from '../core/adapter';
import { Barrier } from '../transport/barrier';
import type { AlphaBeta, LinkOf } from '../core/link';
import { PortClock, createChannelSpec, type ChannelSpec } from '../transport/channel';
import { AbortFlag, AbortedError } from '../transport/wait';
import { defaultNudgeMs } from '../rank/nudge';
import { MAPPED_UPLOAD_MIN_BYTES, type StageRates, type TransportFloor } from '../core/floor';
import { ANSWER_GRACE_MS, answerLimitMs, watchCall } from './watchdog';

export interface ClusterOptions {
  /** How long any rank may wait for a peer before the run fails, ms. */
  timeoutMs: number;
  /** Channel slot (= pipelining slice) size, bytes. */
  slotBytes?: number;
  /** Slots per directed link. */
  slots?: number;
  /** Readback granularity of the simple protocol, bytes (rounded down to whole slots; tests make it small). */
  stageChunkBytes?: number;
  /** The host protocol's mapped uploads start at this size, bytes (src/core/floor.ts; tests make it small). */
  mappedUploadMinBytes?: number;
  /** Nudge period while a collective's readback or fence is pending, ms (src/rank/nudge.ts; 0: off; default `defaultNudgeMs`). */
  nudgeMs?: number;
}

interface RankHandle {
  worker: Worker;
  proxy: Remote<Rank>;
  /** Rejects when the worker dies (script error); raced against every call. */
  died: Promise<never>;
}

/** An error that names the rank that caused it. */
export class RankError extends Error {
  constructor(
    readonly rank: number,
    message: string,
  ) {
    super(message);
    this.name = 'RankError';
  }
}

/** Where and how a result was obtained; stored with every result. */
export interface BenchEnvironment {
  adapter: AdapterDescription;
  adapterLabel: string;
  isFallbackAdapter: boolean;
  browser: string;
  crossOriginIsolated: boolean;
  timerResolutionUs: number;
  hasTimestamps: boolean;
  date: string;
  /** The transport floor measured for this session (src/core/floor.ts), when it was measured. */
  floor?: TransportFloor;
}

/** Floors measured in this session, by adapter and slot size (Cluster.measureFloor). */
const floorCache = new Map<string, TransportFloor>();
/** Contended readback round trips (ms) measured in this session, by adapter, slot size and rank count. */
const contendedRttCache = new Map<string, number>();
const FLOOR_REPS = 9;

export const DEFAULT_SLOT_BYTES = 256 * 1024;
const DEFAULT_SLOTS = 4;
/** Readback granularity of the simple protocol: large enough that a readback is not latency-bound. */
const DEFAULT_STAGE_CHUNK_BYTES = 4 * 1024 * 1024;
/** How long the other ranks get to stop after one has failed, before the run reports. */
const ABORT_GRACE_MS = 1000;

export class Cluster {
  readonly abort = new AbortFlag();
  private readonly channels = new Map<string, ChannelSpec>();
  /** Port busy-until times of the link emulator, shared by every channel. */
  private readonly ports = PortClock.create();
  private destroyed = false;
  /** How long a rank waits for a peer; raised by ensureChannels to fit the predicted work. */
  private waitTimeoutMs: number;

  private constructor(
    readonly ranks: number,
    readonly infos: RankInfo[],
    private readonly handles: RankHandle[],
    private readonly options: Required<ClusterOptions>,
  ) {
    this.waitTimeoutMs = options.timeoutMs;
  }

  /** Starts `ranks` workers, each with its own GPUDevice. Frees everything if any rank fails. */
  static async create(ranks: number, options: ClusterOptions): Promise<Cluster> {
    const opts: Required<ClusterOptions> = {
      slotBytes: DEFAULT_SLOT_BYTES,
      slots: DEFAULT_SLOTS,
      stageChunkBytes: DEFAULT_STAGE_CHUNK_BYTES,
      mappedUploadMinBytes: MAPPED_UPLOAD_MIN_BYTES,
      nudgeMs: defaultNudgeMs(ranks, navigator.hardwareConcurrency || 1),
      ...options,
    };
    const handles: RankHandle[] = [];
    const abort = new AbortFlag();
    const barrier = Barrier.create();
    try {
      for (let r = 0; r < ranks; r++) {
        const worker = new Worker(new URL('../rank/rank.worker.ts', import.meta.url), { type: 'module', name: `rank${r}` });
        const died = new Promise<never>((_, reject) => {
          worker.addEventListener('error', (e) => reject(new RankError(r, `rank ${r}'s worker failed: ${e.message || 'script error'}`)));
        });
        died.catch(() => undefined);
        handles.push({ worker, proxy: wrap<Rank>(worker), died });
      }
      const infos = await Promise.all(
        handles.map((h, r) =>
          withTimeout(
            Promise.race([
              h.proxy.init({
                rank: r,
                ranks,
                abort: abort.sab,
                barrier,
                slotBytes: opts.slotBytes,
                stageChunkBytes: opts.stageChunkBytes,
                mappedUploadMinBytes: opts.mappedUploadMinBytes,
                nudgeMs: opts.nudgeMs,
                timeoutMs: opts.timeoutMs,
              }),
              h.died,
            ]),
            opts.timeoutMs + ANSWER_GRACE_MS,
            () => new RankError(r, `rank ${r} did not start within ${(opts.timeoutMs + ANSWER_GRACE_MS) / 1000} s`),
          ).catch((e: unknown) => {
            throw e instanceof RankError ? e : new RankError(r, `rank ${r} failed to start: ${errorMessage(e)}`);
          }),
        ),
      );
      const c = new Cluster(ranks, infos, handles, opts);
      (c as { abort: AbortFlag }).abort = abort;
      return c;
    } catch (e) {
      await disposeHandles(handles);
      throw e;
    }
  }

  get timeoutMs(): number {
    return this.waitTimeoutMs;
  }

  /**
   * Makes sure a channel exists for every directed pair, creating the missing ones and telling
   * the ranks. `link` sets the emulated link of each pair (null: raw shared memory).
   */
  async ensureChannels(pairs: Iterable<[number, number]>, link: LinkOf<AlphaBeta | null> = () => null, waitTimeoutMs = this.options.timeoutMs): Promise<void> {
    this.waitTimeoutMs = Math.max(this.options.timeoutMs, Math.ceil(waitTimeoutMs));
    const fresh: ChannelSpec[] = [];
    const models: { from: number; to: number; link: AlphaBeta | null }[] = [];
    for (const [from, to] of pairs) {
      const key = `${from}>${to}`;
      if (!this.channels.has(key)) {
        const spec = createChannelSpec(from, to, this.options.slots, this.options.slotBytes, null, this.ports);
        this.channels.set(key, spec);
        fresh.push(spec);
      }
      models.push({ from, to, link: link(from, to) });
    }
    await this.onAll('set up links', (p) => p.setChannels(fresh, this.waitTimeoutMs));
    await this.onAll('set link models', (p) => p.setLinks(models));
  }

  /**
   * Runs `fn` on every rank. The first rank to fail aborts the others and its error (naming
   * it) is what rejects. `expectedMs` is the work the call is predicted to take (emulated link
   * time, calibrated compute): the main thread checks on the ranks only after
   * answerLimitMs(wait timeout, expectedMs), and then names a rank as not answering only if it
   * does not answer a liveness ping (watchdog.ts); ranks that answer are left to finish.
   */
  async onAll<T>(what: string, fn: (proxy: Remote<Rank>, rank: number) => Promise<T>, expectedMs = 0): Promise<T[]> {
    if (this.destroyed) throw new Error('cluster already destroyed');
    this.abort.reset();
    const limitMs = answerLimitMs(this.waitTimeoutMs, expectedMs);
    let firstError: RankError | undefined;
    let failFast: () => void = () => undefined;
    // Once one rank has failed, the others get a short grace to stop; a rank stuck for good
    // must not hold the report back until its own timeout.
    const afterFirstError = new Promise<'grace'>((resolve) => {
      failFast = () => setTimeout(() => resolve('grace'), ABORT_GRACE_MS);
    });
    const fail = (err: RankError): void => {
      if (!firstError) {
        firstError = err;
        failFast();
      }
      this.abort.abort();
    };
    const done = this.handles.map(() => false);
    const all = Promise.allSettled(
      this.handles.map((h, r) =>
        Promise.race([fn(h.proxy, r), h.died]).then(
          (v) => {
            done[r] = true;
            return v;
          },
          (e: unknown) => {
            done[r] = true;
            const err = e instanceof RankError ? e : new RankError(r, rankMessage(r, e));
            // Aborts caused by another rank's failure are consequences, not causes.
            if (!isAbort(e)) fail(err);
            else this.abort.abort();
            throw err;
          },
        ),
      ),
    );
    const stopWatch = watchCall({
      limitMs,
      pending: () => done.flatMap((d, r) => (d ? [] : [r])),
      ping: (r) => Promise.race([this.handles[r]!.proxy.ping(), this.handles[r]!.died]),
      onDead: (r, waitedMs) => fail(new RankError(r, `rank ${r} did not answer (${what}): no reply to a liveness check after ${formatWait(waitedMs)}`)),
      onOverdue: (ranks, waitedMs) =>
        fail(
          new RankError(
            ranks[0]!,
            `${what} not finished after ${formatWait(waitedMs)} (predicted ${formatWait(expectedMs)}); rank${ranks.length > 1 ? 's' : ''} ${ranks.join(', ')} still answer but did not finish`,
          ),
        ),
    });
    try {
      const settled = await Promise.race([all, afterFirstError]);
      if (settled === 'grace') throw firstError ?? new AbortedError();
      const failed = settled.find((s) => s.status === 'rejected');
      if (failed) {
        if (firstError) throw firstError;
        throw new AbortedError();
      }
      return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
    } finally {
      stopWatch();
    }
  }

  /** Where this cluster runs: recorded with every result. */
  environment(): BenchEnvironment {
    const info = this.infos[0]!;
    const label = adapterLabel(info.adapter);
    return {
      adapter: info.adapter,
      adapterLabel: label,
      isFallbackAdapter: isSoftwareAdapter(info.adapter),
      browser: info.userAgent,
      crossOriginIsolated: this.infos.every((i) => i.crossOriginIsolated),
      timerResolutionUs: Math.max(...this.infos.map((i) => i.timerResolutionMs)) * 1e3,
      hasTimestamps: info.hasTimestamps,
      date: new Date().toISOString(),
    };
  }

  /**
   * The transport floor at this cluster's slot size and rank count. The single-rank figures (round
   * trip, stage and reduce rates, hop) are measured once per session (page), adapter and slot size,
   * and again when a hop is wanted that the cached one lacks; with two or more ranks the readback
   * round trip with every rank reading back at once (the slowest rank's mean) is measured once per
   * rank count, which the emulation floor uses: a collective's first step waits for that one.
   */
  async measureFloor(): Promise<TransportFloor> {
    const key = `${this.environment().adapterLabel}|${this.options.slotBytes}`;
    let quiet = floorCache.get(key);
    if (!quiet || (quiet.atomicsHopUs === null && this.ranks >= 2)) {
      const hop = this.ranks >= 2 ? new SharedArrayBuffer(8) : null;
      const got = await this.onAll('measure the transport floor', (p) =>
        p.floor({ slotBytes: this.options.slotBytes, reps: FLOOR_REPS, hop, hopRounds: 200, timeoutMs: this.options.timeoutMs }),
      );
      quiet = got[0] ?? undefined;
      if (!quiet) throw new Error('rank 0 returned no transport floor');
      floorCache.set(key, quiet);
    }
    let floor: TransportFloor = quiet;
    if (this.ranks >= 2) {
      const contendedKey = `${key}|${this.ranks}`;
      let readbackRttMs = contendedRttCache.get(contendedKey);
      if (readbackRttMs === undefined) {
        const each = await this.onAll('measure the readback round trip on every rank at once', (p) => p.readbackRoundTrip(FLOOR_REPS * 2));
        readbackRttMs = Math.max(...each);
        contendedRttCache.set(contendedKey, readbackRttMs);
      }
      floor = { ...quiet, contended: { ranks: this.ranks, readbackRttMs } };
    }
    await this.shareFloor(floor);
    return floor;
  }

  /**
   * Every rank's stage rates at `bytes`, measured on all ranks at once: what each rank's host
   * staging gets while the others stage too (one GPU process and the CPU cores shared). The
   * floor's ceiling is one rank's stages alone; `npm run perf` shows busbw against both.
   */
  async contendedStageRates(bytes: number, reps: number): Promise<StageRates[]> {
    const limit = Math.min(...this.infos.map((i) => i.adapter.maxBufferSize));
    if (bytes > limit) throw new Error(`contended stage rates: ${bytes} B is above this adapter's maxBufferSize of ${limit} B`);
    return this.onAll(`measure the stage rates at ${bytes} B on every rank at once`, (p) => p.stageRates(bytes, reps));
  }

  /** Hands the floor to every rank: their `auto` protocol decides from it (src/core/protocol-choice.ts). */
  private async shareFloor(floor: TransportFloor): Promise<void> {
    await this.onAll('share the transport floor', (p) => p.setFloor(floor));
  }

  /** Cancel: every rank stops at its next wait. */
  cancel(): void {
    this.abort.abort();
  }

  /** Releases every proxy, frees every device, terminates every worker. Idempotent. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.abort.abort();
    await disposeHandles(this.handles);
    this.channels.clear();
  }
}

async function disposeHandles(handles: RankHandle[]): Promise<void> {
  // Give each rank a short chance to free its GPU objects, then end the worker regardless.
  await Promise.all(handles.map((h) => withTimeout(h.proxy.dispose(), 1000, () => new Error('dispose timeout')).catch(() => undefined)));
  for (const h of handles) {
    h.proxy[releaseProxy]();
    h.worker.terminate();
  }
  handles.length = 0;
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** A failed run's message and, when an error names one, the rank to blame. */
export function failure(e: unknown): { error: string; failedRank?: number } {
  const rank = (e as { rank?: unknown }).rank;
  return { error: errorMessage(e), ...(typeof rank === 'number' ? { failedRank: rank } : {}) };
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortedError' || /run cancelled/.test(e.message));
}

function rankMessage(r: number, e: unknown): string {
  const m = errorMessage(e);
  return /\brank \d+/.test(m) ? m : `rank ${r}: ${m}`;
}

function formatWait(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toPrecision(3)} s` : `${Math.round(ms)} ms`;
}
