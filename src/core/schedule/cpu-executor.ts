/**
 * The CPU oracle: executes a schedule on Float32Array buffers with exactly the step semantics
 * of types.ts, and a straight-loop reference of what each collective must produce. The GPU
 * ranks are checked against both (DESIGN.md §6 `#wrong`).
 */
import { segmentRange, type Collective, type ElementRange, type ReduceOp, type Schedule } from './types';

/** Binary form of each operator; `avg` reduces as a sum and divides at the end. */
function combine(op: ReduceOp): (a: number, b: number) => number {
  switch (op) {
    case 'sum':
    case 'avg':
      return (a, b) => a + b;
    case 'prod':
      return (a, b) => a * b;
    case 'min':
      return (a, b) => Math.min(a, b);
    case 'max':
      return (a, b) => Math.max(a, b);
  }
}

/** Whether the collective reduces (and so whether the operator, and avg's division, apply). */
function reduces(collective: Collective): boolean {
  return collective === 'all_reduce' || collective === 'reduce_scatter';
}

/**
 * Elements of `rank`'s buffer that the collective defines afterwards: segment `rank` for
 * reduce_scatter, the whole buffer otherwise.
 */
export function resultRange(collective: Collective, count: number, ranks: number, rank: number): ElementRange {
  return collective === 'reduce_scatter' ? segmentRange(count, ranks, rank) : { start: 0, count };
}

/**
 * Runs `schedule` in place on `buffers` (one per rank, `schedule.count` elements each) and
 * returns them. Every step first copies out everything sent (start-of-step state), then applies
 * every receive in op-list order, matching the k-th send r→q with the k-th receive on q from r.
 * Results are stored in float32, one rounding per binary op, as the GPU reduce kernel does.
 * For `avg`, the result range of every rank is divided by the rank count at the end.
 */
export function runOnCpu(schedule: Schedule, buffers: Float32Array[], op: ReduceOp): Float32Array[] {
  const { ranks, count } = schedule;
  if (buffers.length !== ranks) throw new Error(`runOnCpu: ${buffers.length} buffers for ${ranks} ranks`);
  buffers.forEach((b, r) => {
    if (b.length !== count) throw new Error(`runOnCpu: rank ${r} buffer has ${b.length} elements, schedule ${count}`);
  });
  const f = combine(op);
  for (const step of schedule.steps) {
    // In flight: messages from r to q, in send order, keyed "r>q".
    const inFlight = new Map<string, Float32Array[]>();
    step.ops.forEach((ops, r) => {
      for (const o of ops) {
        if (o.kind !== 'send') continue;
        const key = `${r}>${o.peer}`;
        const data = buffers[r]!.slice(o.range.start, o.range.start + o.range.count);
        inFlight.set(key, [...(inFlight.get(key) ?? []), data]);
      }
    });
    step.ops.forEach((ops, q) => {
      const local = buffers[q]!;
      for (const o of ops) {
        if (o.kind !== 'recv') continue;
        const data = inFlight.get(`${o.peer}>${q}`)?.shift();
        if (!data || data.length !== o.range.count) {
          throw new Error(`runOnCpu: "${step.label}" rank ${q} receives from ${o.peer} without a matching send`);
        }
        if (o.mode === 'copy') {
          local.set(data, o.range.start);
        } else {
          for (let i = 0; i < data.length; i++) local[o.range.start + i] = f(local[o.range.start + i]!, data[i]!);
        }
      }
    });
  }
  if (op === 'avg' && reduces(schedule.collective)) {
    buffers.forEach((b, r) => {
      const range = resultRange(schedule.collective, count, ranks, r);
      for (let i = range.start; i < range.start + range.count; i++) b[i] = b[i]! / ranks;
    });
  }
  return buffers;
}

/**
 * Reference result of `collective` on `rank`, computed by a straight loop over the inputs
 * (no schedule): the values expected in `resultRange(collective, count, ranks, rank)`, as an
 * array of that range's length. Reductions run over ranks 0..p−1 in order, rounding to
 * float32 after each op; all_gather takes segment s from inputs[s]; broadcast copies the
 * root's input. Reduction order differs from most schedules, so compare sum/prod/avg exactly
 * only on inputs where float32 arithmetic is exact (small integers, powers of two).
 */
export function expectedResult(collective: Collective, inputs: readonly Float32Array[], op: ReduceOp, rank: number, root = 0): Float32Array {
  const ranks = inputs.length;
  const count = inputs[0]?.length ?? 0;
  const range = resultRange(collective, count, ranks, rank);
  const out = new Float32Array(range.count);
  for (let i = 0; i < range.count; i++) {
    const e = range.start + i;
    if (collective === 'broadcast') {
      out[i] = inputs[root]![e]!;
    } else if (collective === 'all_gather') {
      const owner = ownerOfElement(count, ranks, e);
      out[i] = inputs[owner]![e]!;
    } else {
      const f = combine(op);
      let acc = Math.fround(inputs[0]![e]!);
      for (let r = 1; r < ranks; r++) acc = Math.fround(f(acc, inputs[r]![e]!));
      out[i] = op === 'avg' ? acc / ranks : acc;
    }
  }
  return out;
}

/** The rank whose all_gather segment contains element e. */
function ownerOfElement(count: number, ranks: number, e: number): number {
  for (let r = 0; r < ranks; r++) {
    const s = segmentRange(count, ranks, r);
    if (e >= s.start && e < s.start + s.count) return r;
  }
  throw new Error(`element ${e} outside [0, ${count})`);
}
