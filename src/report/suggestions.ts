// The changes the checks suggested (YAML to review, never applied), de-duplicated: the policy
// step's allow rules, the gateway step's ReferenceGrants (data.suggestionTitle names the kind).

import { SUGGESTING_CODES } from '../model/code-groups.js';
import { hasCode, type Finding } from '../model/finding.js';

export interface Suggestion {
  title: string;
  yaml: string;
}

const DEFAULT_TITLE = 'Suggested allow rule (review; never applied)';

export function suggestionsOf(findings: Finding[]): Suggestion[] {
  const out = new Map<string, Suggestion>();
  for (const f of findings) {
    const d = hasCode(f, SUGGESTING_CODES) ? f.data : undefined;
    const s = d?.suggestion;
    const t = d?.suggestionTitle;
    if (typeof s === 'string' && s.trim()) out.set(s, { title: typeof t === 'string' && t ? t : DEFAULT_TITLE, yaml: s });
  }
  return [...out.values()];
}
