// Node agents on the nodes a run involves: the CNI's DaemonSet pod (Flannel, Calico, ...), the
// policy enforcer's, and kube-proxy's where it runs as a pod, with their recent log lines. One pod
// list per agent DaemonSet and one bounded log read per pod, all concurrent.

import type { Api } from '../cluster/api.js';
import { qs, readFailure } from '../cluster/api.js';
import { agentRole } from '../util/cni-fingerprint.js';
import { compareNames } from '../util/compare.js';
import type { NodeAgentFact, Read } from '../model/facts.js';
import type { Pod, Workload } from '../model/k8s.js';

/** Nodes whose agents are read (the source's, the endpoints', the CoreDNS replicas'). */
export const MAX_AGENT_NODES = 8;
const LOG_TAIL_LINES = 15;
const LOG_MAX_BYTES = 16384;

const enc = encodeURIComponent;

/** Lines about the data path (tunnel, lease, routes, interfaces) and errors; the rest is not kept. */
export const AGENT_LOG_KEEP =
  /lease|subnet|vxlan|tunnel|route|fdb|neigh|interface|iface|mtu|backend|podcidr|cidr|sync|iptables|ipset|error|fail|fatal|panic|unable|cannot|refused|timeout|E\d{4} /i;

function mainContainer(pod: Pod, ds: Workload): string | undefined {
  const names = pod.spec.containers.map((c) => c.name);
  // the container named like the DaemonSet (kube-flannel in kube-flannel-ds, calico-node, cilium-agent) or the first
  return names.find((n) => ds.metadata.name.startsWith(n)) ?? names.find((n) => n !== 'install-cni') ?? names[0];
}

function crashLooping(pod: Pod, container: string): boolean {
  const st = pod.status?.containerStatuses?.find((c) => c.name === container);
  return !!st && !st.state?.running && (st.restartCount ?? 0) > 0;
}

async function readLogs(api: Api, pod: Pod, container: string, previous: boolean): Promise<Read<string[]>> {
  const path = `/api/v1/namespaces/${enc(pod.metadata.namespace!)}/pods/${enc(pod.metadata.name)}/log${qs({
    container,
    tailLines: LOG_TAIL_LINES,
    limitBytes: LOG_MAX_BYTES,
    ...(previous ? { previous: 'true' } : {}),
  })}`;
  try {
    const text = await api.getText(path, { timeoutMs: 4000, maxBytes: LOG_MAX_BYTES });
    return { state: 'ok', value: text.split('\n').filter((l) => l && AGENT_LOG_KEEP.test(l)) };
  } catch (e) {
    return readFailure(e);
  }
}

/** Agents of `nodes` from the DaemonSets read earlier; never throws (reads become Read failures). */
export async function gatherNodeAgents(api: Api, daemonSets: Read<Workload[]>, nodes: string[]): Promise<Read<NodeAgentFact[]>> {
  if (daemonSets.state !== 'ok') return daemonSets.state === 'not-found' ? { state: 'ok', value: [] } : daemonSets;
  const involved = [...new Set(nodes.filter(Boolean))].sort().slice(0, MAX_AGENT_NODES);
  if (involved.length === 0) return { state: 'ok', value: [] };
  const agents = daemonSets.value
    .map((ds) => ({ ds, role: agentRole(ds) }))
    .filter((a): a is { ds: Workload; role: NodeAgentFact['role'] } => a.role !== undefined);
  const out: NodeAgentFact[] = [];
  let failure: Read<never> | undefined;
  await Promise.all(
    agents.map(async ({ ds, role }) => {
      const sel = ds.spec?.selector?.matchLabels ?? {};
      const labelSelector = Object.entries(sel)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      if (!labelSelector) return;
      const ns = ds.metadata.namespace!;
      const pods = await api.list<Pod>(`/api/v1/namespaces/${enc(ns)}/pods${qs({ labelSelector })}`);
      if (pods.state !== 'ok') {
        failure = pods;
        return;
      }
      await Promise.all(
        involved.map(async (node) => {
          const pod =
            pods.value.find((p) => p.spec.nodeName === node && !p.metadata.deletionTimestamp) ?? pods.value.find((p) => p.spec.nodeName === node) ?? null;
          const fact: NodeAgentFact = { node, role, daemonSet: `${ns}/${ds.metadata.name}`, pod };
          if (pod) {
            const container = mainContainer(pod, ds);
            if (container) {
              const previous = crashLooping(pod, container);
              fact.container = container;
              fact.logs = await readLogs(api, pod, container, previous);
              if (previous) fact.previousLogs = true;
            }
          }
          out.push(fact);
        }),
      );
    }),
  );
  if (out.length === 0 && failure) return failure;
  // compareNames: localeCompare's order without building ICU's collator (10-20 ms on the first call of a run)
  out.sort((a, b) => compareNames(a.node, b.node) || compareNames(a.role, b.role) || compareNames(a.daemonSet, b.daemonSet));
  return { state: 'ok', value: out };
}
