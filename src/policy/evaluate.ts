// The verdict engine: isolation per direction, union of allowing rules, closest misses when denied.

import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Pod } from '../model/k8s.js';
import { matchPeer, type PeerCheck } from './peers.js';
import { matchPolicyPort, type PortCheck } from './ports.js';
import type { Direction, DirectionResult, Flow, Miss, Party, PartyRef, PolicyRef, Protocol, RuleRef, Verdict } from './types.js';
import { type WorldIndex } from './world-index.js';
import { podIPs, podNamespace } from '../util/pod.js';

export function policyRef(p: NetworkPolicy): PolicyRef {
  return { namespace: p.metadata.namespace ?? 'default', name: p.metadata.name };
}

export function partyRef(p: Party): PartyRef {
  if (p.kind === 'external') return { kind: 'external', ip: p.ip };
  const ips = podIPs(p.pod);
  return {
    kind: 'pod',
    namespace: podNamespace(p.pod),
    name: p.pod.metadata.name,
    ...(ips.length > 0 ? { ip: ips[0] } : {}),
    labels: p.pod.metadata.labels ?? {},
    ...(p.pod.spec?.hostNetwork ? { hostNetwork: true } : {}),
    ...(p.origin ? { origin: p.origin } : {}),
  };
}

export function describeParty(p: Party): string {
  return p.kind === 'external' ? p.ip : `${podNamespace(p.pod)}/${p.pod.metadata.name}`;
}

interface RuleCheck {
  ok: boolean;
  score: number;
  peerIndex: number | null;
  portIndex: number | null;
  matchedBy: string;
  lacks: string[];
  notes: string[];
}

const ALL_PEERS: PeerCheck = { ok: true, score: 2, lacks: [], notes: [], matchedBy: 'all peers' };

function checkRule(
  idx: WorldIndex,
  policyNs: string,
  peers: NetworkPolicyPeer[] | undefined,
  ports: NetworkPolicyPort[] | undefined,
  other: Party,
  port: number,
  protocol: Protocol,
  portPod: Pod | undefined,
): RuleCheck {
  // Peers: missing or empty = every peer. Otherwise the list is ORed.
  let peer = ALL_PEERS;
  let peerIndex: number | null = null;
  const notes: string[] = [];
  if (peers && peers.length > 0) {
    let best: PeerCheck | undefined;
    for (let i = 0; i < peers.length; i++) {
      const c = matchPeer(idx, policyNs, peers[i], other);
      notes.push(...c.notes);
      if (c.ok) {
        best = c;
        peerIndex = i;
        break;
      }
      if (!best || c.score > best.score) {
        best = c;
        peerIndex = i;
      }
    }
    peer = best!;
  }
  // Ports: missing or empty = every port. Otherwise ORed.
  let portCheck: PortCheck = { ok: true };
  let portIndex: number | null = null;
  if (ports && ports.length > 0) {
    let best: PortCheck | undefined;
    for (let i = 0; i < ports.length; i++) {
      const c = matchPolicyPort(ports[i], port, protocol, portPod);
      if (c.note) notes.push(c.note);
      if (c.ok) {
        best = c;
        portIndex = i;
        break;
      }
      if (!best) {
        best = c;
        portIndex = i;
      }
    }
    portCheck = best!;
  }
  const lacks = [...peer.lacks, ...(portCheck.ok || !portCheck.lack ? [] : [portCheck.lack])];
  return {
    ok: peer.ok && portCheck.ok,
    score: (peer.ok ? 3 : peer.score) + (portCheck.ok ? 0.5 : 0),
    peerIndex,
    portIndex,
    matchedBy: peer.matchedBy,
    lacks,
    notes,
  };
}

/**
 * One direction of a flow. `self` is the pod whose policies are read (the source for egress, the
 * destination for ingress), `other` the far end. A pod is isolated in a direction only when a policy
 * of its namespace selects it with that direction in policyTypes; unisolated directions allow all.
 */
