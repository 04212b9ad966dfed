// Timed gather steps, shared by diagnose's and sweep's gather: each step records when it started
// (ms after the gather began), how long it took, and the API requests made inside it. Requests are
// counted per async context (cluster/request-count.ts), so steps that overlap count their own.

import { countRequests } from '../cluster/request-count.js';
import type { StepTiming } from '../model/facts.js';

export interface StepTimer {
  /** The steps run so far, in the order they finished. */
  timings: StepTiming[];
  /** Runs fn as the step `name` and records its timing. */
  step: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

export function stepTimer(start = Date.now()): StepTimer {
  const timings: StepTiming[] = [];
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const counted = countRequests(fn);
    const out = await counted.result;
    timings.push({ step: name, ms: Date.now() - t0, requests: counted.requests(), startMs: t0 - start });
    return out;
  };
  return { timings, step };
}

/**
 * Promise.all over named promises: the results by the same names (no unpacking by position). The
 * promises are already running when passed, exactly as in an array given to Promise.all.
 */
export async function allNamed<T extends object>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const keys = Object.keys(promises) as (keyof T)[];
  const values = await Promise.all(keys.map((k) => promises[k]));
  return Object.fromEntries(keys.map((k, i) => [k, values[i]])) as T;
}
