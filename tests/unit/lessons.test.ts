/**
 * Lessons as data: every lesson's configs are valid, its links load, and its reveal computes
 * the verdict and the sentence from the numbers it is given, both where the claim holds and
 * where it fails.
 */
import { describe, expect, it } from 'vitest';
import { BENCH_TABLE, TRAIN_TABLE, parseUrl } from '../../src/core/config';
import { LESSONS, LESSON_IDS, benchConfigOf, lessonById, parseLessonParams, trainConfigOf, tryNextSearch, type Lesson, type Outcome } from '../../src/core/lessons';
import { linkModelS } from '../../src/core/lessons/sweep-model';
import { crossNodeBytes } from '../../src/core/lessons/hierarchy';
import { allReduceTrace } from '../../src/core/lessons/what-is-all-reduce';
import { formatDuration } from '../../src/core/units';
import { clock, point, sweep, train } from './lessons-fixtures';

const get = (id: string): Lesson => {
  const l = lessonById(id);
  if (!l) throw new Error(`no lesson ${id}`);
  return l;
};

/** Link-model time plus a per-step staging floor (what this tab adds), s. */
const modelPlusFloor =
  (lesson: Lesson, label: string, floorS = 0.002) =>
  (bytes: number): number => {
    const e = lesson.experiments.find((x) => x.label === label)!;
    if (e.kind !== 'sweep') throw new Error('not a sweep');
    const c = benchConfigOf(e.bench);
    const steps = c.algo === 'ring' ? 2 * (c.ranks - 1) : c.algo === 'tree' ? 2 * Math.log2(c.ranks) : 2 * (c.ranks - 1);
    return linkModelS(c, bytes)! + steps * floorS;
  };

describe('lesson records', () => {
  it('has the thirteen lessons of LESSONS.md, unique ids, sized under 60 s', () => {
    expect(LESSON_IDS).toEqual([
      'what-is-all-reduce',
      'algbw-busbw',
      'latency-vs-bandwidth',
      'ring-vs-tree',
      'parameter-server',
      'host-staging',
      'same-math',
      'strong-vs-weak',
      'buckets-overlap',
      'straggler',
      'hierarchy',
      'utilization',
      'scale-out',
    ]);
    for (const l of LESSONS) expect(l.expectedSeconds, l.id).toBeLessThanOrEqual(60);
  });

  it.each(LESSONS.map((l) => [l.id, l] as const))('%s: experiments are valid configs and try-next links load without errors', (_id, l) => {
    for (const e of l.experiments) {
      // One protocol per experiment: `auto` decides per size and per schedule, so a sweep or a
      // comparison run on it could measure a switch of protocol rather than the lesson's point
      // (training experiments keep the simple protocol they were written and checked with).
      expect(e.kind === 'sweep' ? e.bench.proto : e.train.proto, `${l.id}: ${e.label} names its protocol`).toMatch(/^(host|simple)$/);
      if (e.kind === 'sweep') expect(() => benchConfigOf(e.bench)).not.toThrow();
      else expect(() => trainConfigOf(e.train)).not.toThrow();
    }
    expect(l.tryNext.length).toBeGreaterThan(0);
    for (const t of l.tryNext) {
      const params = new URLSearchParams(tryNextSearch(t));
      expect(params.get('tab')).toBe(t.tab);
      const parsed = t.tab === 'bench' ? parseUrl(BENCH_TABLE, params, { ignore: ['tab'] }) : parseUrl(TRAIN_TABLE, params, { ignore: ['tab'] });
      expect(parsed.errors, `${l.id}: ${t.label}`).toEqual([]);
    }
    // Emulated links are said so on the page.
    const emulates = l.experiments.some((e) => (e.kind === 'sweep' ? e.bench.link : e.train.link) === 'custom');
    if (emulates) expect(l.emulation ?? '').toMatch(/emulated/);
  });
});

