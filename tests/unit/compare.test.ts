import { describe, expect, it } from 'vitest';
import {
  BENCH_TABLE,
  TRAIN_TABLE,
  defaults,
  TRAIN_FIELDS,
  formatCompare,
  parseCompare,
  parseHide,
  parsePageParams,
  PRESENT_HIDES,
  serializePageParams,
  variantConfigs,
} from '../../src/core/config';

describe('compare= variants', () => {
  it('reads bare enum values, name:value pairs, joined assignments and list values', () => {
    const r = parseCompare(TRAIN_TABLE, 'strong,weak');
    expect(r.errors).toEqual([]);
    expect(r.variants).toEqual([
      { label: 'strong', patch: { scaling: 'strong' } },
      { label: 'weak', patch: { scaling: 'weak' } },
    ]);
    const b = parseCompare(TRAIN_TABLE, 'overlap:off,overlap:on+bucket-mb:0.5,layers:8,16,3,straggler:1:3,straggler:');
    expect(b.errors).toEqual([]);
    expect(b.variants.map((v) => v.patch)).toEqual([{ overlap: 'off' }, { overlap: 'on', bucketMb: 0.5 }, { layers: [8, 16, 3] }, { straggler: '1:3' }, { straggler: null }]);
    // A URL decodes '+' to a space: both join assignments.
    expect(parseCompare(TRAIN_TABLE, 'overlap:on bucket-mb:2').variants[0]!.patch).toEqual({ overlap: 'on', bucketMb: 2 });
    expect(parseCompare(BENCH_TABLE, 'ranks:4,ranks:8').variants.map((v) => v.patch)).toEqual([{ ranks: 4 }, { ranks: 8 }]);
  });

  it('names a bad variant, what is allowed, and keeps the good ones', () => {
    const r = parseCompare(TRAIN_TABLE, 'strong,bogus,algo:nope,nosuch:1,nvlink');
    expect(r.variants.map((v) => v.label)).toEqual(['strong']);
    expect(r.errors).toHaveLength(4);
    expect(r.errors[0]!.message).toMatch(/'bogus'.*allowed:.*weak/);
    expect(r.errors[1]!.message).toMatch(/algo to 'nope', which is not one of ring, tree/);
    expect(r.errors[2]!.message).toMatch(/'nosuch', which is not a parameter/);
    // 'nvlink' is a value of both link and intra-link: a bare value must name one field.
    expect(r.errors[3]!.message).toMatch(/'nvlink', a value of link and intra-link: write name:nvlink/);
  });

  it('round-trips through formatCompare and applies the cross-field check per variant', () => {
    const r = parseCompare(TRAIN_TABLE, 'weak+layers:8,16,3,algo:tree');
    expect(parseCompare(TRAIN_TABLE, formatCompare(TRAIN_TABLE, r.variants)).variants.map((v) => v.patch)).toEqual(r.variants.map((v) => v.patch));
    const base = { ...defaults(TRAIN_FIELDS), ranks: [1, 3], globalBatch: 6 };
    const cfgs = variantConfigs(TRAIN_TABLE, base, [
      { label: 'strong', patch: { scaling: 'strong' } },
      { label: 'batch 7', patch: { globalBatch: 7 } },
    ]);
    expect(cfgs[0]!.errors).toEqual([]);
    expect(cfgs[1]!.config.globalBatch).toBe(9);
    expect(cfgs[1]!.errors[0]!.message).toMatch(/^batch 7: global-batch: 7/);
  });
});

describe('page parameters', () => {
  it('present=1 hides all but the charts and Run; hide= overrides; bad names are named with the allowed ones', () => {
    expect(parsePageParams(new URLSearchParams('present=1')).page.hide).toEqual([...PRESENT_HIDES]);
    expect(parsePageParams(new URLSearchParams('present=1&hide=')).page.hide).toEqual([]);
    const r = parsePageParams(new URLSearchParams('hide=controls,bogus,table&autorun=maybe'));
    expect(r.page.hide).toEqual(['controls', 'table']);
    expect(r.page.autorun).toBe(false);
    expect(r.errors.map((e) => e.message).join('\n')).toMatch(/hide: unknown part 'bogus'; allowed: header, tabs, controls/);
    expect(r.errors.map((e) => e.message).join('\n')).toMatch(/autorun: 'maybe'/);
    expect(parseHide('whatif,whatif').parts).toEqual(['whatif']);
  });

  it('serializes only what differs from a plain page', () => {
    expect(serializePageParams({ present: false, hide: [], autorun: false })).toEqual([]);
    expect(serializePageParams({ present: true, hide: [...PRESENT_HIDES], autorun: true })).toEqual([
      ['present', '1'],
      ['autorun', '1'],
    ]);
    expect(serializePageParams({ present: true, hide: ['controls'], autorun: false })).toEqual([
      ['present', '1'],
      ['hide', 'controls'],
    ]);
  });
});
