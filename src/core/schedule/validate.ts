/**
 * Structural checks of a schedule, independent of how it was generated: every op in bounds,
 * no empty transfers, and every send matched by exactly one receive of the same range on the
 * peer in the same step. The executor, the transport and the cost model all rely on this.
 */
import type { ElementRange, RecvOp, Schedule, SendOp } from './types';

function sameRange(a: ElementRange, b: ElementRange): boolean {
  return a.start === b.start && a.count === b.count;
}

function overlaps(a: ElementRange, b: ElementRange): boolean {
  return a.start < b.start + b.count && b.start < a.start + a.count;
}

/**
 * Returns a list of problems (empty when the schedule is valid). Sends from r to q and
 * receives on q from r are matched in list order, as the executor and transport match them.
 * Also rejected: a 'copy' receive overlapping another receive of the same step on the same
 * rank, whose result would depend on the order the receives are applied in.
 */
export function validateSchedule(s: Schedule): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(s.ranks) || s.ranks < 1) problems.push(`ranks must be a positive integer, got ${s.ranks}`);
  s.steps.forEach((step, k) => {
    const where = (r: number): string => `step ${k} ("${step.label}") rank ${r}`;
    if (step.ops.length !== s.ranks) problems.push(`step ${k}: ops has ${step.ops.length} entries for ${s.ranks} ranks`);
    step.ops.forEach((ops, r) => {
      for (const op of ops) {
        const { start, count } = op.range;
        if (!Number.isInteger(op.peer) || op.peer < 0 || op.peer >= s.ranks || op.peer === r) {
          problems.push(`${where(r)}: bad peer ${op.peer}`);
        }
        if (!Number.isInteger(start) || !Number.isInteger(count) || count < 1 || start < 0 || start + count > s.count) {
          problems.push(`${where(r)}: ${op.kind} range [${start}, +${count}) not a non-empty range inside [0, ${s.count})`);
        }
      }
      const recvs = ops.filter((op): op is RecvOp => op.kind === 'recv');
      recvs.forEach((a, i) => {
        if (a.mode !== 'copy') return;
        recvs.forEach((b, j) => {
          if (i !== j && overlaps(a.range, b.range)) problems.push(`${where(r)}: copy from ${a.peer} overlaps recv from ${b.peer}`);
        });
      });
    });
    for (let from = 0; from < step.ops.length; from++) {
      for (let to = 0; to < step.ops.length; to++) {
        if (from === to) continue;
        const sends = step.ops[from]!.filter((op): op is SendOp => op.kind === 'send' && op.peer === to);
        const recvs = (step.ops[to] ?? []).filter((op): op is RecvOp => op.kind === 'recv' && op.peer === from);
        if (sends.length !== recvs.length) {
          problems.push(`step ${k} ("${step.label}"): ${sends.length} sends ${from}→${to} but ${recvs.length} receives`);
          continue;
        }
        sends.forEach((send, i) => {
          if (!sameRange(send.range, recvs[i]!.range)) {
            problems.push(`step ${k} ("${step.label}"): send ${from}→${to} range differs from its receive`);
          }
        });
      }
    }
  });
  return problems;
}