describe('lesson URL', () => {
  it('opens a lesson at a step', () => {
    const p = parseLessonParams(new URLSearchParams('lesson=ring-vs-tree&step=2'));
    expect(p.lesson?.id).toBe('ring-vs-tree');
    expect(p.step).toBe(2);
    expect(p.errors).toEqual([]);
  });
  it('names a bad lesson and a bad step, and what is allowed', () => {
    const p = parseLessonParams(new URLSearchParams('lesson=nope&step=99'));
    expect(p.lesson).toBeNull();
    expect(p.step).toBe(1);
    expect(p.errors[0]).toMatch(/lesson: unknown lesson 'nope'; allowed: what-is-all-reduce, .*scale-out/);
    expect(p.errors[1]).toMatch(/step: '99' is not an integer 1\.\.3/);
  });
});

describe('what-is-all-reduce', () => {
  const l = get('what-is-all-reduce');
  it('the step-by-step replay ends with the element-wise sum everywhere after 2(p−1) steps', () => {
    const t = allReduceTrace();
    expect(t.steps).toHaveLength(6);
    for (const b of t.steps.at(-1)!.buffers) expect(b).toEqual(t.sums);
    expect(t.steps[0]!.moved.every((m) => m.mode === 'reduce')).toBe(true);
    expect(t.steps.at(-1)!.moved.every((m) => m.mode === 'copy')).toBe(true);
  });
  it('holds with 0 wrong elements; fails, naming the count, otherwise', () => {
    const ok = l.reveal([sweep(l, 'ring', () => 0.004)], { kind: 'choice', id: 'sum' });
    expect(ok.verdict).toBe('holds');
    expect(ok.guess.correct).toBe(true);
    expect(ok.sentence).toMatch(/0 wrong/);
    expect(ok.sentence).toContain(formatDuration(0.004));
    const bad = l.reveal([sweep(l, 'ring', () => 0.004, 3)], { kind: 'choice', id: 'own' });
    expect(bad.verdict).toBe('fails');
    expect(bad.sentence).toMatch(/3 elements did not match/);
    expect(bad.why).toMatch(/3 wrong/);
  });
});

describe('ring-vs-tree', () => {
  const l = get('ring-vs-tree');
  it('holds when tree wins small and ring wins large, with the crossovers', () => {
    const r = l.reveal([sweep(l, 'ring', modelPlusFloor(l, 'ring')), sweep(l, 'tree', modelPlusFloor(l, 'tree'))], { kind: 'choice', id: 'tree-ring' });
    expect(r.verdict).toBe('holds');
    expect(r.answer).toMatchObject({ id: 'tree-ring' });
    expect(r.guess.correct).toBe(true);
    const x = r.measured.find((f) => f.label === 'measured crossover')!;
    const m = r.model.find((f) => f.label === 'link-model crossover')!;
    expect(x.value).toBeGreaterThan(16 * 1024);
    expect(x.value).toBeLessThan(1024 * 1024);
    expect(m.value).toBeGreaterThan(16 * 1024);
    expect(r.sentence).toContain(x.text);
    expect(r.sentence).toContain(m.text);
    expect(r.why).toBeUndefined();
  });
  it('fails, saying so and why, when ring wins everywhere', () => {
    const r = l.reveal([sweep(l, 'ring', () => 0.01), sweep(l, 'tree', () => 0.02)], { kind: 'choice', id: 'tree-ring' });
    expect(r.verdict).toBe('fails');
    expect(r.answer).toMatchObject({ id: 'ring-ring' });
    expect(r.guess.correct).toBe(false);
    expect(r.sentence).toMatch(/never crossed/);
    expect(r.why).toMatch(/ring won at 16 B/);
  });
});

describe('latency-vs-bandwidth', () => {
  const l = get('latency-vs-bandwidth');
  it("holds for an α-β curve and finds the knee near the link's", () => {
    const r = l.reveal([sweep(l, 'ring', modelPlusFloor(l, 'ring', 0))], { kind: 'number', value: 30_000 });
    expect(r.verdict).toBe('holds');
    // Ring at 4 ranks: 2(p−1)α = 2(p−1)/p·n·β → knee = p·α/β = 4 · 0.5 ms · 5 MB/s = 10 kB.
    expect(r.answer.kind === 'number' && r.answer.value).toBeCloseTo(10_000, -2);
    expect(r.model.find((f) => f.label === 'fitted α (per step)')!.value).toBeCloseTo(0.0005, 6);
  });
  it('fails when the time does not grow with size', () => {
    const r = l.reveal([sweep(l, 'ring', (b) => 0.01 + 1e-10 * b + (b % 3) * 1e-3)], null);
    expect(r.verdict).toBe('fails');
    expect(r.guess.correct).toBeNull();
    expect(r.why).toBeTruthy();
  });
});

