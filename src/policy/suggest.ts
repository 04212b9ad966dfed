// The smallest NetworkPolicy that would admit a denied flow, as YAML to review (never applied).

import type { LabelSelector, NetworkPolicy, NetworkPolicyPeer, Pod } from '../model/k8s.js';
import type { Flow, Party, Verdict } from './types.js';
import { NS_NAME_LABEL } from './world-index.js';
import { podNamespace } from '../util/pod.js';
import { toYaml } from '../util/yaml-out.js';

const IDENTITY_KEYS = ['app.kubernetes.io/name', 'app', 'k8s-app', 'name', 'component'];
const VOLATILE_KEYS = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'batch.kubernetes.io/job-name',
  'job-name',
  'batch.kubernetes.io/controller-uid',
  'controller-uid',
]);

/** The narrowest stable selector for a pod: one identity label if it has one, else its stable labels. */
export function identitySelector(pod: Pod): LabelSelector {
  const labels = pod.metadata.labels ?? {};
  for (const k of IDENTITY_KEYS) if (labels[k] !== undefined) return { matchLabels: { [k]: labels[k] } };
  const stable = Object.fromEntries(Object.entries(labels).filter(([k]) => !VOLATILE_KEYS.has(k)));
  return Object.keys(stable).length > 0 ? { matchLabels: stable } : {};
}

function peerFor(party: Party, policyNs: string): NetworkPolicyPeer {
  if (party.kind === 'external') return { ipBlock: { cidr: `${party.ip}/${party.ip.includes(':') ? 128 : 32}` } };
  const ns = podNamespace(party.pod);
  const podSelector = identitySelector(party.pod);
  if (ns === policyNs) return { podSelector };
  // One peer with BOTH selectors: AND (this namespace AND these pods).
  return { namespaceSelector: { matchLabels: { [NS_NAME_LABEL]: ns } }, podSelector };
}

function dnsName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function shortName(p: Party): string {
  if (p.kind === 'external') return dnsName(p.ip.replace(/[.:]/g, '-'));
  const sel = identitySelector(p.pod).matchLabels;
  const first = sel ? Object.values(sel)[0] : undefined;
  return dnsName(first ?? p.pod.metadata.name);
}

function policyName(flow: Flow): string {
  return `allow-${shortName(flow.src)}-to-${shortName(flow.dst)}-${flow.protocol.toLowerCase()}-${flow.port}`.slice(0, 63).replace(/-+$/, '');
}

/** YAML (one or two documents) for the directions that denied; undefined when the flow is allowed. */
export function suggestAllowRule(flow: Flow, verdict: Verdict): string | undefined {
  if (verdict.allowed) return undefined;
  const docs: NetworkPolicy[] = [];
  const ports = [{ protocol: flow.protocol, port: flow.port }];
  if (!verdict.egress.allowed && flow.src.kind === 'pod') {
    const ns = podNamespace(flow.src.pod);
    docs.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: policyName(flow), namespace: ns },
      spec: { podSelector: identitySelector(flow.src.pod), policyTypes: ['Egress'], egress: [{ to: [peerFor(flow.dst, ns)], ports }] },
    });
  }
  if (!verdict.ingress.allowed && flow.dst.kind === 'pod') {
    const ns = podNamespace(flow.dst.pod);
    docs.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: policyName(flow), namespace: ns },
      spec: { podSelector: identitySelector(flow.dst.pod), policyTypes: ['Ingress'], ingress: [{ from: [peerFor(flow.src, ns)], ports }] },
    });
  }
  if (docs.length === 0) return undefined;
  const header = '# Suggested by k8snet: the smallest rule that admits this flow. Review it; k8snet never applies it.\n';
  return header + docs.map((d) => toYaml(d)).join('---\n');
}
