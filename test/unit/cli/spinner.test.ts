// The spinner draws only on a terminal of known, non-zero width: ora divides by the width, and a pty
// reporting 0 columns made it clear lines forever (found running the packed CLI under `script`).
import { describe, expect, it } from 'vitest';
import { spinnerWanted } from '../../../src/cli/output.js';

describe('spinnerWanted', () => {
  it.each<[string, boolean, boolean, number | undefined, boolean]>([
    ['a sized terminal', true, true, 80, true],
    ['a terminal reporting 0 columns', true, true, 0, false],
    ['a terminal of unknown width', true, true, undefined, false],
    ['NaN columns', true, true, Number.NaN, false],
    ['stderr not a terminal', true, false, 80, false],
    ['machine-readable output', false, true, 80, false],
  ])('%s', (_n, enabled, tty, columns, want) => {
    expect(spinnerWanted(enabled, tty, columns)).toBe(want);
  });
});
