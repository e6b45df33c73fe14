import { Rng } from '../../src/core/rng';
import { describe, expect, it } from 'vitest';
import {
  buildSchedule,
  expectedResult,
  REDUCE_OPS,
  resultRange,
  runOnCpu,
  segmentRange,
  supportedAlgorithms,
  validateSchedule,
  type Algorithm,
  type Collective,
  type ReduceOp,
  type Schedule,
  type ScheduleOptions,
} from '../../src/core/schedule';

/**
 * Inputs on which float32 sum, prod, min, max and avg are exact in any order: ±2^k for small k
 * (sums of ≤ 16 such values are multiples of 0.5 far below 2^24; products are powers of two).
 * Elements a collective must not read (outside segment r for all_gather, non-root for
 * broadcast) are NaN, so reading them shows up as a wrong result.
 */
function exactInputs(collective: Collective, p: number, count: number, root: number, seed: number): Float32Array[] {
  const rand = seeded(seed);
  const values = [-2, -1, -0.5, 0.5, 1, 2];
  return Array.from({ length: p }, (_, r) => {
    const b = new Float32Array(count);
    for (let i = 0; i < count; i++) b[i] = values[Math.floor(rand() * values.length)]!;
    if (collective === 'broadcast' && r !== root) b.fill(NaN);
    if (collective === 'all_gather') {
      const own = segmentRange(count, p, r);
      for (let i = 0; i < count; i++) if (i < own.start || i >= own.start + own.count) b[i] = NaN;
    }
    return b;
  });
}

const RANKS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 16];
const countsFor = (p: number): number[] => [...new Set([1, 2, Math.max(1, p - 1), p, p + 1, 7, 33, 1000, 1023])];

/** Runs every op on every count and checks every rank against the reference, exactly. */
function checkCollective(collective: Collective, algorithm: Algorithm, p: number, options: ScheduleOptions = {}): void {
  const root = options.root ?? 0;
  for (const count of countsFor(p)) {
    const schedule = buildSchedule(collective, algorithm, p, count, options);
    expect(validateSchedule(schedule), `${algorithm} p=${p} count=${count}`).toEqual([]);
    for (const op of REDUCE_OPS) {
      const inputs = exactInputs(collective, p, count, root, p * 7919 + count);
      const buffers = runOnCpu(
        schedule,
        inputs.map((b) => b.slice()),
        op,
      );
      for (let r = 0; r < p; r++) {
        const range = resultRange(collective, count, p, r);
        const got = buffers[r]!.subarray(range.start, range.start + range.count);
        const want = expectedResult(collective, inputs, op, r, root);
        expect(Array.from(got), `${collective} ${algorithm} p=${p} count=${count} op=${op} rank=${r}`).toEqual(Array.from(want));
      }
    }
  }
}

/** Bit patterns of every rank's buffer, to compare ranks bitwise. */
function bits(buffers: Float32Array[]): number[][] {
  return buffers.map((b) => Array.from(new Uint32Array(b.buffer, b.byteOffset, b.length)));
}

describe('all_reduce', () => {
  const algorithms = supportedAlgorithms('all_reduce').filter((a) => a !== 'hierarchical');
  for (const algorithm of algorithms) {
    for (const p of RANKS) {
      it(`${algorithm} on ${p} ranks matches the reference for every count and op`, () => {
        checkCollective('all_reduce', algorithm, p);
      });
    }
  }

  for (const [nodes, rpn] of [
    [2, 2],
    [2, 4],
    [3, 2],
    [4, 4],
    [1, 4],
    [4, 1],
  ] as const) {
    it(`hierarchical ${nodes}×${rpn} matches the reference`, () => {
      checkCollective('all_reduce', 'hierarchical', nodes * rpn, { ranksPerNode: rpn });
    });
  }

  const withOptions = (a: Algorithm, p: number): ScheduleOptions => (a === 'hierarchical' ? { ranksPerNode: p % 2 === 0 ? 2 : 1 } : {});
  for (const algorithm of supportedAlgorithms('all_reduce')) {
    it(`${algorithm} leaves bitwise-identical results on every rank (random float inputs)`, () => {
      const rand = seeded(42);
      for (const p of [2, 3, 5, 6, 7, 8, 12, 16]) {
        for (const count of [1, p - 1, p + 1, 257]) {
          if (count < 1) continue;
          const schedule = buildSchedule('all_reduce', algorithm, p, count, withOptions(algorithm, p));
          for (const op of ['sum', 'prod', 'avg'] satisfies ReduceOp[]) {
            const inputs = Array.from({ length: p }, () => Float32Array.from({ length: count }, () => rand() * 2 - 1));
            const b = bits(runOnCpu(schedule, inputs, op));
            for (let r = 1; r < p; r++) expect(b[r], `${algorithm} p=${p} count=${count} ${op} rank ${r}`).toEqual(b[0]);
          }
        }
      }
    });
  }

  it('tree and star honour a non-zero root', () => {
    for (const algorithm of ['tree', 'star'] as const) {
      for (const p of [3, 5, 8]) checkCollective('all_reduce', algorithm, p, { root: p - 1 });
    }
  });
});

