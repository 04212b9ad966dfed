import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Speed (issue 11; numbers in docs/benchmarks.md): the unit files share nothing mutable (no vi.mock,
// no fake timers, no module-level state in src/ but WeakMap caches; the one process.env change is
// restored), so they run without per-file isolation: each worker imports src/ once instead of once per
// file (that import was most of the suite's time). Worker threads start faster than forked processes.
// At least two workers even on a 2-core machine: the slowest files mostly wait (a credential plugin
// killed at a 3 s deadline, probe batches in real shells), so a second worker overlaps them.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20000,
    pool: 'threads',
    isolate: false,
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