describe('algbw-busbw', () => {
  const l = get('algbw-busbw');
  const label = (p: number): string => `${p} ranks`;
  it('holds when busbw stays and algbw falls', () => {
    const outs = [2, 4, 8].map((p) => sweep(l, label(p), modelPlusFloor(l, label(p), 0)));
    const r = l.reveal(outs, { kind: 'choice', id: 'fall' });
    expect(r.verdict).toBe('holds');
    expect(r.guess.correct).toBe(true);
    const spread = r.measured.find((f) => f.label.startsWith('busbw spread'))!;
    expect(spread.value).toBeLessThan(35);
    expect(r.sentence).toContain(spread.text);
  });
  it('fails when every run takes the same time (algbw stays, busbw rises)', () => {
    const r = l.reveal(
      [2, 4, 8].map((p) => sweep(l, label(p), () => 0.1)),
      { kind: 'choice', id: 'fall' },
    );
    expect(r.verdict).toBe('fails');
    expect(r.answer).toMatchObject({ id: 'stay' });
    expect(r.why).toMatch(/algbw did not fall/);
  });
});

describe('parameter-server', () => {
  const l = get('parameter-server');
  const labels = ['star, 4 ranks', 'star, 8 ranks', 'ring, 4 ranks', 'ring, 8 ranks'];
  it('holds when star grows like p − 1 and ring stays', () => {
    const r = l.reveal(
      labels.map((x) => sweep(l, x, modelPlusFloor(l, x, 0.0005))),
      { kind: 'number', value: 2.3 },
    );
    expect(r.verdict).toBe('holds');
    expect(r.answer.kind === 'number' && r.answer.value).toBeGreaterThan(2);
    expect(r.guess.correct).toBe(true);
  });
  it('fails when star does not grow', () => {
    const r = l.reveal(
      labels.map((x) => sweep(l, x, () => 0.1)),
      { kind: 'number', value: 2.3 },
    );
    expect(r.verdict).toBe('fails');
    expect(r.sentence).toMatch(/1×/);
  });
});

describe('host-staging', () => {
  const l = get('host-staging');
  it('holds for a host-staged path and states the ratio to NVLink', () => {
    const r = l.reveal([sweep(l, 'this tab', (b) => 0.001 + b / 1e9)], { kind: 'number', value: 400 });
    expect(r.verdict).toBe('holds');
    expect(r.answer.kind === 'number' && r.answer.value).toBeCloseTo(450, 0);
    expect(r.sentence).toMatch(/450× below NVLink/);
  });
  it("fits each size's median iteration: a stall that moves the means does not move the verdict", () => {
    const clean = sweep(l, 'this tab', (b) => 0.001 + b / 1e9);
    // Mean times of a run where one iteration in a few stalled by tens of ms; the medians are clean.
    const stalled = { ...clean, rows: clean.rows.map((r, i) => ({ ...r, timeUs: r.timeUs + (i % 2 ? 40_000 : 0) })) };
    const r = l.reveal([stalled], null);
    expect(r.verdict).toBe('holds');
    expect(r.answer.kind === 'number' && r.answer.value).toBeCloseTo(450, 0);
  });
  it('fails when no line fits', () => {
    const r = l.reveal([sweep(l, 'this tab', (b) => (b < 1000 ? 0.01 : 0.001))], null);
    expect(r.verdict).toBe('fails');
    expect(r.why).toBeTruthy();
  });
});

