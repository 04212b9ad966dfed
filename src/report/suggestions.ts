// The allow rules the policy step suggested (YAML to review, never applied), de-duplicated.

import type { Finding } from '../model/finding.js';

export function suggestionsOf(findings: Finding[]): string[] {
  const out = new Set<string>();
  for (const f of findings) {
    const s = f.data?.suggestion;
    if (typeof s === 'string' && s.trim()) out.add(s);
  }
  return [...out];
}
