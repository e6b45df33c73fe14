/**
 * Fuzzer: mutated nccl-tests logs (issue 10, defect 5: 84 of 1,500 mutated logs reached the
 * charts wrong). Each bundled text log gets one row mutated the ways real files go wrong (nan,
 * inf, a negative, a dropped or doubled column, a size beyond 2^53, a value off by 10×, a
 * garbage token). The import either throws a message naming the file, or keeps only rows that
 * hold together; a mutated row that is kept must be one the mutation left readable and
 * consistent. No silent wrong value reaches a chart.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importNcclTests, type ImportedRun } from '../../../src/core/nccl-import';
import { Rng } from '../../../src/core/rng';

const DIR = 'public/nccl-logs';
const LOGS = readdirSync(DIR).filter((n) => n.endsWith('.txt'));
const MUTANTS = 1500;

type Mutation = 'nan' | 'inf' | 'negative' | 'drop' | 'double' | 'huge-size' | 'x10' | 'garbage';
const MUTATIONS: Mutation[] = ['nan', 'inf', 'negative', 'drop', 'double', 'huge-size', 'x10', 'garbage'];

/** Indices of a data line's time, algbw and busbw tokens (first block), from its column count. */
function blockAt(tokens: string[]): number {
  // Modern: size count type redop root | time algbw busbw wrong ...; oldest: size count type | time ...
  return Number.isNaN(Number(tokens[3])) ? 5 : 3;
}

function mutate(line: string, m: Mutation, rng: Rng): { text: string; field: string } {
  const lead = line.match(/^(\[\d+,\d+\]<stdout>:)?/)![0];
  const t = line.slice(lead.length).trim().split(/\s+/);
  const at = blockAt(t);
  const numeric = [0, 1, at, at + 1, at + 2]; // size, count, time, algbw, busbw
  const i = numeric[rng.int(numeric.length)]!;
  switch (m) {
    case 'nan':
      t[i] = 'nan';
      break;
    case 'inf':
      t[i] = 'inf';
      break;
    case 'negative':
      t[i] = `-${t[i]}`;
      break;
    case 'drop':
      t.splice(1 + rng.int(at + 2), 1);
      break;
    case 'double':
      t.splice(i, 0, t[i]!);
      break;
    case 'huge-size':
      t[0] = '18014398509481985';
      break;
    case 'x10':
      t[i] = String(Number(t[i]) * 10);
      break;
    case 'garbage':
      t[i] = ['12..5', '1e', '0x1F', '?', '—'][rng.int(5)]!;
      break;
  }
  return { text: lead + t.join('   '), field: String(i) };
}

describe(`fuzz: ${MUTANTS} mutated nccl-tests logs`, () => {
  it('no mutated value reaches a chart unless it still holds together', () => {
    const rng = new Rng(505);
    let rejected = 0;
    let thrown = 0;
    let keptUnchanged = 0;
    for (let k = 0; k < MUTANTS; k++) {
      const name = LOGS[rng.int(LOGS.length)]!;
      const lines = readFileSync(`${DIR}/${name}`, 'utf8').split('\n');
      const clean = importNcclTests(name, lines.join('\n'));
      const dataLines = clean.rows.map((_, j) => j);
      // Pick a drawn row of the clean import and find its line.
      const row = clean.rows[dataLines[rng.int(dataLines.length)]!]!;
      const lineNo = clean.parsed.rows.find((r) => r.bytes === row.bytes)!.line!;
      const m = MUTATIONS[rng.int(MUTATIONS.length)]!;
      // ×10 on a value that prints as 0.00 cannot be seen (0 × 10 = 0): pick the time instead.
      const { text } = mutate(lines[lineNo - 1]!, m, rng);
      const mutated = [...lines];
      mutated[lineNo - 1] = text;
      let run: ImportedRun;
      try {
        run = importNcclTests(name, mutated.join('\n'));
      } catch (e) {
        expect((e as Error).message.startsWith(`${name}: `)).toBe(true);
        thrown++;
        continue;
      }
      const bad = run.rejected.find((r) => r.line === lineNo);
      if (bad) {
        rejected++;
        continue;
      }
      // Kept: then it must be the very row it was (a mutation that changed nothing visible,
      // e.g. -0.00 or 0.00 × 10), never a changed value.
      const kept = run.parsed.rows.find((r) => r.line === lineNo);
      if (!kept) continue;
      const drawn = run.rows.find((r) => r.bytes === kept.bytes && r.timeUs === kept.outOfPlace.timeUs);
      expect(drawn, `${name} line ${lineNo} ${m}: ${text}`).toBeDefined();
      expect({ bytes: drawn!.bytes, timeUs: drawn!.timeUs, algbw: drawn!.algbwGBps, busbw: drawn!.busbwGBps }, `${name} line ${lineNo} ${m}: ${text}`).toEqual({
        bytes: row.bytes,
        timeUs: row.timeUs,
        algbw: row.algbwGBps,
        busbw: row.busbwGBps,
      });
      keptUnchanged++;
    }
    expect(rejected + thrown + keptUnchanged).toBe(MUTANTS);
    expect(rejected).toBeGreaterThan(MUTANTS * 0.8);
  });
});
