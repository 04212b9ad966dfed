// What a DaemonSet is, from its name, labels, images and flags: which CNI or NetworkPolicy enforcer
// (and whether it enforces), or kube-proxy. The fingerprints gather (which node agents to read) and
// the CNI check (checks/cni.ts: does the cluster enforce NetworkPolicy?) both use.

import type { Container, Workload } from '../model/k8s.js';

export interface Hit {
  name: string;
  enforces: boolean | null;
  why: string;
  stopped?: string;
}

export function containersOf(ds: Workload): Container[] {
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

export function fingerprint(ds: Workload): Hit | undefined {
  const n = ds.metadata.name;
  const ns = ds.metadata.namespace ?? '';
  const labels = { ...(ds.metadata.labels ?? {}), ...(ds.spec?.template?.metadata?.labels ?? {}) };
  const cs = containersOf(ds);
  const images = cs.map((c) => c.image ?? '');
  const hasImage = (re: RegExp) => images.some((i) => re.test(i));
  const at = `DaemonSet ${ns}/${n}`;
  if (n === 'canal' || labels['k8s-app'] === 'canal') return { name: 'canal', enforces: true, why: `${at}: Canal (Flannel networking + Calico policy)` };
  if (/^calico-node/.test(n) || labels['k8s-app'] === 'calico-node' || hasImage(/calico\/node/))
    return { name: 'calico', enforces: true, why: `${at}: Calico enforces NetworkPolicy` };
  if (n === 'cilium' || labels['k8s-app'] === 'cilium' || hasImage(/cilium\/cilium(:|@|$)/) || n === 'anetd') {
    return { name: 'cilium', enforces: true, why: `${at}: Cilium enforces NetworkPolicy${n === 'anetd' ? ' (GKE Dataplane V2)' : ''}` };
  }
  if (n === 'aws-node' || labels['k8s-app'] === 'aws-node') {
    const agent = cs.find((c) => /aws-network-policy-agent/.test(c.image ?? '') || c.name === 'aws-eks-nodeagent');
    const enable = agent ? flag(agent, '--enable-network-policy') : undefined;
    if (agent && enable === 'true')
      return { name: 'aws-vpc-cni', enforces: true, why: `${at}: container ${agent.name} runs with --enable-network-policy=true` };
    if (agent)
      return {
        name: 'aws-vpc-cni',
        enforces: false,
        why: `${at}: container ${agent.name} present but --enable-network-policy is ${enable ?? 'not set (default false)'}`,
      };
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
  if (/flannel/.test(n) || labels.app === 'flannel' || hasImage(/flannel(:|@|$)/))
    return { name: 'flannel', enforces: false, why: `${at}: Flannel alone does not enforce NetworkPolicy` };
  return undefined;
}

/** Agents that enforce NetworkPolicy but do not provide the pod network themselves. */
export const POLICY_ONLY = new Set(['kube-router', 'azure-npm']);

/**
 * The role of a DaemonSet on each node, for the per-node evidence: the CNI agent, a policy-only
 * enforcer, or kube-proxy; undefined for anything else.
 */
export function agentRole(ds: Workload): 'cni' | 'policy' | 'kube-proxy' | undefined {
  const labels = { ...(ds.metadata.labels ?? {}), ...(ds.spec?.template?.metadata?.labels ?? {}) };
  if (ds.metadata.name === 'kube-proxy' || labels['k8s-app'] === 'kube-proxy' || containersOf(ds).some((c) => /\/kube-proxy(:|@|$)/.test(c.image ?? '')))
    return 'kube-proxy';
  const hit = fingerprint(ds);
  if (!hit) return undefined;
  return POLICY_ONLY.has(hit.name) ? 'policy' : 'cni';
}
