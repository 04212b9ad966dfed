// Issue 16 item 14: every test docs/reliability.md cites exists, and so does the cited test name.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM module without types
import { UNIT_ROWS } from '../../e2e/reliability-unit.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const rows = UNIT_ROWS as { file: string; name?: string }[];

describe('docs/reliability.md citations', () => {
  it('every cited test file and test name exists', () => {
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) {
      const file = path.join(root, r.file);
      expect(existsSync(file), r.file).toBe(true);
      if (r.name) expect(readFileSync(file, 'utf8').includes(r.name), `${r.file} has no test "${r.name}"`).toBe(true);
    }
  });

  it('every test/unit path in the generated docs/reliability.md exists', () => {
    const doc = readFileSync(path.join(root, 'docs/reliability.md'), 'utf8');
    const cited = [...new Set([...doc.matchAll(/test\/unit\/[\w./-]+\.ts/g)].map((m) => m[0]))];
    for (const c of cited) expect(existsSync(path.join(root, c)), `docs/reliability.md cites ${c}`).toBe(true);
  });
});
