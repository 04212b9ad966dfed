// Fingerprints the CNI from DaemonSets (names, images, labels, args) and node annotations: does it enforce NetworkPolicy?

import type { Facts, Read } from '../model/facts.js';
import type { CniInfo } from '../model/finding-data.js';
import type { Container, Node, Workload } from '../model/k8s.js';

export type { CniInfo } from '../model/finding-data.js';

interface Hit { name: string; enforces: boolean | null; why: string; stopped?: string }

function containersOf(ds: Workload): Container[] {
  const spec = ds.spec?.template?.spec;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
}

/** Value of "--flag=value" or "--flag value" in a container's command/args. */
function flag(c: Container, name: string): string | undefined {
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith(`${name}=`)) return argv[i].slice(name.length + 1);
    if (argv[i] === name) return argv[i + 1]?.startsWith('--') || argv[i + 1] === undefined ? 'true' : argv[i + 1];
  }
  return undefined;
}

function fingerprint(ds: Workload): Hit | undefined {
  const n = ds.metadata.name;
  const ns = ds.metadata.namespace ?? '';
  const labels = { ...(ds.metadata.labels ?? {}), ...(ds.spec?.template?.metadata?.labels ?? {}) };
  const cs = containersOf(ds);
  const images = cs.map((c) => c.image ?? '');
  const hasImage = (re: RegExp) => images.some((i) => re.test(i));
  const at = `DaemonSet ${ns}/${n}`;
  if (n === 'canal' || labels['k8s-app'] === 'canal') return { name: 'canal', enforces: true, why: `${at}: Canal (Flannel networking + Calico policy)` };
  if (/^calico-node/.test(n) || labels['k8s-app'] === 'calico-node' || hasImage(/calico\/node/)) return { name: 'calico', enforces: true, why: `${at}: Calico enforces NetworkPolicy` };
  if (n === 'cilium' || labels['k8s-app'] === 'cilium' || hasImage(/cilium\/cilium(:|@|$)/) || n === 'anetd') {
    return { name: 'cilium', enforces: true, why: `${at}: Cilium enforces NetworkPolicy${n === 'anetd' ? ' (GKE Dataplane V2)' : ''}` };
  }
  if (n === 'aws-node' || labels['k8s-app'] === 'aws-node') {
    const agent = cs.find((c) => /aws-network-policy-agent/.test(c.image ?? '') || c.name === 'aws-eks-nodeagent');
    const enable = agent ? flag(agent, '--enable-network-policy') : undefined;
    if (agent && enable === 'true') return { name: 'aws-vpc-cni', enforces: true, why: `${at}: container ${agent.name} runs with --enable-network-policy=true` };
    if (agent) return { name: 'aws-vpc-cni', enforces: false, why: `${at}: container ${agent.name} present but --enable-network-policy is ${enable ?? 'not set (default false)'}` };
    return { name: 'aws-vpc-cni', enforces: false, why: `${at}: AWS VPC CNI without the network policy agent container does not enforce NetworkPolicy` };
  }
  if (/^weave-net/.test(n) || labels.name === 'weave-net') return { name: 'weave', enforces: true, why: `${at}: Weave Net runs weave-npc` };
  if (/^antrea-agent/.test(n) || labels.component === 'antrea-agent') return { name: 'antrea', enforces: true, why: `${at}: Antrea enforces NetworkPolicy` };
  if (/^kube-router/.test(n) || labels['k8s-app'] === 'kube-router') {
    const fw = cs.map((c) => flag(c, '--run-firewall')).find((v) => v !== undefined);
    return fw === 'false'
      ? { name: 'kube-router', enforces: false, why: `${at}: kube-router with --run-firewall=false` }
      : { name: 'kube-router', enforces: true, why: `${at}: kube-router (network policy controller on by default)` };
  }
  if (/^ovnkube-node/.test(n) || /^kube-ovn-cni/.test(n)) return { name: 'ovn-kubernetes', enforces: true, why: `${at}: OVN-based CNI enforces NetworkPolicy` };
  if (n === 'azure-npm' || /^azure-npm/.test(n)) return { name: 'azure-npm', enforces: true, why: `${at}: Azure Network Policy Manager` };
  if (/^kindnet/.test(n) || labels.app === 'kindnet') {
    // kindnetd gained NetworkPolicy support (kube-network-policies) with --network-policy; older kind
    // releases shipped kindnet without it. Without the flag k8snet cannot tell which one runs.
    const np = cs.map((c) => flag(c, '--network-policy')).find((v) => v !== undefined);
    if (np === 'true') return { name: 'kindnet', enforces: true, why: `${at}: kindnetd runs with --network-policy=true` };
    if (np === 'false') return { name: 'kindnet', enforces: false, why: `${at}: kindnetd runs with --network-policy=false` };
    return { name: 'kindnet', enforces: null, why: `${at}: kindnet enforces NetworkPolicy only in newer releases (--network-policy); version unknown` };
  }
  if (/flannel/.test(n) || labels.app === 'flannel' || hasImage(/flannel(:|@|$)/)) return { name: 'flannel', enforces: false, why: `${at}: Flannel alone does not enforce NetworkPolicy` };
  return undefined;
}

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
    evidence.push(`DaemonSets could not be listed (${facts.daemonSets.state}${'message' in facts.daemonSets && facts.daemonSets.message ? `: ${facts.daemonSets.message}` : ''})`);
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

/** Agents that enforce NetworkPolicy but do not provide the pod network themselves. */
const POLICY_ONLY = new Set(['kube-router', 'azure-npm']);

/**
 * The role of a DaemonSet on each node, for the per-node evidence: the CNI agent, a policy-only
 * enforcer, or kube-proxy; undefined for anything else.
 */
export function agentRole(ds: Workload): 'cni' | 'policy' | 'kube-proxy' | undefined {
  const labels = { ...(ds.metadata.labels ?? {}), ...(ds.spec?.template?.metadata?.labels ?? {}) };
  if (ds.metadata.name === 'kube-proxy' || labels['k8s-app'] === 'kube-proxy' || containersOf(ds).some((c) => /\/kube-proxy(:|@|$)/.test(c.image ?? ''))) return 'kube-proxy';
  const hit = fingerprint(ds);
  if (!hit) return undefined;
  return POLICY_ONLY.has(hit.name) ? 'policy' : 'cni';
}

/**
 * An enforcer whose DaemonSet runs no ready pod enforces nothing (Flannel with the policy agent
 * stopped, scaled away or crash-looping). Only judged when the DaemonSet's status was read.
 */
function notRunning(ds: Workload, h: Hit): Hit | undefined {
  const st = ds.status;
  if (h.enforces !== true || !st || st.numberReady === undefined || st.numberReady > 0) return undefined;
  return { ...h, enforces: false, stopped: `${ds.metadata.namespace ?? ''}/${ds.metadata.name}`, why: `${h.why}, but DaemonSet ${ds.metadata.namespace ?? ''}/${ds.metadata.name} has no ready pod (numberReady 0 of ${st.desiredNumberScheduled ?? '?'} scheduled): nothing enforces NetworkPolicy` };
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
