import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLED_LOGS } from '../../src/ui/bundled-logs';

const root = new URL('../../', import.meta.url);

describe('static assets in public/', () => {
  it('the page lists exactly the bundled nccl-tests logs in public/nccl-logs', () => {
    const files = readdirSync(new URL('public/nccl-logs/', root))
      .filter((f) => /\.(txt|json)$/.test(f))
      .sort();
    expect([...BUNDLED_LOGS]).toEqual(files);
  });

  it('ships the coi-serviceworker package unchanged (public/ holds a copy: the page loads it by relative URL)', () => {
    const vendored = readFileSync(new URL('public/coi-serviceworker.js', root), 'utf8');
    expect(vendored).toBe(readFileSync(new URL('node_modules/coi-serviceworker/coi-serviceworker.min.js', root), 'utf8'));
    expect(readFileSync(new URL('index.html', root), 'utf8')).toMatch(/<script src="coi-serviceworker\.js"><\/script>/);
  });
});