describe('hierarchy', () => {
  const l = get('hierarchy');
  it('counts the bytes each schedule sends across the slow link', () => {
    const n = 256 * 1024;
    expect(crossNodeBytes('ring', 8, 4, n).total).toBe(2 * 14 * (n / 8));
    expect(crossNodeBytes('hierarchical', 8, 4, n).total).toBeLessThan(crossNodeBytes('ring', 8, 4, n).total);
  });
  it('holds when hierarchical is faster; fails when the ring is', () => {
    const ok = l.reveal(
      [
        sweep(l, 'ring', modelPlusFloor(l, 'ring')),
        sweep(l, 'hierarchical', (b) => linkModelS(benchConfigOf({ ...(l.experiments[1]!.kind === 'sweep' ? (l.experiments[1] as { bench: object }).bench : {}) }), b)! + 0.01),
      ],
      { kind: 'choice', id: 'hierarchical' },
    );
    expect(ok.verdict).toBe('holds');
    expect(ok.sentence).toMatch(/the hierarchical all-reduce was faster/);
    const bad = l.reveal([sweep(l, 'ring', () => 0.05), sweep(l, 'hierarchical', () => 0.2)], null);
    expect(bad.verdict).toBe('fails');
    expect(bad.answer).toMatchObject({ id: 'ring' });
  });
});

describe('same-math', () => {
  const l = get('same-math');
  const losses = [1.3, 1.1, 0.9, 0.7, 0.6, 0.5];
  it('holds when the curves agree within float32 and replicas are identical', () => {
    const o = train(l, 'strong', [point({ ranks: 1, losses }), point({ ranks: 2, losses: losses.map((x) => x * (1 + 1e-7)) }), point({ ranks: 4, losses })]);
    const r = l.reveal([o], { kind: 'choice', id: 'same' });
    expect(r.verdict).toBe('holds');
    expect(r.sentence).toMatch(/from 1\.3 to 0\.5/);
  });
  it('fails when 4 ranks diverge or replicas differ', () => {
    const o = train(l, 'strong', [
      point({ ranks: 1, losses }),
      point({ ranks: 2, losses }),
      point({ ranks: 4, losses: losses.map((x) => x * 1.1), paramHashes: ['a', 'a', 'b', 'a'] }),
    ]);
    const r = l.reveal([o], { kind: 'choice', id: 'same' });
    expect(r.verdict).toBe('fails');
    expect(r.answer).toMatchObject({ id: 'different' });
    expect(r.sentence).toMatch(/did NOT hold identical/);
  });
});

describe('strong-vs-weak', () => {
  const l = get('strong-vs-weak');
  const study = (label: string, eff4: number): Outcome =>
    train(l, label, [point({ ranks: 1, projected: clock(20, 20, 1) }), point({ ranks: 4, projected: clock(40, 10, eff4), measured: clock(80, 30, eff4 / 2) })]);
  it('holds when weak keeps more efficiency', () => {
    const r = l.reveal([study('strong', 0.125), study('weak', 0.5)], { kind: 'choice', id: 'weak' });
    expect(r.verdict).toBe('holds');
    expect(r.sentence).toMatch(/weak scaling kept 50 % efficiency and strong scaling 12\.5 %/);
    expect(r.sentence).toMatch(/expects a quarter of the 1-rank step, 5\.0 ms; it took 40\.0 ms/);
  });
  it('fails when strong keeps more', () => {
    const r = l.reveal([study('strong', 0.9), study('weak', 0.5)], { kind: 'choice', id: 'weak' });
    expect(r.verdict).toBe('fails');
    expect(r.guess.correct).toBe(false);
  });
});

describe('buckets-overlap', () => {
  const l = get('buckets-overlap');
  const runs = (steps: [number, number, number, number]): Outcome[] =>
    ['overlap off', 'tiny buckets', 'medium buckets', 'one big bucket'].map((label, i) =>
      train(l, label, [point({ ranks: 2, projected: clock(steps[i]!, 10), overlapPct: [0, 20, 60, 0][i]! })]),
    );
  it('holds when the medium bucket is fastest', () => {
    const r = l.reveal(runs([40, 50, 30, 40]), { kind: 'choice', id: 'medium buckets' });
    expect(r.verdict).toBe('holds');
    expect(r.sentence).toMatch(/medium buckets 20\.0 ms exposed of a 30\.0 ms step \(overlap 60 %\)/);
  });
  it('fails when one big bucket wins', () => {
    const r = l.reveal(runs([40, 50, 45, 35]), { kind: 'choice', id: 'medium buckets' });
    expect(r.verdict).toBe('fails');
    expect(r.answer).toMatchObject({ id: 'one big bucket' });
  });
});