describe('reduce_scatter, all_gather, broadcast', () => {
  for (const collective of ['reduce_scatter', 'all_gather'] as const) {
    for (const algorithm of supportedAlgorithms(collective)) {
      it(`${collective} ${algorithm} matches the reference on 1–9 and 16 ranks`, () => {
        for (const p of RANKS) checkCollective(collective, algorithm, p);
      });
    }
  }
  for (const algorithm of supportedAlgorithms('broadcast')) {
    it(`broadcast ${algorithm} from roots 0 and p−1 matches the reference`, () => {
      for (const p of RANKS) {
        checkCollective('broadcast', algorithm, p, { root: 0 });
        checkCollective('broadcast', algorithm, p, { root: p - 1 });
      }
    });
  }
});

describe('schedule shape', () => {
  it('one rank needs no steps', () => {
    for (const collective of ['all_reduce', 'reduce_scatter', 'all_gather', 'broadcast'] as const) {
      for (const algorithm of supportedAlgorithms(collective)) {
        const s = buildSchedule(collective, algorithm, 1, 10, { ranksPerNode: 1 });
        expect(s.steps).toHaveLength(0);
      }
    }
  });

  it('has no zero-length transfers and no empty steps when count < ranks', () => {
    for (const algorithm of supportedAlgorithms('all_reduce')) {
      const s = buildSchedule('all_reduce', algorithm, 16, 3, { ranksPerNode: 4 });
      for (const step of s.steps) {
        expect(step.ops.some((ops) => ops.length > 0)).toBe(true);
        for (const ops of step.ops) for (const op of ops) expect(op.range.count).toBeGreaterThan(0);
      }
    }
  });

  it('step counts follow the algorithms', () => {
    const steps = (a: Algorithm, p: number, o: ScheduleOptions = {}): number => buildSchedule('all_reduce', a, p, 1024, o).steps.length;
    expect(steps('ring', 8)).toBe(14);
    expect(steps('tree', 8)).toBe(6);
    expect(steps('recursive-doubling', 8)).toBe(3);
    expect(steps('recursive-doubling', 6)).toBe(4); // fold in, 2 exchanges, fold out
    expect(steps('rabenseifner', 8)).toBe(6);
    expect(steps('star', 8)).toBe(2);
    expect(steps('hierarchical', 8, { ranksPerNode: 4 })).toBe(2 + 2 + 2);
    expect(buildSchedule('broadcast', 'ring', 5, 8).steps).toHaveLength(4);
  });

  it('hierarchical degenerates to tree (one node) and ring (one rank per node)', () => {
    const strip = (s: Schedule): unknown => s.steps.map((step) => step.ops);
    expect(strip(buildSchedule('all_reduce', 'hierarchical', 8, 100, { ranksPerNode: 8 }))).toEqual(strip(buildSchedule('all_reduce', 'tree', 8, 100)));
    expect(strip(buildSchedule('all_reduce', 'hierarchical', 8, 100, { ranksPerNode: 1 }))).toEqual(strip(buildSchedule('all_reduce', 'ring', 8, 100)));
  });

  it('rejects unsupported combinations and bad arguments with clear errors', () => {
    expect(() => buildSchedule('all_gather', 'star', 4, 8)).toThrow(/no "star" algorithm for all_gather; supported: ring, recursive-doubling/);
    expect(() => buildSchedule('all_reduce', 'hierarchical', 6, 8)).toThrow(/ranksPerNode/);
    expect(() => buildSchedule('all_reduce', 'hierarchical', 6, 8, { ranksPerNode: 4 })).toThrow(/dividing ranks/);
    expect(() => buildSchedule('all_reduce', 'ring', 0, 8)).toThrow(/ranks/);
    expect(() => buildSchedule('all_reduce', 'ring', 4, 0)).toThrow(/count/);
    expect(() => buildSchedule('broadcast', 'tree', 4, 8, { root: 4 })).toThrow(/root/);
  });

  it('validateSchedule catches unmatched and mismatched transfers', () => {
    const s = buildSchedule('all_reduce', 'ring', 3, 9);
    const broken = structuredClone(s);
    broken.steps[0]!.ops[1] = broken.steps[0]!.ops[1]!.filter((op) => op.kind !== 'recv');
    expect(validateSchedule(broken).join('\n')).toMatch(/1 sends 0→1 but 0 receives/);
    const shifted = structuredClone(s);
    const send = shifted.steps[1]!.ops[2]!.find((op) => op.kind === 'send')!;
    send.range = { start: send.range.start + 1, count: send.range.count };
    expect(validateSchedule(shifted).join('\n')).toMatch(/range/);
  });
});

/** A seeded uniform source from the project's own generator: every test input is reproducible. */
function seeded(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.uniform();
}