export function evaluateDirection(idx: WorldIndex, direction: Direction, self: Party, other: Party, port: number, protocol: Protocol): DirectionResult {
  const base = { direction, selectedBy: [] as PolicyRef[], allowedBy: [] as RuleRef[], misses: [] as Miss[], notes: [] as string[] };
  if (self.kind === 'external') {
    const side = direction === 'egress' ? 'source' : 'destination';
    const otherSide = direction === 'egress' ? "destination's ingress" : "source's egress";
    return {
      ...base,
      evaluated: false,
      isolated: false,
      allowed: true,
      skippedReason: `the ${side} ${self.ip} is outside the cluster: no NetworkPolicy applies to it; only the ${otherSide} is evaluated`,
    };
  }
  if (self.pod.spec?.hostNetwork) {
    return {
      ...base,
      evaluated: false,
      isolated: false,
      allowed: true,
      skippedReason: `${describeParty(self)} uses the host network: NetworkPolicy does not apply to it in most CNIs, so its ${direction} is not restricted`,
    };
  }
  const selecting = idx.selectingPolicies(self.pod, direction);
  const result: DirectionResult = { ...base, evaluated: true, isolated: selecting.length > 0, allowed: selecting.length === 0 };
  result.selectedBy = selecting.map(policyRef);
  const portPod = direction === 'ingress' ? self.pod : other.kind === 'pod' ? other.pod : undefined;
  const notes = new Set<string>();
  for (const p of selecting) {
    const ns = p.metadata.namespace ?? 'default';
    const rules = direction === 'ingress' ? p.spec.ingress : p.spec.egress;
    let best: (RuleCheck & { ruleIndex: number }) | undefined;
    for (let r = 0; r < (rules?.length ?? 0); r++) {
      const rule = rules![r] as { from?: NetworkPolicyPeer[]; to?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] };
      const c = checkRule(idx, ns, direction === 'ingress' ? rule.from : rule.to, rule.ports, other, port, protocol, portPod);
      for (const n of c.notes) notes.add(n);
      if (c.ok) {
        result.allowedBy.push({ policy: policyRef(p), ruleIndex: r, peerIndex: c.peerIndex, portIndex: c.portIndex, matchedBy: c.matchedBy });
      } else if (!best || c.score > best.score) {
        best = { ...c, ruleIndex: r };
      }
    }
    if (!rules || rules.length === 0) {
      result.misses.push({
        policy: policyRef(p),
        ruleIndex: null,
        peerIndex: null,
        portIndex: null,
        lacks: [`policy has no ${direction} rules: it only isolates the pod (deny all ${direction})`],
      });
    } else if (best) {
      result.misses.push({ policy: policyRef(p), ruleIndex: best.ruleIndex, peerIndex: best.peerIndex, portIndex: best.portIndex, lacks: best.lacks });
    }
  }
  if (result.allowedBy.length > 0) {
    result.allowed = true;
    result.misses = [];
  }
  result.notes = [...notes];
  return result;
}

/** Judge a flow: allowed only if the source's egress AND the destination's ingress both allow it. */
export function evaluateFlow(idx: WorldIndex, flow: Flow): Verdict {
  const egress = evaluateDirection(idx, 'egress', flow.src, flow.dst, flow.port, flow.protocol);
  const ingress = evaluateDirection(idx, 'ingress', flow.dst, flow.src, flow.port, flow.protocol);
  const notes: string[] = [];
  for (const [role, p] of [
    ['source', flow.src],
    ['destination', flow.dst],
  ] as const) {
    if (p.kind === 'pod') {
      if (p.origin) notes.push(`${role} ${describeParty(p)}: ${p.origin}`);
      if (podIPs(p.pod).length === 0 && !p.template) notes.push(`${role} ${describeParty(p)} has no IP yet: selectors still apply to it, ipBlock rules cannot`);
    }
  }
  if (flow.src.kind === 'pod' && flow.src.pod.spec?.hostNetwork && flow.dst.kind === 'pod' && ingress.isolated) {
    notes.push(
      `source ${describeParty(flow.src)} uses the host network: its packets carry the node IP, and many CNIs do not match it by podSelector/namespaceSelector - the ingress result is implementation-dependent`,
    );
  }
  return {
    allowed: egress.allowed && ingress.allowed,
    src: partyRef(flow.src),
    dst: partyRef(flow.dst),
    port: flow.port,
    protocol: flow.protocol,
    ...(flow.servicePort !== undefined ? { servicePort: flow.servicePort } : {}),
    egress,
    ingress,
    notes,
    lints: [],
  };
}

/** Fast yes/no for matrices: same semantics as evaluateFlow without building explanations. */
export function isFlowAllowed(idx: WorldIndex, src: Party, dst: Party, port: number, protocol: Protocol): boolean {
  return directionAllows(idx, 'egress', src, dst, port, protocol) && directionAllows(idx, 'ingress', dst, src, port, protocol);
}

/** One direction, yes or no, without explanations (matrices, callers). */
export function directionAllows(idx: WorldIndex, direction: Direction, self: Party, other: Party, port: number, protocol: Protocol): boolean {
  if (self.kind === 'external' || self.pod.spec?.hostNetwork) return true;
  const selecting = idx.selectingPolicies(self.pod, direction);
  if (selecting.length === 0) return true;
  const portPod = direction === 'ingress' ? self.pod : other.kind === 'pod' ? other.pod : undefined;
  for (const p of selecting) {
    const ns = p.metadata.namespace ?? 'default';
    const rules: { from?: NetworkPolicyPeer[]; to?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[] | undefined =
      direction === 'ingress' ? p.spec.ingress : p.spec.egress;
    for (const rule of rules ?? []) {
      const peers = direction === 'ingress' ? rule.from : rule.to;
      const peerOk = !peers || peers.length === 0 || peers.some((peer) => matchPeer(idx, ns, peer, other).ok);
      if (!peerOk) continue;
      const ports = rule.ports;
      if (!ports || ports.length === 0 || ports.some((pp) => matchPolicyPort(pp, port, protocol, portPod).ok)) return true;
    }
  }
  return false;
}
