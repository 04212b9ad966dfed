// What the diagnosis rules read: the findings indexed by code and step, plus a few derived questions.

import type { Code } from '../model/codes.js';
import { CLUSTERIP_PROBE_CODES, ENDPOINT_PROBE_CODES } from '../model/code-groups.js';
import type { Facts } from '../model/facts.js';
import type { ConnectProbeData } from '../model/finding-data.js';
import { hasCode, type Finding, type FindingOf, type Layer } from '../model/finding.js';
import { denyingPolicies, pathVerdicts, type PathVerdict } from '../model/path-verdict.js';

type ProbeOutcome = ConnectProbeData['outcome'];
type ClusterIpProbe = FindingOf<(typeof CLUSTERIP_PROBE_CODES)[number]>;
type EndpointProbe = FindingOf<(typeof ENDPOINT_PROBE_CODES)[number]>;

export interface Ctx {
  facts: Facts;
  findings: Finding[];
  /** Findings with this code (optionally only with these statuses); a misspelt code does not compile. */
  all<C extends Code>(code: C, ...statuses: Finding['status'][]): FindingOf<C>[];
  /** The first finding with this code and a fail status. */
  failed<C extends Code>(code: C): FindingOf<C> | undefined;
  has(code: Code, ...statuses: Finding['status'][]): boolean;
  /** Probe findings (clusterip/* or endpoint/*) by outcome. */
  vip(outcome: ProbeOutcome): ClusterIpProbe[];
  pod(outcome: ProbeOutcome): EndpointProbe[];
  /** Policy verdicts for the path; `denied` holds the denying ones. */
  verdicts: PathVerdict[];
  denied: PathVerdict[];
  /** "ns/name" of the policies that deny the path. */
  denyingNames: string[];
  /** "orders/orders-api-7c9d (orders)" or "(no source)". */
  sourceName: string;
  targetName: string;
}

export function buildCtx(findings: Finding[], facts: Facts): Ctx {
  const all = <C extends Code>(code: C, ...statuses: Finding['status'][]): FindingOf<C>[] =>
    findings.filter((f): f is FindingOf<C> => f.code === code && (statuses.length === 0 || statuses.includes(f.status)));
  // a port the user did not ask for that fails while another works is a warning, not evidence (data.secondary)
  const vip = (outcome: ProbeOutcome) =>
    findings.filter((f) => hasCode(f, CLUSTERIP_PROBE_CODES)).filter((f) => f.data?.outcome === outcome && f.data?.secondary !== true);
  const pod = (outcome: ProbeOutcome) =>
    findings.filter((f) => hasCode(f, ENDPOINT_PROBE_CODES)).filter((f) => f.data?.outcome === outcome && f.data?.secondary !== true);
  const verdicts = pathVerdicts(findings);
  const denied = verdicts.filter((v) => !v.verdict.allowed);
  const src = facts.source.state === 'ok' ? facts.source.value.pod : undefined;
  return {
    facts,
    findings,
    all,
    failed: (code) => all(code, 'fail')[0],
    has: (code, ...statuses) => all(code, ...statuses).length > 0,
    vip,
    pod,
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
