/**
 * Every lesson, in teaching order, and the lesson part of the page URL (`lesson=`, `step=`).
 * Pure: the page renders them and runs their experiments (src/ui/lessons).
 */
import { BENCH_TABLE, TRAIN_TABLE, serializeUrl } from '../config';
import { algbwBusbw } from './algbw-busbw';
import { bucketsOverlap } from './buckets-overlap';
import { hierarchy } from './hierarchy';
import { hostStaging } from './host-staging';
import { latencyVsBandwidth } from './latency-vs-bandwidth';
import { parameterServer } from './parameter-server';
import { ringVsTree } from './ring-vs-tree';
import { sameMath } from './same-math';
import { scaleOut } from './scale-out';
import { straggler } from './straggler';
import { strongVsWeak } from './strong-vs-weak';
import { benchConfigOf, trainConfigOf } from './sweep-model';
import type { Lesson, TryNext } from './types';
import { utilization } from './utilization';
import { whatIsAllReduce } from './what-is-all-reduce';

export type * from './types';
export { benchConfigOf, trainConfigOf } from './sweep-model';

export const LESSONS: readonly Lesson[] = [
  whatIsAllReduce,
  algbwBusbw,
  latencyVsBandwidth,
  ringVsTree,
  parameterServer,
  hostStaging,
  sameMath,
  strongVsWeak,
  bucketsOverlap,
  straggler,
  hierarchy,
  utilization,
  scaleOut,
];

export const LESSON_IDS: readonly string[] = LESSONS.map((l) => l.id);

/** The steps of a lesson, in order: `step=1` question, `2` run, `3` reveal. */
export const LESSON_STEPS = ['question', 'run', 'reveal'] as const;

export function lessonById(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}

/** What the URL asks of the lessons view, and what was wrong with it. */
export interface LessonParams {
  /** The lesson to open; null: the list. */
  lesson: Lesson | null;
  /** 1-based index into LESSON_STEPS. */
  step: number;
  /** One message per bad value, naming the value and what is allowed. */
  errors: string[];
}

/**
 * Reads `lesson` and `step` from URL parameters. An unknown lesson shows the list; a bad step
 * starts at 1. Neither is ever an exception.
 */
export function parseLessonParams(params: URLSearchParams): LessonParams {
  const errors: string[] = [];
  const id = params.get('lesson');
  let lesson: Lesson | null = null;
  if (id !== null) {
    lesson = lessonById(id) ?? null;
    if (!lesson) errors.push(`lesson: unknown lesson '${id}'; allowed: ${LESSON_IDS.join(', ')} (showing the list)`);
  }
  let step = 1;
  const s = params.get('step');
  if (s !== null) {
    const n = Number(s);
    if (/^\d+$/.test(s.trim()) && n >= 1 && n <= LESSON_STEPS.length) step = n;
    else errors.push(`step: '${s}' is not an integer 1..${LESSON_STEPS.length} (${LESSON_STEPS.map((x, i) => `${i + 1} ${x}`).join(', ')}); using 1`);
    if (id === null) errors.push('step: only means something with lesson=<id>; ignored');
  }
  return { lesson, step, errors };
}

/** The query string (with '?') that opens a "try this next" link in its tab with the config loaded. */
export function tryNextSearch(t: TryNext): string {
  const params = t.tab === 'bench' ? serializeUrl(BENCH_TABLE, benchConfigOf(t.bench ?? {})) : serializeUrl(TRAIN_TABLE, trainConfigOf(t.train ?? {}));
  params.set('tab', t.tab);
  return `?${params.toString()}`;
}
