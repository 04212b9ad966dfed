// What the diagnosis rules read: the findings indexed by code and step, plus a few derived questions.

import { pathVerdicts, denyingPolicies, type VerdictLike } from '../checks/cross-check.js';
import type { Facts } from '../model/facts.js';
import type { Finding, Layer } from '../model/finding.js';

export interface Ctx {
  facts: Facts;
  findings: Finding[];
  /** Findings with this code (optionally only with these statuses). */
  all(code: string, ...statuses: Finding['status'][]): Finding[];
  /** The first finding with this code and a fail status. */
  failed(code: string): Finding | undefined;
  has(code: string, ...statuses: Finding['status'][]): boolean;
  /** Probe findings (clusterip/* or endpoint/*) by outcome. */
  vip(outcome: string): Finding[];
  pod(outcome: string): Finding[];
  /** Policy verdicts for the path; `denied` holds the denying ones. */
  verdicts: { finding: Finding; verdict: VerdictLike }[];
  denied: { finding: Finding; verdict: VerdictLike }[];
  /** "ns/name" of the policies that deny the path. */
  denyingNames: string[];
  /** "orders/orders-api-7c9d (orders)" or "(no source)". */
  sourceName: string;
  targetName: string;
}

export function buildCtx(findings: Finding[], facts: Facts): Ctx {
  const all = (code: string, ...statuses: Finding['status'][]) =>
    findings.filter((f) => f.code === code && (statuses.length === 0 || statuses.includes(f.status)));
  // a port the user did not ask for that fails while another works is a warning, not evidence (data.secondary)
  const probe = (prefix: string, outcome: string) =>
    findings.filter((f) => f.code.startsWith(prefix) && f.data?.outcome === outcome && f.data?.secondary !== true);
  const verdicts = pathVerdicts(findings);
  const denied = verdicts.filter((v) => !v.verdict.allowed);
  const src = facts.source.state === 'ok' ? facts.source.value.pod : undefined;
  return {
    facts,
    findings,
    all,
    failed: (code) => all(code, 'fail')[0],
    has: (code, ...statuses) => all(code, ...statuses).length > 0,
    vip: (o) => probe('clusterip/', o),
    pod: (o) => probe('endpoint/', o),
    verdicts,
    denied,
    denyingNames: [...new Set(denied.flatMap((d) => denyingPolicies(d.verdict)))],
    sourceName: src ? `${src.metadata.namespace ?? facts.request.from?.namespace}/${src.metadata.name}` : '(no source)',
    targetName: `${facts.request.target.namespace}/${facts.request.target.name}`,
  };
}

/** What a rule concludes. */
export interface Conclusion {
  layer: Layer;
  headline: string;
  evidence: Finding[];
  /** True when a live probe confirms the static verdict (or the verdict is definitive from the API). */
  confirmed: boolean;
  next?: string[];
}

/** A named diagnosis rule: one line on the Kubernetes reasoning, and a pure match. */
export interface Rule {
  name: string;
  why: string;
  match: (ctx: Ctx) => Conclusion | undefined;
}
