// The CNI from the DaemonSet fingerprints (util/cni-fingerprint.ts) and node annotations: does it enforce NetworkPolicy?

import type { Facts, Read } from '../model/facts.js';
import type { CniInfo } from '../model/finding-data.js';
import type { Node, Workload } from '../model/k8s.js';
import { fingerprint, POLICY_ONLY, type Hit } from '../util/cni-fingerprint.js';

export type { CniInfo } from '../model/finding-data.js';

const NODE_HINTS: [RegExp, Hit][] = [
  [/^projectcalico\.org\//, { name: 'calico', enforces: true, why: 'node annotation projectcalico.org/*' }],
  [/^io\.cilium\./, { name: 'cilium', enforces: true, why: 'node annotation io.cilium.*' }],
  [/^kube-router\.io\//, { name: 'kube-router', enforces: true, why: 'node annotation kube-router.io/*' }],
  [/^flannel\.alpha\.coreos\.com\//, { name: 'flannel', enforces: false, why: 'node annotation flannel.alpha.coreos.com/* (and no policy engine found)' }],
];

/** The CNI and whether it enforces NetworkPolicy; "unknown" when nothing matches (e.g. a host-process CNI). */
export function detectCni(facts: Facts): CniInfo {
  return detectCniFrom(facts.daemonSets, facts.nodes);
}

/** Same as detectCni, from the two reads it needs (for `k8snet policy` in live mode). */
export function detectCniFrom(daemonSets: Read<Workload[]>, nodes: Read<Node[]>): CniInfo {
  const facts = { daemonSets, nodes };
  const hits: Hit[] = [];
  const evidence: string[] = [];
  if (facts.daemonSets.state === 'ok') {
    for (const ds of facts.daemonSets.value) {
      const h = fingerprint(ds);
      if (h) hits.push(notRunning(ds, h) ?? h);
    }
  } else {
    evidence.push(
      `DaemonSets could not be listed (${facts.daemonSets.state}${'message' in facts.daemonSets && facts.daemonSets.message ? `: ${facts.daemonSets.message}` : ''})`,
    );
  }
  if (hits.length === 0 && facts.nodes.state === 'ok') {
    for (const node of facts.nodes.value) {
      for (const key of Object.keys(node.metadata.annotations ?? {})) {
        const m = NODE_HINTS.find(([re]) => re.test(key));
        if (m && !hits.some((h) => h.name === m[1].name)) hits.push({ ...m[1], why: `node ${node.metadata.name}: ${m[1].why}` });
      }
    }
  }
  if (hits.length === 0) {
    return { name: 'unknown', enforcesPolicy: null, evidence: [...evidence, 'no known CNI DaemonSet or node annotation (the CNI may run as a host process)'] };
  }
  // A policy engine next to a plain network plugin (Flannel + Calico policy, ...) decides.
  const enforcing = hits.find((h) => h.enforces === true);
  const chosen = enforcing ?? hits.find((h) => h.enforces === null) ?? hits.find((h) => !POLICY_ONLY.has(h.name)) ?? hits[0];
  // a policy-only enforcer (kube-router, Azure NPM) next to the network plugin: name both
  const network = enforcing && POLICY_ONLY.has(enforcing.name) ? hits.find((h) => h.enforces === false && !POLICY_ONLY.has(h.name)) : undefined;
  const name = network ? `${network.name} + ${chosen.name}` : chosen.name;
  const stopped = enforcing ? undefined : hits.find((h) => h.stopped)?.stopped;
  return { name, enforcesPolicy: chosen.enforces, evidence: [...evidence, ...hits.map((h) => h.why)], ...(stopped ? { stoppedEnforcer: stopped } : {}) };
}

/**
 * An enforcer whose DaemonSet runs no ready pod enforces nothing (Flannel with the policy agent
 * stopped, scaled away or crash-looping). Only judged when the DaemonSet's status was read.
 */
function notRunning(ds: Workload, h: Hit): Hit | undefined {
  const st = ds.status;
  if (h.enforces !== true || !st || st.numberReady === undefined || st.numberReady > 0) return undefined;
  return {
    ...h,
    enforces: false,
    stopped: `${ds.metadata.namespace ?? ''}/${ds.metadata.name}`,
    why: `${h.why}, but DaemonSet ${ds.metadata.namespace ?? ''}/${ds.metadata.name} has no ready pod (numberReady 0 of ${st.desiredNumberScheduled ?? '?'} scheduled): nothing enforces NetworkPolicy`,
  };
}

/**
 * Whether the detected CNI matches ipBlock rules against pod IPs. Calico (and Canal) and kube-router
 * turn an ipBlock into an address match (ipsets / CIDR selectors) whatever the address belongs to;
 * Cilium matches pods only by identity (selectors). Null for every other or unknown CNI: k8snet then
 * cannot tell what an ipBlock containing a pod IP does.
 */
export function ipBlockMatchesPodIPs(cni: Pick<CniInfo, 'name' | 'enforcesPolicy'>): boolean | null {
  if (cni.enforcesPolicy !== true) return null;
  const names = cni.name.split(' + ');
  if (names.some((n) => n === 'calico' || n === 'canal' || n === 'kube-router')) return true;
  if (names.includes('cilium')) return false;
  return null;
}
