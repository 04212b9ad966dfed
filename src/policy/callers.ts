// Who may connect to a set of pods on a port: the reverse of a verdict. For each ingress rule that
// admits the port, the peers it names resolved against the world (namespaces, workloads, CIDRs),
// then each candidate caller checked with the engine on both sides (its egress too).

import type { NetworkPolicy, NetworkPolicyPeer, Pod } from '../model/k8s.js';
import { directionAllows, policyRef } from './evaluate.js';
import { describePeer } from './peers.js';
import { matchPolicyPort } from './ports.js';
import { matchesSelector } from '../util/selector.js';
import type { PeerReach, PortReach, Reach } from '../model/verdict.js';
import type { Protocol } from './types.js';

// The reach types live in model/ (policy findings carry them); re-exported for the engine's users.
export type { PeerReach, PortReach, Reach } from '../model/verdict.js';
import { type WorldIndex } from './world-index.js';
import { podNamespace } from '../util/pod.js';

/** What the caller knows about the world: which namespaces' pods were all read, and whether namespace labels are complete. */
export interface Knowledge {
  /** True when every pod of this namespace is in the world (its pod list was read). */
  podsKnown: (ns: string) => boolean;
  /** True when the namespace list (with labels) was read, so a namespaceSelector can be resolved. */
  namespacesKnown: boolean;
}

/** The rules and peers that admit traffic to `pods` on each port (ingress side only). */
export function reachOf(idx: WorldIndex, pods: Pod[], ports: { port: number; protocol: Protocol }[], know: Knowledge): Reach {
  const selecting = new Map<string, NetworkPolicy>();
  for (const pod of pods) for (const p of idx.selectingPolicies(pod, 'ingress')) selecting.set(`${p.metadata.namespace}/${p.metadata.name}`, p);
  const policies = [...selecting.values()];
  const portPod = pods[0];
  const out: Reach = { isolated: policies.length > 0, selectedBy: policies.map(policyRef), ports: [] };
  for (const { port, protocol } of ports) {
    const pr: PortReach = { port, protocol, peers: [], refusals: [] };
    for (const p of policies) {
      const ns = p.metadata.namespace ?? 'default';
      const rules = p.spec.ingress ?? [];
      if (rules.length === 0) pr.refusals.push(`${ns}/${p.metadata.name}: no ingress rules (it only isolates)`);
      rules.forEach((rule, r) => {
        const pp = rule.ports ?? [];
        const lacks = pp.map((x) => matchPolicyPort(x, port, protocol, portPod));
        if (pp.length > 0 && !lacks.some((c) => c.ok)) {
          pr.refusals.push(
            `${ns}/${p.metadata.name} ingress[${r}]: ${lacks
              .map((c) => c.lack)
              .filter(Boolean)
              .join('; ')}`,
          );
          return;
        }
        const peers = rule.from ?? [];
        if (peers.length === 0) {
          pr.peers.push({ policy: policyRef(p), ruleIndex: r, peerIndex: null, peer: 'all peers', namespaces: [], pods: 0, unread: [], everyone: true });
          return;
        }
        peers.forEach((peer, i) => pr.peers.push(resolvePeer(idx, p, r, i, peer, know)));
      });
    }
    out.ports.push(pr);
  }
  return out;
}

export function resolvePeer(idx: WorldIndex, p: NetworkPolicy, r: number, i: number, peer: NetworkPolicyPeer, know: Knowledge): PeerReach {
  const base = {
    policy: policyRef(p),
    ruleIndex: r,
    peerIndex: i,
    peer: describePeer(peer),
    namespaces: [] as string[],
    pods: 0,
    unread: [] as string[],
    everyone: false,
  };
  if (peer.ipBlock) return { ...base, cidr: peer.ipBlock.cidr };
  const policyNs = p.metadata.namespace ?? 'default';
  let candidates: string[];
  if (peer.namespaceSelector) {
    candidates = idx.namespaceNames().filter((ns) => matchesSelector(peer.namespaceSelector!, idx.namespaceLabels(ns)));
    // An empty namespaceSelector alone admits every pod of every namespace.
    const emptyNs = Object.keys(peer.namespaceSelector.matchLabels ?? {}).length === 0 && (peer.namespaceSelector.matchExpressions ?? []).length === 0;
    if (emptyNs && !peer.podSelector) base.everyone = true;
    if (!know.namespacesKnown) base.unread.push('*');
  } else {
    candidates = [policyNs];
  }
  const sel = peer.podSelector ?? {};
  for (const ns of candidates) {
    const n = idx.selectPods(ns, sel).length;
    if (n > 0) {
      base.namespaces.push(ns);
      base.pods += n;
    } else if (!know.podsKnown(ns)) {
      base.unread.push(ns);
    }
  }
  return base;
}

