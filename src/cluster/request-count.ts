// Counts API requests per gather step even when steps overlap: each step runs in its own async
// context, and a request is counted in the step that made it and in every step enclosing it.

import { AsyncLocalStorage } from 'node:async_hooks';

interface Counter {
  requests: number;
  parent?: Counter;
}

const current = new AsyncLocalStorage<Counter>();

/** Called once per request sent (HTTP or exec). */
export function countRequest(): void {
  for (let c = current.getStore(); c; c = c.parent) c.requests++;
}

/** Runs fn in a new counting context; `requests()` reads how many requests fn (and what it started) made. */
export function countRequests<T>(fn: () => Promise<T>): { result: Promise<T>; requests: () => number } {
  const counter: Counter = { requests: 0, parent: current.getStore() };
  return { result: current.run(counter, fn), requests: () => counter.requests };
}
