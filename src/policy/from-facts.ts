// Builds a PolicyWorld from diagnose Facts: source pod, the Service's ready endpoint pods, kube-dns pods, policies.

import type { Facts, Read } from '../model/facts.js';
import type { EndpointSlice, NetworkPolicy, Pod } from '../model/k8s.js';
import { matchesSelector } from '../util/selector.js';
import type { PolicyWorld } from './types.js';
import { isPodReady, podIPs } from '../util/pod.js';
import { cidrContains, parseCidr, parseIp } from './cidr.js';

export interface Unreadable {
  /** "list networkpolicies in namespace payments" */
  what: string;
  read: Exclude<Read<unknown>, { state: 'ok' } | { state: 'not-found' }> | { state: 'missing'; message: string };
}

export interface FactsWorld {
  world: PolicyWorld;
  source?: Pod;
  destinations: Pod[];
  dnsPods: Pod[];
  /** Reads the verdict depends on that could not be made: any of these makes the check unknown. */
  unreadable: Unreadable[];
  /** Why there is nothing to judge (no source, no endpoints), when that is the case. */
  missing: string[];
}

/** The `missing` reason of a Service without a selector (its slice addresses are judged instead). */
export const NO_SELECTOR = 'the Service has no selector';

/** Pods behind the Service: selector matches, filtered to ready EndpointSlice addresses when slices were read. */
export function destinationPods(facts: Facts): { pods: Pod[]; missing?: string } {
  if (facts.service.state !== 'ok') return { pods: [], missing: 'the Service could not be read' };
  const svc = facts.service.value;
  if (facts.namespacePods.state !== 'ok') return { pods: [], missing: 'the pods of the target namespace could not be listed' };
  const sel = svc.spec.selector;
  if (!sel || Object.keys(sel).length === 0) return { pods: [], missing: NO_SELECTOR };
  const selected = facts.namespacePods.value.filter((p) => matchesSelector({ matchLabels: sel }, p.metadata.labels));
  let pods: Pod[];
  if (facts.endpointSlices.state === 'ok') {
    const ready = new Set<string>();
    for (const s of facts.endpointSlices.value) {
      for (const e of s.endpoints ?? []) if (e.conditions?.ready !== false) for (const a of e.addresses) ready.add(a);
    }
    pods = selected.filter((p) => podIPs(p).some((ip) => ready.has(ip)));
  } else {
    pods = selected.filter(isPodReady);
  }
  if (pods.length === 0) pods = selected; // judge the selected pods anyway; step 1 reports the missing endpoints
  return pods.length > 0 ? { pods } : { pods, missing: 'the Service selects no pods' };
}

/** Namespaces whose policies decide the verdict (source, destination, and kube-system for DNS). */
export function relevantNamespaces(facts: Facts, source?: Pod): string[] {
  const out = new Set<string>([facts.request.target.namespace]);
  if (source) out.add(source.metadata.namespace ?? 'default');
  return [...out];
}

