// src/util/compare.ts orders exactly as localeCompare does: Kubernetes-style names and IPv4
// addresses (the fast paths), and anything else (handed to localeCompare).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareNames, compareNumeric } from '../../../src/util/compare.js';

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const byLocale = (a: string, b: string) => sign(a.localeCompare(b));
const byLocaleNumeric = (a: string, b: string) => sign(a.localeCompare(b, 'en', { numeric: true }));

// names from the characters of the fast path, and some just outside it
const nameChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-./'.split(''));
const name = fc.array(nameChar, { maxLength: 12 }).map((c) => c.join(''));
const otherChar = fc.constantFrom(...'aAbB_-.:/ 0é9zZ'.split(''));
const other = fc.array(otherChar, { maxLength: 8 }).map((c) => c.join(''));

describe('compareNames = localeCompare', () => {
  it.each([
    ['k8snet-node-a', 'k8snet-node-b', -1],
    ['node-10', 'node-9', -1],
    ['a-b', 'ab', -1],
    ['a.b', 'a-b', 1],
    ['kube-flannel/kube-flannel-ds', 'kube-system/kube-proxy', -1],
    ['kube-system/a', 'kube-system.a', 1],
    ['cni', 'cni', 0],
    ['', 'a', -1],
    ['Node', 'node', 1],
    ['node_a', 'node-a', -1],
  ] as const)('%s vs %s', (a, b, want) => {
    expect(compareNames(a, b)).toBe(want);
    expect(compareNames(a, b)).toBe(byLocale(a, b));
    expect(compareNames(b, a)).toBe(byLocale(b, a));
  });

  it('random names and other strings', () => {
    const s = fc.oneof(name, other, fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(s, s, (a, b) => compareNames(a, b) === byLocale(a, b)),
      { numRuns: 20000 },
    );
  });
});

describe('compareNumeric = localeCompare(en, numeric)', () => {
  it.each([
    ['10.244.0.3', '10.244.0.12', -1],
    ['10.244.1.4', '10.244.0.3', 1],
    ['10.96.0.10', '10.96.0.10', 0],
    ['9.0.0.0', '10.0.0.0', -1],
    ['010.0.0.1', '10.0.0.1', byLocaleNumeric('010.0.0.1', '10.0.0.1')],
    ['fd00::a', 'fd00::9', byLocaleNumeric('fd00::a', 'fd00::9')],
  ] as const)('%s vs %s', (a, b, want) => {
    expect(compareNumeric(a, b)).toBe(want);
    expect(compareNumeric(a, b)).toBe(byLocaleNumeric(a, b));
  });

  it('random IPv4 addresses, and other strings', () => {
    const s = fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.ipV6(), other, fc.stringMatching(/^[0-9.]{0,9}$/));
    fc.assert(
      fc.property(s, s, (a, b) => compareNumeric(a, b) === byLocaleNumeric(a, b)),
      { numRuns: 20000 },
    );
  });
});
