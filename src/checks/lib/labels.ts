// Label-selector evaluation, edit distance, and "near miss" pods for a Service selector.

import type { NearMiss } from '../../model/finding-data.js';
import type { Pod } from '../../model/k8s.js';
import { matchesMap } from '../../util/selector.js';

/** Service selectors are plain equality maps; an empty map selects nothing for a Service. */
export function matchesSelector(labels: Record<string, string> | undefined, selector: Record<string, string>): boolean {
  return matchesMap(selector, labels);
}

/** "app=payments-api,tier=backend" */
export function formatSelector(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Levenshtein distance (small strings only: names and label values). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Names within a small edit distance of `name` (or sharing a prefix), closest first. */
export function closeNames(name: string, candidates: string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 4));
  return candidates
    .filter((c) => c !== name)
    .map((c) => ({ c, d: editDistance(name, c) }))
    .filter(({ c, d }) => d <= limit || c.startsWith(name) || name.startsWith(c))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map(({ c }) => c);
}

export type { NearMiss } from '../../model/finding-data.js';

/** Pods whose labels differ from the selector by exactly one key or value. */
export function nearMisses(pods: Pod[], selector: Record<string, string>, max = 5): NearMiss[] {
  const out: NearMiss[] = [];
  for (const pod of pods) {
    const labels = pod.metadata.labels ?? {};
    const misses = Object.entries(selector).filter(([k, v]) => labels[k] !== v);
    if (misses.length !== 1) continue;
    const [key, want] = misses[0]!;
    const have = labels[key];
    const miss: NearMiss = { pod: pod.metadata.name, key, want, have };
    if (have === undefined) {
      const similar = Object.entries(labels).find(([k, v]) => v === want || editDistance(k, key) <= 2);
      if (similar) miss.similarKey = { key: similar[0], value: similar[1] };
    }
    out.push(miss);
  }
  // closest first: a value one typo away (payment-api vs payments-api) beats an unrelated one (debug)
  const score = (m: NearMiss) => (m.have !== undefined ? editDistance(m.have, m.want) : m.similarKey ? 1 : 100);
  return out.sort((a, b) => score(a) - score(b) || a.pod.localeCompare(b.pod)).slice(0, max);
}

/** "pod payments-api-xyz has app=payment-api" / "pod x lacks app (has apps=payments-api)" */
export function describeNearMiss(m: NearMiss): string {
  if (m.have !== undefined) return `pod ${m.pod} has ${m.key}=${m.have}`;
  const similar = m.similarKey ? ` (has ${m.similarKey.key}=${m.similarKey.value})` : '';
  return `pod ${m.pod} lacks label ${m.key}${similar}`;
}
