// Does one from/to peer match the other end of a flow? Selectors for pods, ipBlock for outside addresses.

import type { NetworkPolicyPeer } from '../model/k8s.js';
import { cidrContains, parseCidr, parseIp } from './cidr.js';
import { describeLabels, describeSelector, unmetRequirements } from '../util/selector.js';
import type { Party } from './types.js';
import { type WorldIndex } from './world-index.js';
import { podIPs, podNamespace } from '../util/pod.js';

export interface PeerCheck {
  ok: boolean;
  /** 0..2: how close a miss came (namespace part, pod part / cidr, except). */
  score: number;
  lacks: string[];
  notes: string[];
  /** "podSelector", "namespaceSelector", "namespaceSelector+podSelector", "ipBlock". */
  matchedBy: string;
}

/** Short label for the kind of peer. */
export function peerKind(peer: NetworkPolicyPeer): string {
  if (peer.ipBlock) return 'ipBlock';
  if (peer.namespaceSelector && peer.podSelector) return 'namespaceSelector+podSelector';
  if (peer.namespaceSelector) return 'namespaceSelector';
  if (peer.podSelector) return 'podSelector';
  return 'empty peer';
}

/**
 * Peer semantics: podSelector alone = pods in the policy's namespace; namespaceSelector alone = all pods
 * of matching namespaces; both in one peer = AND. ipBlock is about addresses outside the cluster: k8snet
 * judges pod-to-pod traffic by selectors only and reports an ipBlock that contains a pod IP as
 * implementation-dependent (Calico matches pod IPs by CIDR, others do not).
 */
export function matchPeer(idx: WorldIndex, policyNs: string, peer: NetworkPolicyPeer, other: Party): PeerCheck {
  const kind = peerKind(peer);
  if (peer.ipBlock) return matchIpBlock(peer.ipBlock, other, idx.world.ipBlockMatchesPods);
  if (!peer.namespaceSelector && !peer.podSelector) {
    return { ok: false, score: 0, lacks: ['peer sets neither a selector nor an ipBlock (the API server rejects this)'], notes: [], matchedBy: kind };
  }
  if (other.kind === 'external') {
    return {
      ok: false,
      score: 0,
      notes: [],
      matchedBy: kind,
      lacks: [`${kind} selects pods; ${other.ip} is outside the cluster (only ipBlock peers match it)`],
    };
  }
  const pod = other.pod;
  const ns = podNamespace(pod);
  const lacks: string[] = [];
  let score = 0;
  if (peer.namespaceSelector) {
    const nsLabels = idx.namespaceLabels(ns);
    const unmet = unmetRequirements(peer.namespaceSelector, nsLabels);
    if (unmet.length === 0) score++;
    else lacks.push(`namespaceSelector wants ${unmet.join(',')}; namespace ${ns} has ${describeLabels(nsLabels)}`);
  } else if (ns === policyNs) {
    score++;
  } else {
    lacks.push(`peer has no namespaceSelector, so it means namespace ${policyNs} only; pod is in namespace ${ns}`);
  }
  if (peer.podSelector) {
    const unmet = unmetRequirements(peer.podSelector, pod.metadata.labels);
    if (unmet.length === 0) score++;
    else lacks.push(`podSelector wants ${unmet.join(',')}; pod ${ns}/${pod.metadata.name} has ${describeLabels(pod.metadata.labels)}`);
  } else {
    score++;
  }
  return { ok: lacks.length === 0, score, lacks, notes: [], matchedBy: kind };
}

function matchIpBlock(block: { cidr: string; except?: string[] }, other: Party, matchesPods?: boolean | null): PeerCheck {
  const base = { matchedBy: 'ipBlock', notes: [] as string[] };
  const cidr = parseCidr(block.cidr);
  if (!cidr) return { ...base, ok: false, score: 0, lacks: [`ipBlock cidr "${block.cidr}" is not a valid CIDR`] };
  if (other.kind === 'pod') {
    const notes: string[] = [];
    for (const ipText of podIPs(other.pod)) {
      const ip = parseIp(ipText);
      if (ip && cidrContains(cidr, ip) && !exceptHit(block.except, ipText)) {
        // the CNI is known to match pod IPs by address: the rule admits the pod
        if (matchesPods === true)
          return { ...base, ok: true, score: 2, lacks: [], notes: [`ipBlock ${block.cidr} contains pod IP ${ipText}: this CNI matches pod IPs by ipBlock`] };
        notes.push(`ipBlock ${block.cidr} contains pod IP ${ipText}: ${IPBLOCK_POD_NOTE}`);
      }
    }
    const where = podIPs(other.pod).length === 0 ? ' (the pod has no IP yet)' : '';
    if (matchesPods === true && podIPs(other.pod).length > 0) {
      return {
        ...base,
        notes,
        ok: false,
        score: 0,
        lacks: [`ipBlock wants ${block.cidr}; pod ${podNamespace(other.pod)}/${other.pod.metadata.name} (${podIPs(other.pod).join(', ')}) is outside it`],
      };
    }
    return {
      ...base,
      notes,
      ok: false,
      score: 0,
      lacks: [
        `ipBlock ${block.cidr} is for addresses outside the cluster; pod ${podNamespace(other.pod)}/${other.pod.metadata.name} is judged by selectors${where}`,
      ],
    };
  }
  const ip = parseIp(other.ip);
  if (!ip || !cidrContains(cidr, ip)) {
    return { ...base, ok: false, score: 0, lacks: [`ipBlock wants ${block.cidr}; ${other.ip} is outside it`] };
  }
  const hit = exceptHit(block.except, other.ip);
  if (hit) return { ...base, ok: false, score: 1, lacks: [`${other.ip} is inside ipBlock ${block.cidr} but excluded by except ${hit}`] };
  return { ...base, ok: true, score: 2, lacks: [] };
}

/** The tail of the note for an ipBlock containing a pod IP where the CNI's behaviour is not known to be address matching. */
export const IPBLOCK_POD_NOTE =
  'implementation-dependent (Calico and kube-router match pod IPs by CIDR; Cilium and others match pods only by selectors). k8snet judges pod-to-pod traffic by selectors.';

/** The except entry containing the address, if any. */
function exceptHit(except: string[] | undefined, ipText: string): string | undefined {
  const ip = parseIp(ipText);
  if (!ip) return undefined;
  for (const e of except ?? []) {
    const c = parseCidr(e);
    if (c && cidrContains(c, ip)) return e;
  }
  return undefined;
}

/** For explanations: "namespaceSelector team=orders + podSelector app=web". */
export function describePeer(peer: NetworkPolicyPeer): string {
  if (peer.ipBlock) {
    const ex = peer.ipBlock.except?.length ? ` except ${peer.ipBlock.except.join(',')}` : '';
    return `ipBlock ${peer.ipBlock.cidr}${ex}`;
  }
  const parts: string[] = [];
  if (peer.namespaceSelector) parts.push(`namespaceSelector ${describeSelector(peer.namespaceSelector)}`);
  if (peer.podSelector) parts.push(`podSelector ${describeSelector(peer.podSelector)}`);
  return parts.join(' + ') || 'empty peer';
}
