import { defineConfig } from 'vitest/config';

// Tests that need a real browser (Debian's chromium, driven by playwright-core): run by test/run.sh
// after the unit tests, never skipped: a missing browser fails them.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60000,
    hookTimeout: 60000,
  },
});
