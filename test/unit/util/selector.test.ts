// Label selector parsing (kubectl syntax) and matching with the exact Kubernetes meaning.
import { describe, expect, it } from 'vitest';
import type { LabelSelector } from '../../../src/model/k8s.js';
import { matchesMap, matchesSelector, parseSelector, selectorToString } from '../../../src/util/selector.js';

describe('parseSelector', () => {
  it.each([
    ['app=web', { matchLabels: { app: 'web' } }],
    ['app==web,tier=api', { matchLabels: { app: 'web', tier: 'api' } }],
    ['app!=web', { matchLabels: {}, matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }],
    ['tier in (a, b)', { matchLabels: {}, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }],
    ['tier notin (a)', { matchLabels: {}, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] }],
    ['canary', { matchLabels: {}, matchExpressions: [{ key: 'canary', operator: 'Exists' }] }],
    ['!canary', { matchLabels: {}, matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }],
    ['app.kubernetes.io/name=x', { matchLabels: { 'app.kubernetes.io/name': 'x' } }],
  ])('%s', (text, want) => expect(parseSelector(text)).toEqual(want));
  it.each(['', 'a=b=c', '=x', 'a in b', 'a=$(id)', 'Bad_/x=1'])('refuses %j', (text) => expect(() => parseSelector(text)).toThrow());
  it('round-trips through selectorToString', () => {
    const s = parseSelector('app=web,tier in (a,b),!canary');
    expect(parseSelector(selectorToString(s))).toEqual(s);
  });
});

describe('matchesSelector', () => {
  it.each<[LabelSelector, Record<string, string>, boolean, string]>([
    [{}, { a: '1' }, true, 'empty selector matches everything'],
    [{ matchLabels: { a: '1' } }, { a: '1', b: '2' }, true, 'subset'],
    [{ matchLabels: { a: '1' } }, { a: '2' }, false, 'value differs'],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, {}, true, 'NotIn matches a pod without the key'],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }] }, {}, false, 'In needs the key'],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, { a: '' }, true, 'Exists with empty value'],
    [{ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, { a: 'x' }, false, 'DoesNotExist'],
    [{ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }, { a: 'x' }, false, 'unknown operator matches nothing'],
  ])('%j on %j = %s (%s)', (sel, labels, want, _why) => expect(matchesSelector(sel, labels)).toBe(want));
  it('a Service selector map that is empty selects nothing (selector-less Service)', () => {
    expect(matchesMap({}, { a: '1' })).toBe(false);
    expect(matchesMap(undefined, { a: '1' })).toBe(false);
  });
});
