/**
 * Fuzzer: command lines of `npm run bench` and `npm run train` built from the tables' flags
 * (issue 10, defect 7). parseArgv never throws; every error names the flag or field it is
 * about, in a bounded message; a command line without errors gives a config that the URL
 * carries unchanged (one table, one meaning).
 */
import { describe, expect, it } from 'vitest';
import { BENCH_TABLE, TRAIN_TABLE, fieldKeys, parseArgv, parseUrl, serializeUrl, type ConfigTable } from '../../../src/core/config';
import { Rng } from '../../../src/core/rng';
import { fuzzText } from './inputs';

const LINES = 400;

function fuzzArgv<C>(table: ConfigTable<C>, rng: Rng): string[] {
  const argv: string[] = [];
  const keys = fieldKeys(table.fields).filter((k) => !table.fields[k].cliOnly);
  for (let n = rng.int(6); n > 0; n--) {
    const spec = table.fields[keys[rng.int(keys.length)]!];
    const flag = spec.flags[rng.int(spec.flags.length)]!;
    const value = fuzzText(spec, rng);
    const form = rng.uniform();
    if (spec.kind === 'bool' && form < 0.3) argv.push(flag);
    else if (form < 0.5 && flag.startsWith('--')) argv.push(`${flag}=${value}`);
    else if (form < 0.6 && !flag.startsWith('--')) argv.push(`${flag}${value}`);
    else argv.push(flag, value);
  }
  if (rng.uniform() < 0.05) argv.push(['stray', '--nope', '-Z', '--', '-'][rng.int(5)]!);
  if (rng.uniform() < 0.05) argv.pop(); // a flag left without its value
  return argv;
}

for (const [name, table] of [
  ['bench', BENCH_TABLE],
  ['train', TRAIN_TABLE],
] as const) {
  describe(`fuzz: ${LINES} ${name} command lines`, () => {
    it('never throw; every error names its flag; clean lines mean what the URL means', () => {
      const rng = new Rng(name === 'bench' ? 303 : 404);
      const t = table as ConfigTable<Record<string, unknown>>;
      const flags = fieldKeys(t.fields).flatMap((k) => [...t.fields[k].flags, k]);
      for (let i = 0; i < LINES; i++) {
        const argv = fuzzArgv(t, rng);
        const shown = argv.map((a) => (a.length > 40 ? `${a.slice(0, 20)}…(${a.length})` : a)).join(' ');
        const r = parseArgv(t, argv);
        for (const e of r.errors) {
          expect(e.message.length, shown).toBeLessThan(600);
          const named = flags.some((f) => e.message.startsWith(`${f}:`)) || /^(unknown option|unexpected argument|[\w-]+:)/.test(e.message);
          expect(named, `${shown}\n${e.message}`).toBe(true);
        }
        if (r.errors.length === 0) {
          const url = parseUrl(t, serializeUrl(t, r.config));
          expect(url.errors, shown).toEqual([]);
          expect(url.config, shown).toEqual(r.config);
        }
      }
    });
  });
}
