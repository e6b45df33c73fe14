import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgv, TRAIN_TABLE } from '../../src/core/config';
import { DDP_CONFIG_MARKER, datasetHash, ddpExportConfig, ddpScript, trainDatasetSpec } from '../../src/core/export/ddp-export';
import { fnv1a } from '../../src/core/hash';

const TEMPLATE = readFileSync(join(import.meta.dirname, '../../python/ringlab_ddp.py'), 'utf8');

describe('ddp export', () => {
  const config = parseArgv(TRAIN_TABLE, [
    '--ranks',
    '2,4',
    '--global-batch',
    '16',
    '--layers',
    '8,12,3',
    '--steps',
    '5',
    '--bucket-mb',
    '2',
    '--first-bucket-mb',
    '0.5',
    '--scaling',
    'weak',
  ]).config;

  it('carries the training config in snake_case with the bucket caps in bytes', () => {
    const c = ddpExportConfig(config);
    expect(c).toMatchObject({
      layers: [8, 12, 3],
      scaling: 'weak',
      global_batch: 16,
      per_rank_batch: 8,
      steps: 5,
      bucket_cap_bytes: 2 * 1024 * 1024,
      first_bucket_bytes: 512 * 1024,
      ringlab_ranks: [2, 4],
    });
    expect(c.expected.initial_params).toMatch(/^[0-9a-f]{8}$/);
    expect(c.expected.dataset).toBe(datasetHash(trainDatasetSpec(config)));
  });

  it('replaces the marker with the config as JSON, once', () => {
    const c = ddpExportConfig(config);
    const script = ddpScript(TEMPLATE, c);
    expect(script).not.toContain(DDP_CONFIG_MARKER);
    const json = /RINGLAB_CONFIG = json\.loads\(r'''\n([\s\S]*?)\n'''\)/.exec(script)?.[1];
    expect(JSON.parse(json!)).toEqual(c);
    expect(() => ddpScript('print(1)\n', c)).toThrow(/RINGLAB_CONFIG/);
  });

  it('another seed gives other hashes (the check can fail)', () => {
    const other = ddpExportConfig({ ...config, seed: config.seed + 1 });
    expect(other.expected.initial_params).not.toBe(ddpExportConfig(config).expected.initial_params);
  });

  it('fnv1a matches the published FNV-1a test vectors', () => {
    expect(fnv1a(new Uint8Array())).toBe('811c9dc5');
    expect(fnv1a(new TextEncoder().encode('a'))).toBe('e40c292c');
    expect(fnv1a(new TextEncoder().encode('foobar'))).toBe('bf9cf968');
  });
});