describe('straggler', () => {
  const l = get('straggler');
  it('holds when the step follows the slow rank and the others idle', () => {
    const base = train(l, 'baseline', [point({ ranks: 4, projected: clock(12, 10) })]);
    const slow = train(l, 'straggler', [point({ ranks: 4, projected: clock(32, 30), perRankComputeMs: [10, 30, 10, 10], perRankIdleMs: [20, 0, 20, 20] })]);
    const r = l.reveal([base, slow], { kind: 'number', value: 2.5 });
    expect(r.verdict).toBe('holds');
    expect(r.answer.kind === 'number' && r.answer.value).toBeCloseTo(32 / 12, 5);
    expect(r.sentence).toMatch(/sat idle 20\.0 ms/);
  });
  it('fails when the step does not grow', () => {
    const base = train(l, 'baseline', [point({ ranks: 4, projected: clock(30, 10) })]);
    const slow = train(l, 'straggler', [point({ ranks: 4, projected: clock(32, 30), perRankComputeMs: [10, 30, 10, 10] })]);
    const r = l.reveal([base, slow], null);
    expect(r.verdict).toBe('fails');
    expect(r.why).toMatch(/communication, not compute/);
  });
});

describe('utilization', () => {
  const l = get('utilization');
  it('holds when the larger model uses more of the GPU, and computes MFU from 6·P·batch', () => {
    // tiny: 8·16+16 + 16·4+4 = 212 params; 6·212·16 = 20352 FLOP per step.
    const tiny = train(l, 'tiny', [point({ ranks: 2, globalBatch: 16, projected: clock(10, 9), measured: clock(20, 18), flopsPerS: 1e8 })]);
    const larger = train(l, 'larger', [point({ ranks: 2, globalBatch: 128, projected: clock(50, 45), measured: clock(90, 80), flopsPerS: 1e8 })]);
    const r = l.reveal([tiny, larger], { kind: 'number', value: 10 });
    expect(r.verdict).toBe('holds');
    const u = r.measured.find((f) => f.label === 'tiny: MFU (projected)')!;
    expect(u.value).toBeCloseTo((20352 / 0.01 / 2e8) * 100, 6);
  });
  it('fails when the larger model is no better', () => {
    const tiny = train(l, 'tiny', [point({ ranks: 2, globalBatch: 16, projected: clock(0.1, 0.1), measured: clock(0.2, 0.2) })]);
    const larger = train(l, 'larger', [point({ ranks: 2, globalBatch: 128, projected: clock(5000, 100), measured: clock(9000, 100) })]);
    expect(l.reveal([tiny, larger], null).verdict).toBe('fails');
  });
});

describe('scale-out', () => {
  const l = get('scale-out');
  it('projects the measured MLP and a 1.3 B model; the big one hides its all-reduce longer', () => {
    // A step of 0.5 s for 1024 samples at 0.2 GFLOP/s: about 2e-9 s per sample once scaled to an H100.
    const o = train(l, 'measured step', [point({ ranks: 1, globalBatch: 1024, fwdS: [0.05, 0.05, 0.05], bwdS: [0.1, 0.1, 0.1], flopsPerS: 2e8 })]);
    const r = l.reveal([o], { kind: 'number', value: 150 });
    expect(r.verdict).toBe('holds');
    const bigStops = r.model.find((f) => f.label === '1.3 B: overlap stops at')!;
    const mlpStops = r.model.find((f) => f.label === 'MLP: overlap stops at')!;
    expect(bigStops.value).toBeGreaterThan(mlpStops.value);
    expect(r.answer.kind === 'number' && r.answer.value).toBe(bigStops.value);
    expect(r.sentence).toContain(`stops hiding at ${bigStops.value} GPUs`);
    expect(r.guess.correct).toBe(Math.abs(Math.log10(150 / bigStops.value)) <= 0.3);
  });
  it('fails when the measured model hides its communication longer than the big one', () => {
    // An absurdly slow measured step: hours per sample make the MLP compute-bound everywhere.
    const o = train(l, 'measured step', [point({ ranks: 1, globalBatch: 1024, fwdS: [1e6], bwdS: [2e6], flopsPerS: 2e8 })]);
    const r = l.reveal([o], null);
    expect(r.verdict).toBe('fails');
    expect(r.why).toMatch(/expected/);
  });
});