export function worldFromFacts(facts: Facts, enforced: boolean | null): FactsWorld {
  const unreadable: Unreadable[] = [];
  const missing: string[] = [];
  const source = facts.source.state === 'ok' ? facts.source.value.pod : undefined;
  if (!source) missing.push(facts.source.state === 'not-found' ? 'no source pod was found' : `the source pod could not be read (${facts.source.state})`);
  const dst = destinationPods(facts);
  if (dst.missing && dst.pods.length === 0) missing.push(dst.missing);
  const policies: NetworkPolicy[] = [];
  for (const ns of relevantNamespaces(facts, source)) {
    const read = facts.policies[ns];
    const what = `list networkpolicies in namespace ${ns}`;
    if (!read) unreadable.push({ what, read: { state: 'missing', message: 'not gathered' } });
    else if (read.state === 'ok') policies.push(...read.value.map((p) => ({ ...p, metadata: { ...p.metadata, namespace: p.metadata.namespace ?? ns } })));
    else if (read.state !== 'not-found') unreadable.push({ what, read });
  }
  // Policies of other gathered namespaces (kube-system, controller namespaces) join when readable.
  for (const [ns, read] of Object.entries(facts.policies)) {
    if (relevantNamespaces(facts, source).includes(ns) || read.state !== 'ok') continue;
    policies.push(...read.value.map((p) => ({ ...p, metadata: { ...p.metadata, namespace: p.metadata.namespace ?? ns } })));
  }
  if (facts.namespaces.state !== 'ok' && facts.namespaces.state !== 'not-found') {
    // Without namespace labels only kubernetes.io/metadata.name is known; that is enough unless a
    // policy's namespaceSelector asks for other labels.
    const needsLabels = policies.some((p) =>
      [...(p.spec.ingress ?? []).flatMap((r) => r.from ?? []), ...(p.spec.egress ?? []).flatMap((r) => r.to ?? [])].some(
        (peer) =>
          peer.namespaceSelector &&
          (Object.keys(peer.namespaceSelector.matchLabels ?? {}).some((k) => k !== 'kubernetes.io/metadata.name') ||
            (peer.namespaceSelector.matchExpressions ?? []).some((e) => e.key !== 'kubernetes.io/metadata.name')),
      ),
    );
    if (needsLabels) unreadable.push({ what: 'list namespaces (namespaceSelector needs their labels)', read: facts.namespaces });
  }
  const dnsPods = facts.dns.pods.state === 'ok' ? facts.dns.pods.value : [];
  const pods = new Map<string, Pod>();
  for (const p of [...(source ? [source] : []), ...dst.pods, ...dnsPods]) pods.set(`${p.metadata.namespace}/${p.metadata.name}`, p);
  const world: PolicyWorld = {
    namespaces: facts.namespaces.state === 'ok' ? facts.namespaces.value : [],
    pods: [...pods.values()],
    workloads: [],
    services: facts.service.state === 'ok' ? [facts.service.value] : [],
    policies,
    enforced,
    origin: 'live',
  };
  return { world, source, destinations: dst.pods, dnsPods, unreadable, missing };
}

/**
 * One ready EndpointSlice address as a policy destination. NetworkPolicy sees the endpoint's address
 * after the Service's DNAT, never the ClusterIP: an address that is a known pod's IP is that pod
 * (its labels, its namespace's ingress policies); any other address is a peer outside the pod
 * network, matched only by ipBlock rules. `unknown` when the address lies in a node's pod CIDR but no
 * pod k8snet read has it (pods of other namespaces are not all read): k8snet cannot tell who it is.
 */
export interface AddressDestination {
  address: string;
  /** "EndpointSlice payments/legacy-1" */
  slice: string;
  party: { kind: 'pod'; pod: Pod } | { kind: 'external'; ip: string } | { kind: 'unknown'; why: string };
  /** The slice's ports (name, port, protocol): for a selector-less Service they, not targetPort, are where packets go. */
  ports: { name?: string; port?: number; protocol?: string }[];
}

/** Pods k8snet read in this run, by IP: target namespace, other read namespaces, source, CoreDNS, endpoint lookups. */
function podsByIp(facts: Facts): Map<string, Pod> {
  const out = new Map<string, Pod>();
  const add = (pods: Pod[]) => {
    for (const p of pods) for (const ip of podIPs(p)) if (!p.spec?.hostNetwork) out.set(ip, p);
  };
  if (facts.namespacePods.state === 'ok') add(facts.namespacePods.value);
  for (const r of Object.values(facts.peerPods ?? {})) if (r.state === 'ok') add(r.value);
  if (facts.endpointPods?.state === 'ok') add(facts.endpointPods.value);
  if (facts.source.state === 'ok') add([facts.source.value.pod]);
  if (facts.dns.pods.state === 'ok') add(facts.dns.pods.value);
  return out;
}

