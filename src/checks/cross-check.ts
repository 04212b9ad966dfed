// Predicted vs observed: the policy verdict (from the policy findings' data.verdict) against what the
// ClusterIP and pod-IP probes saw. The disagreement is itself a finding (the cilium-cli lesson).

import type { Facts } from '../model/facts.js';
import type { Finding } from '../model/finding.js';
import { make } from './lib/make.js';

/** The part of the policy engine's Verdict the cross-check reads. */
export interface VerdictLike {
  allowed: boolean;
  port?: number;
  protocol?: string;
  ingress?: { allowed?: boolean; selectedBy?: { namespace: string; name: string }[] };
  egress?: { allowed?: boolean; selectedBy?: { namespace: string; name: string }[] };
}

function verdictOf(f: Finding): VerdictLike | undefined {
  const v = f.data?.verdict as VerdictLike | undefined;
  return v && typeof v.allowed === 'boolean' ? v : undefined;
}

/** Verdicts about the path itself (not about DNS egress, which has its own code). */
export function pathVerdicts(findings: Finding[]): { finding: Finding; verdict: VerdictLike }[] {
  return findings
    .filter((f) => f.code.startsWith('policy/') && !f.code.includes('dns'))
    .map((f) => ({ finding: f, verdict: verdictOf(f) }))
    .filter((x): x is { finding: Finding; verdict: VerdictLike } => x.verdict !== undefined);
}

/** Names of the policies that select the denied side(s) of a verdict. */
export function denyingPolicies(v: VerdictLike): string[] {
  const sides = [v.ingress, v.egress].filter((d) => d && d.allowed === false);
  return [...new Set(sides.flatMap((d) => (d?.selectedBy ?? []).map((p) => `${p.namespace}/${p.name}`)))];
}

interface Observed {
  ok: Finding[];
  timeout: Finding[];
  refused: Finding[];
}

function observed(findings: Finding[]): Observed {
  const probes = findings.filter((f) => f.step === 'clusterip' && /^(clusterip|endpoint)\//.test(f.code) && f.data?.secondary !== true);
  const by = (o: string) => probes.filter((f) => f.data?.outcome === o);
  return { ok: by('ok'), timeout: by('timeout'), refused: by('refused') };
}

/** Compare the predicted policy verdict with the probes; `findings` are the other checks' output. */
export function checkCrossLayer(facts: Facts, findings: Finding[]): Finding[] {
  const verdicts = pathVerdicts(findings);
  if (verdicts.length === 0) return [];
  const obs = observed(findings);
  const denied = verdicts.filter((v) => !v.verdict.allowed);
  const predicted = denied.length > 0 ? 'deny' : 'allow';
  const probeLines = [...obs.ok, ...obs.timeout, ...obs.refused].map((f) => `observed: ${f.summary}`);
  const policyLines = verdicts.map((v) => `predicted: ${v.finding.summary}`);
  const evidence = [...policyLines, ...probeLines];
  const names = denied.flatMap((d) => denyingPolicies(d.verdict));
  const hostNet = facts.source.state === 'ok' && facts.source.value.pod.spec.hostNetwork;
  if (predicted === 'deny' && obs.ok.length > 0) {
    const why = hostNet
      ? 'the source uses the host network, which pod selectors do not match'
      : 'the CNI does not enforce NetworkPolicy (flannel and kindnet do not), or a mesh/hostNetwork path bypasses it';
    return [make('crosscheck/not-enforced', 'policy', 'warn',
      `NetworkPolicy ${names.join(', ') || ''} should deny this traffic, but packets pass: ${why}`.replace('  ', ' '),
      evidence, { next: ['kubectl get daemonsets -n kube-system -o wide'], data: { predicted, observed: 'pass', policies: names } })];
  }
  if (predicted === 'allow' && obs.ok.length === 0 && obs.timeout.length > 0 && obs.refused.length === 0) {
    return [make('crosscheck/dropped-despite-allow', 'policy', 'fail',
      'NetworkPolicy allows this traffic, but packets are dropped: look below policy (CNI, routes, node, the pod itself)',
      evidence, { next: ['kubectl get pods -n kube-system -o wide', 'kubectl get nodes -o wide'], data: { predicted, observed: 'drop' } })];
  }
  if (obs.ok.length + obs.timeout.length + obs.refused.length === 0) return [];
  const seen = obs.ok.length > 0 ? 'pass' : obs.timeout.length > 0 ? 'drop' : 'refused';
  return [make('crosscheck/agree', 'policy', 'info',
    predicted === 'deny' ? `Probes failed as the policy predicts (${seen === 'refused' ? 'rejected' : 'dropped'})` : 'Probes confirm the policy verdict (allowed)',
    evidence, { data: { predicted, observed: seen, policies: names } })];
}
