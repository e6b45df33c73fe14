/**
 * The CLI's pieces that need no browser: the static server's isolation headers, MIME types
 * and path containment, and the link flags → per-pair link model mapping.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_TABLE, parseArgv } from '../../src/core/config';
import { emulatedLinks } from '../../src/core/link';
import { serveStatic, type StaticServer } from '../../src/cli/serve';

describe('serveStatic', () => {
  let root: string;
  let server: StaticServer;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ringlab-serve-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'runner.html'), '<!doctype html>');
    writeFileSync(join(root, 'assets', 'a.js'), 'export {}');
    writeFileSync(join(root, 'assets', 'a.wasm'), new Uint8Array([0, 97, 115, 109]));
    server = await serveStatic(root);
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 and sends COOP/COEP/CORP with the right MIME type', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const [path, type] of [
      ['/runner.html', 'text/html'],
      ['/assets/a.js', 'text/javascript'],
      ['/assets/a.wasm', 'application/wasm'],
    ] as const) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    }
  });

  it('answers 404 for missing files and never serves outside its root', async () => {
    expect((await fetch(`${server.url}/nope.js`)).status).toBe(404);
    expect([403, 404]).toContain((await fetch(`${server.url}/..%2f..%2fetc%2fpasswd`)).status);
  });
});

describe('linkOfConfig', () => {
  it('is undefined for --link none, intra/inter by node otherwise', () => {
    const none = parseArgv(BENCH_TABLE, []).config;
    expect(emulatedLinks(none, 4).linkOf).toBeUndefined();
    const two = parseArgv(BENCH_TABLE, ['--link', 'ib-ndr400', '--ranks-per-node', '2']).config;
    const linkOf = emulatedLinks(two, 4).linkOf!;
    expect(linkOf(0, 1)).toEqual({ alphaS: 0.6e-6, betaSPerByte: 1 / 450e9 }); // nvlink inside node 0
    expect(linkOf(1, 2)).toEqual({ alphaS: 2.7e-6, betaSPerByte: 1 / 50e9 }); // across nodes
    expect(linkOf(3, 2)).toEqual(linkOf(0, 1));
  });
});