/** True when a port is admitted from somewhere: a rule for every peer, a CIDR, a matched pod, or a peer that may match pods not read. */
export function portAdmitsAnyone(pr: PortReach, isolated: boolean): boolean {
  if (!isolated) return true;
  return pr.peers.some((x) => x.everyone || x.cidr !== undefined || x.pods > 0 || x.unread.length > 0);
}

/** One caller group: a workload (or a lone pod) of a namespace and what policy says about it. */
export interface Caller {
  namespace: string;
  /** "deployment/orders-api", "pod/debug-pod". */
  workload: string;
  pods: number;
  /** Admitted by the destination's ingress, but the caller's own egress policy blocks it. */
  egressBlocked: boolean;
}

/** "deployment/orders-api" from a pod's owner (a ReplicaSet's hash suffix removed), else "pod/NAME". */
export function workloadOf(pod: Pod): string {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!owner) return `pod/${pod.metadata.name}`;
  if (owner.kind === 'ReplicaSet') {
    const hash = pod.metadata.labels?.['pod-template-hash'];
    const name = hash && owner.name.endsWith(`-${hash}`) ? owner.name.slice(0, -hash.length - 1) : owner.name;
    return `deployment/${name}`;
  }
  return `${owner.kind.toLowerCase()}/${owner.name}`;
}

/**
 * Every known pod that may open a connection to `dst` on the port, grouped by workload. Pods are
 * folded by namespace, workload and the label keys policies read (the same verdict by construction);
 * one pod per fold is judged with the engine: the destination's ingress, then the caller's egress.
 * A fold holding `dst` itself is skipped only when `dst` is its representative (a pod calling its own
 * Service through another replica is a caller).
 */
export function callersOf(idx: WorldIndex, dst: Pod, port: number, protocol: Protocol, candidates: Pod[]): Caller[] {
  const groups = new Map<string, Caller>();
  const dstParty = { kind: 'pod' as const, pod: dst };
  for (const { pod, n, ns, workload } of foldsOf(idx, candidates)) {
    if (pod === dst) continue;
    const src = { kind: 'pod' as const, pod };
    if (!directionAllows(idx, 'ingress', dstParty, src, port, protocol)) continue;
    const egressBlocked = !directionAllows(idx, 'egress', src, dstParty, port, protocol);
    const key = `${ns}/${workload}/${egressBlocked}`;
    const g = groups.get(key);
    if (g) g.pods += n;
    else groups.set(key, { namespace: ns, workload, pods: n, egressBlocked });
  }
  return [...groups.values()].sort((a, b) => `${a.namespace}/${a.workload}`.localeCompare(`${b.namespace}/${b.workload}`));
}

interface Fold {
  pod: Pod;
  n: number;
  ns: string;
  workload: string;
}
const foldCache = new WeakMap<WorldIndex, WeakMap<Pod[], Fold[]>>();

/** Candidate pods folded once per (index, list): a sweep asks for the same list for every Service. */
function foldsOf(idx: WorldIndex, candidates: Pod[]): Fold[] {
  let byList = foldCache.get(idx);
  if (!byList) foldCache.set(idx, (byList = new WeakMap()));
  const hit = byList.get(candidates);
  if (hit) return hit;
  const keys = [...idx.policyLabelKeys()].sort();
  const folds = new Map<string, Fold>();
  for (const pod of candidates) {
    const labels = pod.metadata.labels ?? {};
    const ns = podNamespace(pod);
    const workload = workloadOf(pod);
    const k = JSON.stringify([ns, workload, keys.map((x) => labels[x] ?? null), !!pod.spec?.hostNetwork]);
    const f = folds.get(k);
    if (f) f.n++;
    else folds.set(k, { pod, n: 1, ns, workload });
  }
  const out = [...folds.values()];
  byList.set(candidates, out);
  return out;
}
