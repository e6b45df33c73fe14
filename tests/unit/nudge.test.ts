import { describe, expect, it } from 'vitest';
import { defaultNudgeMs, MAX_NUDGES, NUDGE_MAX_BYTES, NUDGE_MS, nudgeFor, nudgeWhilePending } from '../../src/rank/nudge';

/** A device whose queue counts empty submits. */
function countingDevice(): { device: GPUDevice; submits: () => number } {
  let n = 0;
  const device = {
    queue: {
      submit: (cbs: unknown[]) => {
        expect(cbs).toEqual([]);
        n++;
      },
    },
  } as unknown as GPUDevice;
  return { device, submits: () => n };
}

const resolveIn = <T>(ms: number, v: T): Promise<T> => new Promise((r) => setTimeout(() => r(v), ms));

describe('nudgeWhilePending', () => {
  it('submits nothing while a wait is pending, stops when it settles, and returns its value', async () => {
    const { device, submits } = countingDevice();
    expect(await nudgeWhilePending(device, resolveIn(3, 'mapped'), 0.25)).toBe('mapped');
    const atSettle = submits();
    expect(atSettle).toBeGreaterThan(0);
    await resolveIn(5, null);
    expect(submits()).toBeLessThanOrEqual(atSettle + 1); // at most the one already on its way
  });

  it('stops after MAX_NUDGES for a long wait', async () => {
    const { device, submits } = countingDevice();
    await nudgeWhilePending(device, resolveIn(40, 1), 0.25);
    expect(submits()).toBe(MAX_NUDGES);
  });

  it('passes a rejection through, and 0 turns nudging off', async () => {
    const { device, submits } = countingDevice();
    await expect(nudgeWhilePending(device, Promise.reject(new Error('device lost')), 0.25)).rejects.toThrow('device lost');
    await nudgeWhilePending(device, resolveIn(5, 1), 0);
    await resolveIn(2, null);
    expect(submits()).toBe(0);
  });
});

describe('nudgeFor', () => {
  it('nudges waits on transfers up to NUDGE_MAX_BYTES and leaves larger ones alone', () => {
    expect(nudgeFor(8, 0.5)).toBe(0.5);
    expect(nudgeFor(NUDGE_MAX_BYTES, 0.5)).toBe(0.5);
    expect(nudgeFor(NUDGE_MAX_BYTES + 4, 0.5)).toBe(0);
    expect(nudgeFor(8, 0)).toBe(0);
  });
});

describe('defaultNudgeMs', () => {
  it('nudges with up to two ranks per core, not beyond (8 ranks on two cores lost more than they gained)', () => {
    expect(defaultNudgeMs(4, 2)).toBe(NUDGE_MS);
    expect(defaultNudgeMs(5, 2)).toBe(0);
    expect(defaultNudgeMs(8, 2)).toBe(0);
    expect(defaultNudgeMs(8, 16)).toBe(NUDGE_MS);
    expect(defaultNudgeMs(1, 0)).toBe(NUDGE_MS);
  });
});
