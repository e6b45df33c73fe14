/** Lesson: what an all-reduce leaves on every rank, step by step (reduce-scatter, then all-gather). */
import { benchInput } from '../bench-data';
import { runOnCpu } from '../schedule';
import { buildSchedule } from '../schedule';
import { fig, judgeGuess, sweepOf, timeFig } from './kit';
import type { BufferTrace, Lesson, Prediction, Reveal } from './types';

const RANKS = 4;
const COUNT = 8;
const WATCHED = 2;

/** The bench inputs of every rank and the buffers after each step of the ring schedule, replayed on the CPU. */
export function allReduceTrace(ranks = RANKS, count = COUNT): BufferTrace {
  const schedule = buildSchedule('all_reduce', 'ring', ranks, count);
  const inputs = Array.from({ length: ranks }, (_, r) => Array.from({ length: count }, (_, i) => benchInput('sum', r, i)));
  const steps: BufferTrace['steps'] = [];
  let buffers: Float32Array[] = inputs.map((b) => Float32Array.from(b));
  for (const step of schedule.steps) {
    const one = { ...schedule, steps: [step] };
    buffers = runOnCpu(
      one,
      buffers.map((b) => b.slice()),
      'sum',
    );
    const moved = step.ops.flatMap((ops, r) => ops.flatMap((o) => (o.kind === 'recv' ? [{ from: o.peer, to: r, start: o.range.start, count: o.range.count, mode: o.mode }] : [])));
    steps.push({ label: step.label, buffers: buffers.map((b) => Array.from(b)), moved });
  }
  const sums = Array.from({ length: count }, (_, i) => inputs.reduce((s, b) => s + b[i]!, 0));
  return { ranks, count, inputs, steps, sums };
}

const PREDICTION: Prediction = {
  kind: 'choice',
  question: `4 ranks each hold 8 small integers. After the all-reduce (sum), what does rank ${WATCHED} hold?`,
  choices: [
    { id: 'own', label: 'its own 8 values, unchanged' },
    { id: 'sum', label: "the element-wise sum of all 4 ranks' values" },
    { id: 'total', label: 'one number: the sum of everything' },
    { id: 'slice', label: 'only its quarter of the sum (2 elements)' },
  ],
};

export const whatIsAllReduce: Lesson = {
  id: 'what-is-all-reduce',
  title: 'What is an all-reduce?',
  summary: 'Every rank starts with its own vector and ends with the element-wise sum of all of them.',
  text: [
    'Data-parallel training computes a gradient on every GPU, then needs the average of all of them on every GPU. The collective that does this is the all-reduce.',
    'The ring all-reduce does it in two phases of p − 1 steps each. Reduce-scatter: each rank passes a quarter of its buffer to its neighbour, who adds it to its own; after p − 1 steps each rank holds one quarter fully summed. All-gather: the summed quarters travel around the ring once more, copied over, until every rank has all of them.',
  ],
  experiments: [
    { kind: 'sweep', label: 'ring', bench: { ranks: RANKS, algo: 'ring', minBytes: COUNT * 4, maxBytes: COUNT * 4, iters: 2, warmupIters: 1, check: 1, proto: 'host' } },
  ],
  prediction: PREDICTION,
  takeaway: 'All-reduce = reduce-scatter then all-gather: 2(p − 1) steps, and each rank sends 2(p − 1)/p of the data, whatever p is.',
  expectedSeconds: 8,
  trace: () => allReduceTrace(),
  chart(outcomes) {
    const t = allReduceTrace();
    // The "after" curve would give the answer away: it appears once the ranks have run.
    const ran = outcomes.some((o) => o.kind === 'sweep' && o.rows.length > 0);
    return {
      title: `Rank ${WATCHED}'s 8 values before and after the all-reduce`,
      x: { label: 'element', log: false },
      y: { label: 'value', log: false },
      series: [
        { label: `rank ${WATCHED} before`, points: t.inputs[WATCHED]!.map((y, x) => ({ x, y })) },
        ...(ran ? [{ label: `rank ${WATCHED} after (replay of the schedule the ranks ran)`, points: t.steps.at(-1)!.buffers[WATCHED]!.map((y, x) => ({ x, y })) }] : []),
      ],
    };
  },
  reveal(outcomes, guess): Reveal {
    const o = sweepOf(outcomes, 'ring');
    const row = o.rows[0]!;
    const t = allReduceTrace();
    const after = t.steps.at(-1)!.buffers;
    const replayOk = after.every((b) => b.every((v, i) => v === t.sums[i]));
    const wrong = row.wrong ?? NaN;
    const holds = wrong === 0 && replayOk && t.steps.length === 2 * (RANKS - 1);
    const id = wrong === 0 ? 'sum' : 'other';
    const answer = {
      kind: 'choice' as const,
      id,
      label: id === 'sum' ? (PREDICTION.kind === 'choice' ? PREDICTION.choices[1]!.label : id) : `not the sum: ${wrong} wrong elements`,
    };
    const sentBytes = 2 * (RANKS - 1) * (COUNT / RANKS) * 4;
    return {
      verdict: holds ? 'holds' : 'fails',
      answer,
      guess: judgeGuess(PREDICTION, guess, answer),
      measured: [
        fig('wrong elements over all ranks (checked on the GPUs)', wrong, ''),
        fig('steps the ring ran', t.steps.length, ''),
        timeFig('time of one all-reduce', row.timeUs / 1e6),
      ],
      model: [
        fig('steps 2(p − 1)', 2 * (RANKS - 1), ''),
        fig('bytes each rank sends: 2(p − 1)/p · 32 B', sentBytes, 'B'),
        fig(
          `rank ${WATCHED} after (CPU replay of the schedule)`,
          after[WATCHED]!.reduce((a, b) => a + b, 0),
          '',
          `[${after[WATCHED]!.join(', ')}]`,
        ),
      ],
      sentence: `The ${RANKS} ranks ran the ring's ${t.steps.length} steps on their GPUs in ${timeFig('', row.timeUs / 1e6).text}, and ${wrong === 0 ? 'every element on every rank matched the element-wise sum (0 wrong)' : `${wrong} elements did not match the sum`}: rank ${WATCHED} went from [${t.inputs[WATCHED]!.join(', ')}] to [${after[WATCHED]!.join(', ')}]. Each rank sent ${sentBytes} B: 2(p − 1)/p = ${(2 * (RANKS - 1)) / RANKS} times its 32 B buffer.`,
      ...(holds
        ? {}
        : {
            why:
              wrong !== 0
                ? `The GPUs reported ${wrong} wrong elements: a defect in the transport or the reduce kernel, not noise; the benchmark tab with check=1 reproduces it.`
                : 'The CPU replay of the schedule did not end with the sum on every rank: the schedule itself is wrong.',
          }),
    };
  },
  tryNext: [
    { label: 'The schedule animated in the benchmark tab (8 ranks, ring)', tab: 'bench', bench: { ranks: 8, algo: 'ring', minBytes: 32, maxBytes: 32 * 1024 } },
    { label: 'Same, with a tree', tab: 'bench', bench: { ranks: 8, algo: 'tree', minBytes: 32, maxBytes: 32 * 1024 } },
  ],
};
