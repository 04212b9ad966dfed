import { describe, expect, it } from 'vitest';
import type { LabelSelector } from '../../../src/model/k8s.js';
import { describeSelector, matchesSelector, unmetRequirements } from '../../../src/util/selector.js';

const L = { app: 'web', tier: 'front' };

describe('label selector semantics', () => {
  it.each<[string, LabelSelector, Record<string, string> | undefined, boolean]>([
    ['empty selector matches everything', {}, L, true],
    ['empty selector matches a pod without labels', {}, undefined, true],
    ['matchLabels equal', { matchLabels: { app: 'web' } }, L, true],
    ['matchLabels differ', { matchLabels: { app: 'db' } }, L, false],
    ['matchLabels key missing', { matchLabels: { team: 'x' } }, L, false],
    ['matchLabels all ANDed', { matchLabels: { app: 'web', tier: 'back' } }, L, false],
    ['In hit', { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }, L, true],
    ['In miss', { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] }, L, false],
    ['In on a missing key', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }, L, false],
    ['NotIn miss', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, L, false],
    ['NotIn hit', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] }, L, true],
    ['NotIn matches a pod lacking the key', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, L, true],
    ['Exists hit', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, L, true],
    ['Exists miss', { matchExpressions: [{ key: 'env', operator: 'Exists' }] }, L, false],
    ['DoesNotExist hit', { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, L, true],
    ['DoesNotExist miss', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, L, false],
    [
      'matchLabels AND matchExpressions both hold',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] },
      L,
      true,
    ],
    [
      'matchLabels holds, expression fails',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] },
      L,
      false,
    ],
    ['unknown operator matches nothing', { matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, L, false],
    ['value comparison is exact (case)', { matchLabels: { app: 'Web' } }, L, false],
  ])('%s', (_name, sel, labels, expected) => {
    expect(matchesSelector(sel, labels)).toBe(expected);
  });

  it('names the unmet parts and describes selectors kubectl-style', () => {
    const sel: LabelSelector = { matchLabels: { team: 'orders' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }] };
    expect(unmetRequirements(sel, { env: 'a' })).toEqual(['team=orders']);
    expect(describeSelector(sel)).toBe('team=orders,env in (a,b)');
    expect(describeSelector({})).toBe('{} (all)');
  });
});
