// Property tests: `k8snet analyze` on generated garbage and on damaged facts files gives a clear
// UserError naming the field, or a diagnosis - never a crash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { analyzeFacts, validateFacts } from '../../src/pipeline.js';
import { SYNTHETIC_FACT_FIXTURES, loadFacts } from './helpers.js';

function analyzeOrRefuse(value: unknown): 'refused' | 'analyzed' {
  let facts;
  try {
    facts = validateFacts(value, 'fuzz.json');
  } catch (e) {
    if (e instanceof UserError) return 'refused';
    throw e;
  }
  analyzeFacts(facts);
  return 'analyzed';
}

/** Every path to a value inside obj, as key lists. */
function paths(obj: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (obj && typeof obj === 'object') {
    for (const [k, v] of Object.entries(obj)) {
      const p = [...prefix, Array.isArray(obj) ? Number(k) : k];
      out.push(p);
      if (out.length < 5000) paths(v, p, out);
    }
  }
  return out;
}

function mutate(obj: unknown, path: (string | number)[], value: unknown, remove: boolean): unknown {
  const copy = structuredClone(obj) as Record<string | number, unknown>;
  let cur: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (remove) {
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else delete cur[last];
  } else cur[last] = value;
  return copy;
}

describe('facts files: fuzz', () => {
  it('arbitrary JSON is refused with a UserError (never another error)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(analyzeOrRefuse(v)).toBe('refused');
      }),
      { numRuns: 300 },
    );
  });

  it.each(SYNTHETIC_FACT_FIXTURES)('%s: a damaged copy is refused or analysed, never a crash', (name) => {
    const base = loadFacts(name);
    const all = paths(base);
    let analyzed = 0;
    fc.assert(
      fc.property(fc.nat({ max: all.length - 1 }), fc.jsonValue({ maxDepth: 2 }), fc.boolean(), (i, value, remove) => {
        if (analyzeOrRefuse(mutate(base, all[i], value, remove)) === 'analyzed') analyzed++;
      }),
      { numRuns: 150 },
    );
    // the property must exercise the analysis, not only the validator
    expect(analyzed).toBeGreaterThan(0);
  });
});
