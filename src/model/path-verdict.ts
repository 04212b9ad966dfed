// The policy verdicts a run's findings carry for the path, and the policies that deny it.

import { PATH_VERDICT_CODES } from './code-groups.js';
import { hasCode, type Finding, type FindingOf } from './finding.js';
import type { Verdict } from './verdict.js';

/** A policy finding about the path, with the engine's verdict it carries. */
export interface PathVerdict {
  finding: FindingOf<PathVerdictCode>;
  verdict: Verdict;
}

type PathVerdictCode = (typeof PATH_VERDICT_CODES)[number];

/** Verdicts about the path itself (not about DNS egress, which has its own code). */
export function pathVerdicts(findings: readonly Finding[]): PathVerdict[] {
  const out: PathVerdict[] = [];
  for (const f of findings) {
    if (hasCode(f, PATH_VERDICT_CODES) && f.data) out.push({ finding: f, verdict: f.data.verdict });
  }
  return out;
}

/** Names of the policies that select the denied side(s) of a verdict. */
export function denyingPolicies(v: Pick<Verdict, 'ingress' | 'egress'>): string[] {
  const sides = [v.ingress, v.egress].filter((d) => d && d.allowed === false);
  return [...new Set(sides.flatMap((d) => (d?.selectedBy ?? []).map((p) => `${p.namespace}/${p.name}`)))];
}