/** The node pod CIDR containing the address, if the nodes were read and one does. */
function podCidrOf(facts: Facts, address: string): string | undefined {
  const ip = parseIp(address);
  if (!ip || facts.nodes.state !== 'ok') return undefined;
  for (const n of facts.nodes.value) {
    for (const text of [...(n.spec?.podCIDRs ?? []), ...(n.spec?.podCIDR ? [n.spec.podCIDR] : [])]) {
      const c = parseCidr(text);
      if (c && cidrContains(c, ip)) return text;
    }
  }
  return undefined;
}

/**
 * The Service's ready EndpointSlice addresses that the selector path does not already judge as pods:
 * every address of a Service without a selector (manual slices: legacy or external backends), and
 * for a Service with a selector the addresses that are not its selected pods (a hand-made slice
 * next to the controller's). FQDN slices are skipped (NetworkPolicy has no names).
 */
export function addressDestinations(facts: Facts, judgedPods: Pod[]): AddressDestination[] {
  if (facts.service.state !== 'ok' || facts.endpointSlices.state !== 'ok') return [];
  const judged = new Set(judgedPods.flatMap(podIPs));
  const byIp = podsByIp(facts);
  // the addresses gathering looked up cluster-wide (same rule and cap), when that lookup succeeded
  const looked = new Set(
    facts.endpointPods?.state === 'ok'
      ? addressesToLookUp(facts.endpointSlices.value, facts.namespacePods.state === 'ok' ? facts.namespacePods.value : [])
      : [],
  );
  const cidrsKnown = facts.nodes.state === 'ok' && facts.nodes.value.some((n) => (n.spec?.podCIDRs?.length ?? 0) > 0 || n.spec?.podCIDR);
  const out: AddressDestination[] = [];
  const seen = new Set<string>();
  for (const s of facts.endpointSlices.value) {
    if (s.addressType === 'FQDN') continue;
    for (const e of s.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      for (const a of e.addresses) {
        if (judged.has(a) || seen.has(a)) continue;
        seen.add(a);
        const slice = `EndpointSlice ${s.metadata.namespace ?? facts.request.target.namespace}/${s.metadata.name}`;
        const pod = byIp.get(a);
        const cidr = pod ? undefined : podCidrOf(facts, a);
        const notLooked =
          facts.endpointPods && facts.endpointPods.state !== 'ok'
            ? `the cluster-wide pod lookup failed: ${facts.endpointPods.state}`
            : 'pods outside the target, source and kube-system namespaces were not read';
        // not a pod: only when the cluster-wide lookup covered it, or it lies outside every node's pod CIDR
        // (pod IPs outside node CIDRs, e.g. VPC CNIs, stay "could not tell" without the lookup)
        const party: AddressDestination['party'] = pod
          ? { kind: 'pod', pod }
          : looked.has(a)
            ? { kind: 'external', ip: a }
            : cidr
              ? { kind: 'unknown', why: `${a} is in node pod CIDR ${cidr}, but no pod k8snet read has this IP (${notLooked})` }
              : cidrsKnown
                ? { kind: 'external', ip: a }
                : {
                    kind: 'unknown',
                    why: `no pod k8snet read has ${a}, and without the nodes' pod CIDRs k8snet cannot tell a pod address from an outside one (${notLooked})`,
                  };
        out.push({ address: a, slice, party, ports: s.ports ?? [] });
      }
    }
  }
  return out;
}

/** At most this many addresses are looked up (one request each). */
export const MAX_ENDPOINT_LOOKUPS = 16;

/** Ready IP addresses of the slices that are not the IP of a pod already read; deduplicated, capped. */
export function addressesToLookUp(slices: EndpointSlice[], known: Pod[]): string[] {
  const have = new Set(known.flatMap(podIPs));
  const out: string[] = [];
  for (const s of slices) {
    if (s.addressType === 'FQDN') continue;
    for (const e of s.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      for (const a of e.addresses) if (parseIp(a) && !have.has(a) && !out.includes(a)) out.push(a);
    }
  }
  return out.slice(0, MAX_ENDPOINT_LOOKUPS);
}
