import { describe, expect, it } from 'vitest';
import { ddpMedianStepMs, ddpReportLabel, parseDdpReport } from '../../src/core/export/ddp-report';
import { parseNcclTestsJson } from '../../src/core/nccl-parse';

const good = {
  backend: 'gloo',
  world_size: 2,
  host: 'node7',
  hosts: ['node7'],
  global_batch: 32,
  losses: [2.3, 1.1, 0.4],
  accuracies: [0.1, 0.5, 0.9],
  step_times_s: [0.5, 0.002, 0.004],
  param_hashes: ['74059a9b', '74059a9b'],
};

describe('DDP report import', () => {
  it('reads a report and labels it with backend, world size and host', () => {
    const r = parseDdpReport(JSON.stringify(good));
    if ('error' in r) throw new Error(r.error);
    expect(ddpReportLabel(r)).toBe('PyTorch DDP · gloo × 2 · node7');
    expect(r.losses).toEqual(good.losses);
    expect(ddpMedianStepMs(r)).toBeCloseTo(3, 9); // median of the steps after the first
    expect(ddpReportLabel({ ...r, hosts: ['a', 'b'] })).toBe('PyTorch DDP · gloo × 2 · 2 hosts');
  });

  it.each([
    ['{"losses": [1', /not JSON/],
    ['[1, 2]', /expected a JSON object.*an array of 2/],
    [JSON.stringify({ results: [] }), /benchmark tab/],
    [JSON.stringify({ backend: 'gloo' }), /missing 'world_size', 'losses', 'step_times_s', 'param_hashes'/],
    [JSON.stringify({ ...good, world_size: 0 }), /'world_size' must be a positive integer, got number 0/],
    [JSON.stringify({ ...good, world_size: '2' }), /'world_size' must be a positive integer, got "2"/],
    [JSON.stringify({ ...good, losses: [] }), /'losses' must be a non-empty array/],
    [JSON.stringify({ ...good, losses: [1, 'x', 3] }), /'losses'\[1\] must be a finite number, got "x"/],
    [JSON.stringify({ ...good, step_times_s: [0.1, -1, 0.2] }), /'step_times_s'\[1\] must be a positive finite number/],
    [JSON.stringify({ ...good, step_times_s: [0.1] }), /'step_times_s' has 1 steps but 'losses' has 3/],
    [JSON.stringify({ ...good, param_hashes: ['a'] }), /'param_hashes' must hold one string per rank \(2\)/],
    [JSON.stringify({ ...good, backend: 7 }), /'backend' must be a name/],
    [JSON.stringify({ ...good, accuracies: [1] }), /'accuracies' has 1 steps/],
  ])('names what is wrong: %s', (text, message) => {
    const r = parseDdpReport(text);
    expect('error' in r && r.error).toMatch(message);
  });
});

describe('collectives JSON import', () => {
  const doc = {
    config: { devices: [{}, {}] },
    results: [
      {
        size: 64,
        count: 16,
        type: 'float',
        redop: 'sum',
        root: '    -1',
        out_of_place: { time: 10, alg_bw: 0.0064, bus_bw: 0.0064, nwrong: 0 },
        in_place: { time: 11, alg_bw: 0.0058, bus_bw: 0.0058, nwrong: null },
      },
    ],
    out_of_bounds: { count: 0, okay: 'true' },
    average_bus_bandwidth: { bandwidth: 0.006 },
    ringlab: { tool: 'ringlab_collectives.py', backend: 'gloo', world_size: 2, host: 'vm' },
  };
  it('reads the source block and an unchecked block as null', () => {
    const p = parseNcclTestsJson(doc);
    expect(p.source).toEqual({ tool: 'ringlab_collectives.py', backend: 'gloo', worldSize: 2, host: 'vm' });
    expect(p.rows[0]!.inPlace!.wrong).toBeNull();
  });
  it('names a missing or malformed field', () => {
    expect(() => parseNcclTestsJson({ ...doc, results: 'x' })).toThrow(/'results' is not an array/);
    const bad = structuredClone(doc);
    (bad.results[0]!.out_of_place as { time: unknown }).time = 'fast';
    expect(() => parseNcclTestsJson(bad)).toThrow(/'time' in results\[0\]\.out_of_place is not a number/);
    expect(() => parseNcclTestsJson('{"results": [')).toThrow();
  });
});
