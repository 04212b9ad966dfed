// Predicted vs observed: the policy verdict (the path's policy findings carry it as data) against what the
// ClusterIP and pod-IP probes saw. The disagreement is itself a finding (the cilium-cli lesson).

import { CONNECT_PROBE_CODES } from '../model/code-groups.js';
import type { Facts } from '../model/facts.js';
import type { ConnectProbeData } from '../model/finding-data.js';
import { hasCode, type Finding } from '../model/finding.js';
import { denyingPolicies, pathVerdicts } from '../model/path-verdict.js';
import { make } from './lib/make.js';

interface Observed {
  ok: Finding[];
  timeout: Finding[];
  refused: Finding[];
}

function observed(findings: readonly Finding[]): Observed {
  const probes = findings
    .filter((f) => f.step === 'clusterip')
    .filter((f) => hasCode(f, CONNECT_PROBE_CODES))
    .filter((f) => f.data?.secondary !== true);
  const by = (o: ConnectProbeData['outcome']) => probes.filter((f) => f.data?.outcome === o);
  return { ok: by('ok'), timeout: by('timeout'), refused: by('refused') };
}

/** Compare the predicted policy verdict with the probes; `findings` are the other checks' output. */
export function checkCrossLayer(facts: Facts, findings: readonly Finding[]): Finding[] {
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
    return [
      make(
        'crosscheck/not-enforced',
        'policy',
        'warn',
        `NetworkPolicy ${names.join(', ') || ''} should deny this traffic, but packets pass: ${why}`.replace('  ', ' '),
        evidence,
        { next: ['kubectl get daemonsets -n kube-system -o wide'], data: { predicted, observed: 'pass', policies: names } },
      ),
    ];
  }
  if (predicted === 'allow' && obs.ok.length === 0 && obs.timeout.length > 0 && obs.refused.length === 0) {
    return [
      make(
        'crosscheck/dropped-despite-allow',
        'policy',
        'fail',
        'NetworkPolicy allows this traffic, but packets are dropped: look below policy (CNI, routes, node, the pod itself)',
        evidence,
        { next: ['kubectl get pods -n kube-system -o wide', 'kubectl get nodes -o wide'], data: { predicted, observed: 'drop' } },
      ),
    ];
  }
  if (obs.ok.length + obs.timeout.length + obs.refused.length === 0) return [];
  const seen = obs.ok.length > 0 ? 'pass' : obs.timeout.length > 0 ? 'drop' : 'refused';
  return [
    make(
      'crosscheck/agree',
      'policy',
      'info',
      predicted === 'deny'
        ? `Probes failed as the policy predicts (${seen === 'refused' ? 'rejected' : 'dropped'})`
        : 'Probes confirm the policy verdict (allowed)',
      evidence,
      { data: { predicted, observed: seen, policies: names } },
    ),
  ];
}
