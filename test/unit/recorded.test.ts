// Both test tiers describe one world: the facts captured from the lab by each end-to-end scenario
// (`node test/e2e/run.mjs --record test/fixtures/recorded`) are replayed offline here, and must
// give the diagnosis the scenario expects - the same layer, verdict, exit code and finding codes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/diagnosis/index.js';
import { analyzeFacts, validateFacts } from '../../src/pipeline.js';
import { renderJson, renderMarkdown, renderTable } from '../../src/report/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const recorded = path.join(root, 'test/fixtures/recorded');
const scenarios = path.join(root, 'test/lab/scenarios');
const names = existsSync(recorded)
  ? readdirSync(recorded)
      .filter((n) => existsSync(path.join(recorded, n, 'facts.json')))
      .sort()
  : [];

interface Expect {
  exit?: number;
  verdict?: string;
  layer?: string;
  codes?: string[];
  absentCodes?: string[];
  evidence?: string[];
  neverPrinted?: string[];
}

describe('recorded lab facts replay to the scenario expectation', () => {
  it('there are recordings to replay', () => {
    expect(names.length).toBeGreaterThanOrEqual(10);
  });
  it.each(names)('%s', (name) => {
    const file = path.join(recorded, name, 'facts.json');
    const facts = validateFacts(JSON.parse(readFileSync(file, 'utf8')), file);
    // SCENARIO@RUN: one of the scenario's `runs` (the same world, another command)
    const [dir, runName] = name.split('@') as [string, string | undefined];
    const spec = JSON.parse(readFileSync(path.join(scenarios, dir, 'scenario.json'), 'utf8')) as { expect: Expect; runs?: { name: string; expect?: Expect }[] };
    const exp = (runName ? spec.runs?.find((r) => r.name === runName)?.expect : spec.expect) ?? {};
    const { findings, diagnosis, report } = analyzeFacts(facts);
    if (exp.exit !== undefined && exp.exit !== 2) expect(exitCodeFor(diagnosis)).toBe(exp.exit);
    if (exp.verdict) expect(diagnosis.verdict).toBe(exp.verdict);
    if (exp.layer) expect(diagnosis.layer).toBe(exp.layer);
    const have = new Map<string, string>(findings.map((f) => [f.code, f.status]));
    for (const c of exp.codes ?? []) {
      const [code, status] = c.split(':');
      expect(have.has(code), `${code} in ${[...have.keys()].join(', ')}`).toBe(true);
      if (status) expect(have.get(code)).toBe(status);
    }
    for (const c of exp.absentCodes ?? []) expect(have.has(c)).toBe(false);
    const json = renderJson(report);
    for (const e of exp.evidence ?? []) expect(json).toContain(e);
    // no output format carries a secret the scenario planted
    const outputs = [json, renderMarkdown(report), renderTable(report, { color: false, verbose: true }), readFileSync(file, 'utf8')];
    for (const s of exp.neverPrinted ?? []) for (const o of outputs) expect(o).not.toContain(s);
  });
});
