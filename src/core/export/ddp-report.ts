/**
 * Reading the JSON report of python/ringlab_ddp.py back (the training tab overlays it): every
 * key checked, and a message naming the key and what was expected when it is not a report.
 */
import { summarize } from '../metrics';

/** What the training tab draws from a DDP report. */
export interface DdpReport {
  backend: string;
  worldSize: number;
  /** Host of rank 0 (and all hosts, when several). */
  host: string;
  hosts: string[];
  /** Global-batch loss per step. */
  losses: number[];
  /** Per-step accuracy, when the report has it. */
  accuracies: number[] | null;
  /** Slowest rank's step time per step, s. */
  stepTimesS: number[];
  paramHashes: string[];
  globalBatch: number | null;
  /** Device name (GPU model or "cpu"), when given. */
  device: string | null;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? `an array of ${v.length}` : typeof v === 'string' ? `"${v.slice(0, 40)}"` : typeof v);

function numbers(doc: Obj, key: string, positive: boolean): number[] | string {
  const v = doc[key];
  if (!Array.isArray(v) || v.length === 0) return `'${key}' must be a non-empty array of numbers, got ${kind(v)}`;
  const bad = v.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x) || (positive && x <= 0));
  if (bad >= 0) return `'${key}'[${bad}] must be a ${positive ? 'positive ' : ''}finite number, got ${kind(v[bad])}`;
  return v as number[];
}

/** Parses a report (text or parsed JSON); `{ error }` names what is wrong. */
export function parseDdpReport(input: string | unknown): DdpReport | { error: string } {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      return { error: `not a DDP report: the file is not JSON (${e instanceof Error ? e.message : String(e)})` };
    }
  }
  if (!isObj(doc)) return { error: `not a DDP report: expected a JSON object with backend, world_size, losses, step_times_s, param_hashes; got ${kind(doc)}` };
  if ('results' in doc && !('losses' in doc))
    return { error: 'not a DDP report: this looks like nccl-tests / ringlab_collectives.py output; load it on the benchmark tab ("Compare with a real cluster")' };
  const missing = ['backend', 'world_size', 'losses', 'step_times_s', 'param_hashes'].filter((k) => !(k in doc));
  if (missing.length) return { error: `not a DDP report: missing ${missing.map((k) => `'${k}'`).join(', ')} (ringlab_ddp.py writes them)` };
  const fail = (m: string): { error: string } => ({ error: `DDP report: ${m}` });
  if (typeof doc.backend !== 'string' || !doc.backend) return fail(`'backend' must be a name such as "nccl" or "gloo", got ${kind(doc.backend)}`);
  const world = doc.world_size;
  if (typeof world !== 'number' || !Number.isInteger(world) || world < 1)
    return fail(`'world_size' must be a positive integer, got ${kind(world)}${typeof world === 'number' ? ` ${world}` : ''}`);
  const losses = numbers(doc, 'losses', false);
  if (typeof losses === 'string') return fail(losses);
  const times = numbers(doc, 'step_times_s', true);
  if (typeof times === 'string') return fail(times);
  if (times.length !== losses.length) return fail(`'step_times_s' has ${times.length} steps but 'losses' has ${losses.length}`);
  const hashes = doc.param_hashes;
  if (!Array.isArray(hashes) || hashes.length !== world || !hashes.every((h) => typeof h === 'string')) {
    return fail(`'param_hashes' must hold one string per rank (${world}), got ${kind(hashes)}`);
  }
  let accuracies: number[] | null = null;
  if ('accuracies' in doc) {
    const a = numbers(doc, 'accuracies', false);
    if (typeof a === 'string') return fail(a);
    if (a.length !== losses.length) return fail(`'accuracies' has ${a.length} steps but 'losses' has ${losses.length}`);
    accuracies = a;
  }
  const hosts = Array.isArray(doc.hosts) ? doc.hosts.filter((h): h is string => typeof h === 'string') : [];
  const host = typeof doc.host === 'string' && doc.host ? doc.host : (hosts[0] ?? 'unknown host');
  return {
    backend: doc.backend,
    worldSize: world,
    host,
    hosts: hosts.length ? hosts : [host],
    losses,
    accuracies,
    stepTimesS: times,
    paramHashes: hashes as string[],
    globalBatch: typeof doc.global_batch === 'number' ? doc.global_batch : null,
    device: typeof doc.device === 'string' ? doc.device : null,
  };
}

/** "PyTorch DDP · gloo × 4 · host" (hosts counted when several). */
export function ddpReportLabel(r: DdpReport): string {
  const where = r.hosts.length > 1 ? `${r.hosts.length} hosts` : r.host;
  return `PyTorch DDP · ${r.backend} × ${r.worldSize} · ${where}`;
}

/** Median step time in ms over the steps after the first (the first carries start-up), as ringlab's measured step. */
export function ddpMedianStepMs(r: DdpReport): number {
  return summarize(r.stepTimesS.length > 1 ? r.stepTimesS.slice(1) : r.stepTimesS).medianS * 1e3;
}
