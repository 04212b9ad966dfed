// The gather helpers shared by diagnose and sweep: named Promise.all, and timed steps that count
// their own API requests even when they overlap.

import { describe, expect, it } from 'vitest';
import { countRequest } from '../../../src/cluster/request-count.js';
import { allNamed, stepTimer } from '../../../src/gather/steps.js';

const later = <T>(ms: number, v: T) => new Promise<T>((resolve) => setTimeout(() => resolve(v), ms));

describe('allNamed', () => {
  it('returns each result under its own name, whatever order they settle in', async () => {
    const r = await allNamed({ slow: later(30, 'a'), fast: later(1, 2), list: Promise.resolve([true]) });
    expect(r).toEqual({ slow: 'a', fast: 2, list: [true] });
  });

  it('rejects with the first rejection, as Promise.all does', async () => {
    await expect(allNamed({ ok: later(5, 1), bad: Promise.reject(new Error('boom')) })).rejects.toThrow('boom');
  });
});

describe('stepTimer', () => {
  it('records each step with its start, duration and its own requests, steps overlapping', async () => {
    const { timings, step } = stepTimer(Date.now());
    const requests = async (n: number, ms: number) => {
      for (let i = 0; i < n; i++) countRequest();
      await later(ms, undefined);
      return n;
    };
    const [a, b] = await Promise.all([step('a', () => requests(3, 40)), step('b', () => requests(1, 5))]);
    expect([a, b]).toEqual([3, 1]);
    expect(timings.map((t) => t.step)).toEqual(['b', 'a']); // in the order they finished
    expect(timings.find((t) => t.step === 'a')).toMatchObject({ requests: 3 });
    expect(timings.find((t) => t.step === 'b')).toMatchObject({ requests: 1 });
    for (const t of timings) {
      expect(t.startMs).toBeGreaterThanOrEqual(0);
      expect(t.ms).toBeGreaterThanOrEqual(0);
    }
    expect(timings.find((t) => t.step === 'a')!.ms).toBeGreaterThanOrEqual(30);
  });
});
