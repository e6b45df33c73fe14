import { describe, expect, it } from 'vitest';
import { closedFormCost, scheduleCost } from '../../src/core/cost';
import { explainAlgbw, explainBusbw, explainEfficiency, explainOverlap, explainPredictedTime, explainSimilarity, formatNumber as f } from '../../src/core/explain';
import { similarityRatio } from '../../src/core/link';
import { algbwGBps, busbwGBps } from '../../src/core/metrics';
import { buildSchedule } from '../../src/core/schedule';

describe('explain', () => {
  it('prints integers exactly, the rest to four significant digits', () => {
    expect(f(1048576)).toBe('1048576');
    expect(f(1048576.4)).toBe('1049000');
    expect(f(0.0123456)).toBe('0.01235');
    expect(f(2e-8)).toBe('2e-8');
    expect(f(1.5e-6)).toBe('1.5e-6');
    expect(f(67e12)).toBe('6.7e+13');
  });

  it('algbw: S / t with the live numbers', () => {
    const e = explainAlgbw(1048576, 0.0021);
    expect(e.value).toBe(algbwGBps(1048576, 0.0021));
    expect(e.substituted).toContain('1048576 B');
    expect(e.substituted).toContain('0.0021 s');
    expect(e.substituted).toContain(f(e.value));
    expect(e.unit).toBe('GB/s');
  });

  it('busbw: the factor per collective', () => {
    const e = explainBusbw('all_reduce', 8, 1 << 20, 0.001);
    expect(e.value).toBeCloseTo(busbwGBps(1 << 20, 0.001, 'all_reduce', 8), 12);
    expect(e.formula).toBe('busbw = algbw × 2(n−1)/n');
    expect(e.substituted).toContain('2·(8−1)/8');
    expect(e.substituted).toContain('1.75');
    expect(explainBusbw('all_gather', 4, 4096, 1e-5).substituted).toContain('(4−1)/4');
    expect(explainBusbw('broadcast', 4, 4096, 1e-5).value).toBeCloseTo(algbwGBps(4096, 1e-5), 12);
  });

  it('time: α·a + β·b + γ·c from the schedule equals scheduleCost and the closed form', () => {
    const link = { alphaS: 2e-3, betaSPerByte: 2e-8, gammaSPerByte: 1e-9 };
    const s = buildSchedule('all_reduce', 'ring', 4, 65536);
    const e = explainPredictedTime(s, link, 'preset test link');
    expect(e.value).toBeCloseTo(scheduleCost(s, link).timeS, 12);
    expect(e.value).toBeCloseTo(closedFormCost('ring', 4, 262144, link), 12);
    // ring, p = 4: 2(p−1) = 6 latencies, 2·3/4·262144 = 393216 bytes sent, 3/4·262144 = 196608 reduced.
    expect(e.substituted).toContain('0.002 s × 6');
    expect(e.substituted).toContain('2e-8 s/B × 393216 B');
    expect(e.substituted).toContain('1e-9 s/B × 196608 B');
    expect(e.note).toMatch(/6 steps/);
    expect(e.note).toContain('preset test link');
  });

  it('efficiency: strong T₁/(N·T_N), weak T₁/T_N', () => {
    const s = explainEfficiency('strong', 8, 1.25, 8);
    expect(s.value).toBeCloseTo(0.8, 12);
    expect(s.substituted).toBe('E = 8 s / (8 × 1.25 s) = 0.8');
    const w = explainEfficiency('weak', 1, 1.25, 8);
    expect(w.value).toBeCloseTo(0.8, 12);
    expect(w.substituted).toContain('1.25 s');
  });

  it('overlap%: OSU definition, clamped', () => {
    // 30 ms comm, 20 ms of it exposed: 33.33% hidden.
    const e = explainOverlap(0.12, 0.1, 0.03);
    expect(e.value).toBeCloseTo(100 / 3, 9);
    expect(e.substituted).toContain('0.12 s');
    expect(e.substituted).toContain('0.03 s');
    expect(e.substituted).toContain('33.33 %');
    expect(explainOverlap(0.2, 0.1, 0.03).value).toBe(0);
    expect(explainOverlap(0.099, 0.1, 0.03).value).toBe(100);
    expect(explainOverlap(0.1, 0.1, 0).value).toBe(100);
  });

  it('similarity ratio: measured over peak', () => {
    const e = explainSimilarity(1e8, 'h100');
    expect(e.value).toBe(similarityRatio(1e8, 'h100'));
    expect(e.substituted).toBe(`ratio = 100000000 / 6.7e+13 = ${f(1e8 / 67e12)}`);
    expect(e.note).toMatch(/H100/);
  });
});
