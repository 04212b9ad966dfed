// "Near miss" pods for a Service selector: pods one label away from being selected.

import type { NearMiss } from '../../model/finding-data.js';
import type { Pod } from '../../model/k8s.js';
import { editDistance } from '../../util/similar-names.js';
import { compareNames } from '../../util/compare.js';

export type { NearMiss } from '../../model/finding-data.js';

/** Pods whose labels differ from the selector by exactly one key or value. */
export function nearMisses(pods: Pod[], selector: Record<string, string>, max = 5): NearMiss[] {
  const out: NearMiss[] = [];
  for (const pod of pods) {
    const labels = pod.metadata.labels ?? {};
    const misses = Object.entries(selector).filter(([k, v]) => labels[k] !== v);
    if (misses.length !== 1) continue;
    const [key, want] = misses[0];
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
  return out.sort((a, b) => score(a) - score(b) || compareNames(a.pod, b.pod)).slice(0, max);
}

/** "pod payments-api-xyz has app=payment-api" / "pod x lacks app (has apps=payments-api)" */
export function describeNearMiss(m: NearMiss): string {
  if (m.have !== undefined) return `pod ${m.pod} has ${m.key}=${m.have}`;
  const similar = m.similarKey ? ` (has ${m.similarKey.key}=${m.similarKey.value})` : '';
  return `pod ${m.pod} lacks label ${m.key}${similar}`;
}
