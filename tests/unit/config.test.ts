import { Rng } from '../../src/core/rng';
import { describe, expect, it } from 'vitest';
import {
  BENCH_FIELDS,
  BENCH_TABLE,
  type BenchConfig,
  type ConfigTable,
  type FieldSpec,
  type FieldValue,
  TRAIN_FIELDS,
  TRAIN_TABLE,
  type TrainConfig,
  defaults,
  fieldKeys,
  fieldList,
  formatHelp,
  parseArgv,
  parseUrl,
  serializeUrl,
  urlName,
} from '../../src/core/config';
import { LINK_FIELDS, parseStraggler } from '../../src/core/link';

function randomInt(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

/** A random valid value of one field (no cross-field rules). */
function randomValue(spec: FieldSpec, r: () => number): FieldValue {
  switch (spec.kind) {
    case 'int':
      return randomInt(r, spec.min ?? 0, Math.min(spec.max ?? 1000, 100000));
    case 'number':
      return Number(((spec.min ?? 0) + (spec.minExclusive ? 0.001 : 0) + r() * ((spec.max ?? 100) - (spec.min ?? 0) - 0.001)).toFixed(4));
    case 'size':
      return randomInt(r, spec.min ?? 0, spec.max ?? 1 << 20) * (r() < 0.5 ? 1 : 0) || 1024 * randomInt(r, 1, 256);
    case 'enum':
      return spec.values[randomInt(r, 0, spec.values.length - 1)]!;
    case 'bool':
      return r() < 0.5;
    case 'string':
      return spec.format.startsWith('RANK') ? `0:${randomInt(r, 1, 4)}.5` : spec.format.startsWith('A-B') ? `0-1:${randomInt(r, 1, 4)}.5` : 'out/results.json';
    case 'list-int':
      return Array.from({ length: randomInt(r, spec.minLength ?? 1, spec.maxLength ?? 4) }, () => randomInt(r, spec.min ?? 0, spec.max ?? 100));
    case 'bandwidth':
      return [12.5e9, 450e9, 1.25e9, 123456789, 1024 ** 3][randomInt(r, 0, 4)]!;
    case 'duration':
      return [1e-6, 2.5e-6, 3e-3, 1][randomInt(r, 0, 3)]!;
  }
}

function randomConfig<C>(table: ConfigTable<C>, seed: number): C {
  const gen = new Rng(seed);
  const r = (): number => gen.uniform();
  const config = defaults(table.fields);
  for (const key of fieldKeys(table.fields)) {
    const spec = table.fields[key];
    if (spec.cliOnly || r() < 0.3) continue;
    config[key] = randomValue(spec, r) as C[typeof key];
  }
  // Make it valid across fields, as a user's final choice would be.
  return table.check ? table.check(config).config : config;
}

/** A config as the URL carries it: cliOnly fields at their defaults. */
function urlPart<C>(table: ConfigTable<C>, config: C): C {
  const out = { ...config };
  for (const key of fieldKeys(table.fields)) if (table.fields[key].cliOnly) out[key] = table.fields[key].default;
  return out;
}

describe('URL round trip', () => {
  for (const [name, table] of [
    ['bench', BENCH_TABLE],
    ['train', TRAIN_TABLE],
  ] as const) {
    it(`${name}: defaults serialize to nothing and parse back`, () => {
      const d = defaults((table as ConfigTable<BenchConfig | TrainConfig>).fields);
      const params = serializeUrl(table as ConfigTable<typeof d>, d);
      expect(params.toString()).toBe('');
      const parsed = parseUrl(table as ConfigTable<typeof d>, params);
      expect(parsed.errors).toEqual([]);
      expect(parsed.config).toEqual(d);
    });
    it(`${name}: 200 random valid configs survive parse(serialize(c))`, () => {
      const t = table as ConfigTable<BenchConfig | TrainConfig>;
      for (let seed = 1; seed <= 200; seed++) {
        const c = urlPart(t, randomConfig(t, seed));
        const text = serializeUrl(t, c).toString();
        const back = parseUrl(t, new URLSearchParams(text));
        expect(back.errors, text).toEqual([]);
        expect(back.config, text).toEqual(c);
      }
    });
  }
  it('writes enums as names and sizes with suffixes', () => {
    const c = { ...defaults(BENCH_FIELDS), algo: 'tree' as const, maxBytes: 64 * 1024 * 1024, bandwidth: 12.5e9, link: 'custom' as const, alphaUs: 2 };
    expect(serializeUrl(BENCH_TABLE, c).toString()).toBe('maxbytes=64M&algo=tree&link=custom&alpha-us=2&bandwidth=12.5GB%2Fs');
  });
});

describe('URL errors', () => {
  const bad = (query: string) => parseUrl(BENCH_TABLE, new URLSearchParams(query));

  it('names the parameter, what is allowed and the default, for every kind', () => {
    const cases: [string, string, RegExp][] = [
      ['ranks=20', 'ranks', /ranks: '20' is out of range \(above 16\); allowed: an integer 1\.\.16; using default 4/],
      ['ranks=2.5', 'ranks', /integer 1\.\.16/],
      ['alpha-us=-1', 'alphaUs', /alpha-us: '-1' is out of range \(below 0\); allowed: a number 0\.\.1000000; left unset/],
      ['minbytes=1T', 'minBytes', /minbytes: '1T' is not .*K, M or G.*from 4 B to 256 MiB; using default 8/],
      ['minbytes=2', 'minBytes', /from 4 B/],
      ['algo=2', 'algo', /algo: '2' is not one of ring, tree, recursive-doubling, rabenseifner, star, hierarchical; using default ring/],
      ['scaled=maybe', 'scaled', /scaled: 'maybe' is not true or false.*using default true/],
      ['straggler=3', 'straggler', /straggler: '3': not RANK:FACTOR; expected RANK:FACTOR/],
      ['straggler=1:0.5', 'straggler', /factor 0.5 is below 1/],
      ['slow-link=1:2', 'slowLink', /slow-link: '1:2': not A-B:FACTOR; expected A-B:FACTOR/],
      ['slow-link=1-1:2', 'slowLink', /joins a rank to itself/],
      ['slow-link=0-1:0.5', 'slowLink', /factor 0.5 is below 1/],
      ['bandwidth=100', 'bandwidth', /bandwidth: '100' is not a number and a unit.*Gbit\/s/],
    ];
    for (const [query, field, message] of cases) {
      const { config, errors } = bad(query);
      expect(errors, query).toHaveLength(1);
      expect(errors[0]!.field).toBe(field);
      expect(errors[0]!.message).toMatch(message);
      expect(config[field as keyof BenchConfig]).toEqual(BENCH_FIELDS[field as keyof BenchConfig].default);
    }
  });
  it('list-int and number errors (train)', () => {
    const t = (q: string) => parseUrl(TRAIN_TABLE, new URLSearchParams(q)).errors;
    expect(t('layers=64')[0]!.message).toMatch(/layers: '64' has 1 value; allowed comma-separated integers, each 1\.\.8192, at least 2, at most 16; using default 32,128,128,10/);
    expect(t('ranks=1,x')[0]!.message).toMatch(/ranks: .*each 1\.\.16/);
    expect(t('ranks=1,17')[0]!.field).toBe('ranks');
    expect(t('bucket-mb=0')[0]!.message).toMatch(/bucket-mb: '0' is out of range \(below 0\.0001\); allowed: a number 0\.0001\.\.1024; using default 25/);
    expect(t('overlap=maybe')[0]!.message).toMatch(/one of on, off/);
  });
  it('reports unknown parameters and cli-only fields, and honours ignore', () => {
    expect(bad('colour=red').errors[0]!.message).toMatch(/unknown parameter 'colour'; known: ranks, minbytes/);
    expect(bad('output_file=x.json').errors[0]!.message).toMatch(/unknown parameter 'output_file'/);
    expect(bad('fit=true').errors).toHaveLength(1);
    expect(parseUrl(BENCH_TABLE, new URLSearchParams('exp=bench'), { ignore: ['exp'] }).errors).toEqual([]);
  });
  it('cross-field rules repair and explain', () => {
    let r = bad('minbytes=2M&maxbytes=1K');
    expect(r.errors[0]!.message).toMatch(/minbytes: 2097152 > maxbytes 1024; using defaults 8 and 1048576/);
    expect([r.config.minBytes, r.config.maxBytes]).toEqual([8, 1048576]);
    r = bad('ranks=4&root=7');
    expect(r.errors[0]!.field).toBe('root');
    expect(r.config.root).toBe(0);
    r = bad('ranks=6&nodes=4');
    expect(r.errors[0]!.message).toMatch(/nodes: 6 ranks cannot be split evenly over 4 nodes; using 1 node/);
    expect(r.config.nodes).toBe(1);
    r = bad('ranks=6&ranks-per-node=4');
    expect(r.errors[0]!.field).toBe('ranksPerNode');
    expect(bad('ranks=8&ranks-per-node=4').errors).toEqual([]);
    expect(bad('ranks=2&ranks-per-node=4').errors).toEqual([]);
    r = bad('link=custom&alpha-us=2');
    expect(r.errors[0]!.message).toMatch(/custom needs --alpha-us and --bandwidth/);
    expect(r.config.link).toBe('none');
    r = bad('ranks=4&link=10gbe&slow-link=2-7:3');
    expect(r.errors[0]!.field).toBe('slowLink');
    expect(r.errors[0]!.message).toMatch(/rank 7 does not exist with 4 ranks/);
    expect(r.config.slowLink).toBeNull();
    r = bad('ranks=4&slow-link=1-2:3');
    expect(r.errors[0]!.message).toMatch(/needs an emulated link/);
    r = bad('ranks=4&straggler=4:2');
    expect(r.errors[0]!.field).toBe('straggler');
    expect(r.config.straggler).toBeNull();
  });
  it('train: batch split and topology per rank count', () => {
    let r = parseUrl(TRAIN_TABLE, new URLSearchParams('ranks=1,3&global-batch=64'));
    expect(r.errors[0]!.message).toMatch(/global-batch: 64 does not split evenly over 1, 3 ranks; using 66/);
    expect(r.config.globalBatch).toBe(66);
    r = parseUrl(TRAIN_TABLE, new URLSearchParams('ranks=1,3&global-batch=64&scaling=weak'));
    expect(r.errors).toEqual([]);
    r = parseUrl(TRAIN_TABLE, new URLSearchParams('ranks=1,2,4&nodes=2'));
    expect(r.errors[0]!.field).toBe('nodes');
    expect(parseUrl(TRAIN_TABLE, new URLSearchParams('ranks=1,2,8&ranks-per-node=4')).errors).toEqual([]);
  });
});

describe('parseArgv', () => {
  it('reads nccl-tests short flags, long flags, = forms and getopt -g4', () => {
    const { config, errors, help } = parseArgv(BENCH_TABLE, ['-g', '8', '-b', '8', '-e', '1M', '-f', '4', '--algo', 'ring', '--iters=50', '-w2', '-o', 'max']);
    expect(errors).toEqual([]);
    expect(help).toBe(false);
    expect(config).toMatchObject({ ranks: 8, minBytes: 8, maxBytes: 1048576, stepFactor: 4, algo: 'ring', iters: 50, warmupIters: 2, op: 'max' });
    expect(parseArgv(BENCH_TABLE, ['--ranks', '4']).config.ranks).toBe(4);
    expect(parseArgv(BENCH_TABLE, ['--ranks=4']).config.ranks).toBe(4);
    expect(parseArgv(BENCH_TABLE, ['-r', '3', '-g', '4']).config.root).toBe(3);
  });
  it('reads booleans, cli-only fields and help', () => {
    expect(parseArgv(BENCH_TABLE, ['--fit']).config.fit).toBe(true);
    expect(parseArgv(BENCH_TABLE, ['--fit', 'false']).config.fit).toBe(false);
    expect(parseArgv(BENCH_TABLE, ['--scaled=false']).config.scaled).toBe(false);
    expect(parseArgv(BENCH_TABLE, ['--no-scaled']).config.scaled).toBe(false);
    expect(parseArgv(BENCH_TABLE, ['--fit', '-g', '2']).config).toMatchObject({ fit: true, ranks: 2 });
    expect(parseArgv(BENCH_TABLE, ['-J', 'out.json']).config.outputFile).toBe('out.json');
    expect(parseArgv(BENCH_TABLE, ['-h']).help).toBe(true);
    expect(parseArgv(BENCH_TABLE, ['--help']).help).toBe(true);
    expect(
      parseArgv(TRAIN_TABLE, ['--ranks', '1,2,4,8', '--layers', '64,256,256,10', '--overlap', 'off', '--bandwidth', '100Gbit/s', '--link', 'custom', '--alpha-us', '5']).config,
    ).toMatchObject({ ranks: [1, 2, 4, 8], layers: [64, 256, 256, 10], overlap: 'off', bandwidth: 12.5e9, link: 'custom', alphaUs: 5 });
  });
  it('reports unknown flags, missing values, bad values and stray arguments', () => {
    expect(parseArgv(BENCH_TABLE, ['--colour', 'red']).errors[0]!.message).toMatch(/unknown option '--colour'/);
    expect(parseArgv(BENCH_TABLE, ['-g']).errors[0]!.message).toMatch(/-g: missing value; expected an integer 1\.\.16 \(default 4\)/);
    expect(parseArgv(BENCH_TABLE, ['-g', '99']).errors[0]!.message).toMatch(/-g: '99' is out of range \(above 16\); allowed: an integer 1\.\.16; using default 4/);
    expect(parseArgv(BENCH_TABLE, ['stray']).errors[0]!.message).toMatch(/unexpected argument 'stray'/);
    expect(parseArgv(BENCH_TABLE, ['-b', '4M', '-e', '1M']).errors[0]!.field).toBe('minBytes');
  });
});

describe('formatHelp', () => {
  for (const [name, table] of [
    ['bench', BENCH_TABLE],
    ['train', TRAIN_TABLE],
  ] as const) {
    it(`${name}: lists every flag with its default`, () => {
      const t = table as ConfigTable<BenchConfig | TrainConfig>;
      const text = formatHelp(t, `ringlab ${name}`);
      expect(text.startsWith(`ringlab ${name}\n`)).toBe(true);
      for (const f of fieldList(t.fields)) {
        for (const flag of f.flags) expect(text, flag).toContain(flag);
        expect(text).toContain(f.help);
      }
      expect(text).toContain('-h, --help');
      expect(text).toContain('[command line only]');
    });
  }
});

describe('tables', () => {
  it('flags and URL names are unique per table, and link fields are shared', () => {
    for (const fields of [BENCH_FIELDS, TRAIN_FIELDS] as const) {
      const list = fieldList(fields as typeof BENCH_FIELDS);
      const flags = list.flatMap((f) => f.flags);
      expect(new Set(flags).size).toBe(flags.length);
      const urls = list.map((f) => urlName(f));
      expect(new Set(urls).size).toBe(urls.length);
      for (const key of fieldKeys(LINK_FIELDS)) expect(key in fields).toBe(true);
    }
  });
  it('defaults pass their own cross-field checks', () => {
    expect(BENCH_TABLE.check!(defaults(BENCH_FIELDS)).errors).toEqual([]);
    expect(TRAIN_TABLE.check!(defaults(TRAIN_FIELDS)).errors).toEqual([]);
  });
  it('parseStraggler', () => {
    expect(parseStraggler('3:2.5')).toEqual({ rank: 3, factor: 2.5 });
    expect(parseStraggler('3')).toHaveProperty('error');
    expect(parseStraggler('a:2')).toHaveProperty('error');
  });
});
