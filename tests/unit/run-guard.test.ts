/**
 * Issue 10, defect 1: broadcast + rabenseifner froze the page for good (an exception after
 * setRunning(true) left every control disabled). The pair is now refused when chosen, by the
 * same rule as the CLI, and no error inside a run can leave the controls disabled.
 */
import { describe, expect, it } from 'vitest';
import { BENCH_TABLE, parseArgv, parseUrl } from '../../src/core/config';
import { COLLECTIVES, ALGORITHMS, buildSchedule, supportedAlgorithms } from '../../src/core/schedule';
import { guardedRun } from '../../src/ui/run-guard';

describe('an algorithm that does not run the collective is refused when chosen', () => {
  it('broadcast + rabenseifner: named, repaired to an algorithm that runs, on the page and the CLI', () => {
    const url = parseUrl(BENCH_TABLE, new URLSearchParams('collective=broadcast&algo=rabenseifner'));
    expect(url.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^algo: rabenseifner does not run broadcast; choose one of ring, tree, star; using ring$/)]);
    expect(url.config.algo).toBe('ring');
    const cli = parseArgv(BENCH_TABLE, ['--collective', 'broadcast', '--algo', 'rabenseifner']);
    expect(cli.errors).toHaveLength(1);
    expect(cli.errors[0]!.field).toBe('algo');
  });

  it('every collective × algorithm pair either is refused or builds a schedule', () => {
    for (const collective of COLLECTIVES) {
      for (const algo of ALGORITHMS) {
        const { config, errors } = parseUrl(BENCH_TABLE, new URLSearchParams({ collective, algo, ranks: '4', 'ranks-per-node': '2' }));
        expect(errors.length > 0).toBe(!supportedAlgorithms(collective).includes(algo));
        expect(() => buildSchedule(config.collective, config.algo, config.ranks, 16, { ranksPerNode: 2 })).not.toThrow();
      }
    }
  });
});

describe('guardedRun: the controls come back however a run ends', () => {
  const harness = () => {
    const log: string[] = [];
    return { log, hooks: { setRunning: (r: boolean) => log.push(r ? 'disable' : 'enable'), showError: (m: string) => log.push(`error: ${m}`) } };
  };

  it('a throw after the controls were disabled re-enables them and is shown', async () => {
    const { log, hooks } = harness();
    const r = await guardedRun(hooks, async () => {
      throw new Error('no "rabenseifner" algorithm for broadcast');
    });
    expect(r).toBeUndefined();
    expect(log).toEqual(['disable', expect.stringContaining('no "rabenseifner" algorithm for broadcast'), 'enable']);
  });

  it('a normal run returns its value and re-enables the controls', async () => {
    const { log, hooks } = harness();
    expect(await guardedRun(hooks, async () => 42)).toBe(42);
    expect(log).toEqual(['disable', 'enable']);
  });
});

describe('RunGate: Run says why it is disabled, and comes back', () => {
  it('a lasting block is said beside Run, a transient one in its tooltip; unblock clears both', async () => {
    const { RunGate } = await import('../../src/ui/run-guard');
    const button = { disabled: false, title: '' };
    const reason = { textContent: '' as string | null };
    const gate = new RunGate(button, reason);
    gate.block('Measuring this GPU…', true);
    expect([button.disabled, button.title, reason.textContent, gate.blocked]).toEqual([true, 'Measuring this GPU…', '', 'Measuring this GPU…']);
    gate.unblock(true);
    expect([button.disabled, button.title, reason.textContent, gate.blocked]).toEqual([false, '', '', null]);
    gate.block('Disabled: no WebGPU');
    expect([button.disabled, reason.textContent]).toEqual([true, 'Disabled: no WebGPU']);
  });
});
