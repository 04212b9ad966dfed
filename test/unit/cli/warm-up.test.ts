// warmUp (src/cli/render-facts.ts): the analysis and renderer run once on the preview while the
// source pod is inspected and probed; nothing is written, and it stops as soon as the real facts are in.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderFacts, warmUp } from '../../../src/cli/render-facts.js';
import type { Facts } from '../../../src/model/facts.js';
import type { Io } from '../../../src/cli/output.js';

const facts = JSON.parse(readFileSync(new URL('../../fixtures/two-node/00-healthy-baseline/facts.json', import.meta.url), 'utf8')) as Facts;
const quietIo = () => {
  const written: string[] = [];
  const io: Io = { out: (s) => void written.push(s), err: (s) => void written.push(s), stdoutIsTty: false, stderrIsTty: false };
  return { written, io };
};

describe('warmUp', () => {
  for (const output of ['table', 'json', 'markdown'] as const) {
    it(`analyses and renders the preview (-o ${output}) and writes nothing`, async () => {
      const { written, io } = quietIo();
      let built = 0;
      await warmUp(
        async () => (built++, { ...facts, probes: [] }),
        output,
        {},
        io,
        () => false,
      );
      expect(built).toBe(1);
      expect(written).toEqual([]);
      // the real run afterwards writes its report as usual
      expect(renderFacts(facts, output, {}, io)).toBe(0);
      expect(written).toHaveLength(1);
    });
  }

  it('does not build the preview once the real facts are in', async () => {
    const { written, io } = quietIo();
    let built = 0;
    await warmUp(
      async () => (built++, facts),
      'table',
      {},
      io,
      () => true,
    );
    expect(built).toBe(0);
    expect(written).toEqual([]);
  });

  it('stops between steps when the facts come in meanwhile, and tolerates no preview or a broken one', async () => {
    const { written, io } = quietIo();
    let built = 0;
    let stop = false;
    await warmUp(
      async () => (built++, (stop = true), facts),
      'table',
      {},
      io,
      () => stop,
    );
    expect(built).toBe(1);
    await expect(
      warmUp(
        async () => undefined,
        'table',
        {},
        io,
        () => false,
      ),
    ).resolves.toBeUndefined();
    await expect(
      warmUp(
        async () => ({ broken: true }) as unknown as Facts,
        'table',
        {},
        io,
        () => false,
      ),
    ).rejects.toThrow();
    expect(written).toEqual([]);
  });
});
