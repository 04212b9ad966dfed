// Reads the part of a live cluster that `k8snet policy` needs: namespaces, and the pods,
// workloads, Services and NetworkPolicies of the namespaces involved (namespaced reads only), and
// the DaemonSets and nodes the CNI is detected from.

import type { Api } from '../cluster/api.js';
import { qs } from '../cluster/api.js';
import { ClusterError } from '../errors.js';
import type { Namespace, NetworkPolicy, Node, Pod, Service, Workload } from '../model/k8s.js';
import type { Read } from '../model/facts.js';
import type { PolicyWorld } from '../policy/types.js';

const enc = encodeURIComponent;

function must<T>(r: Read<T>, what: string): T {
  if (r.state === 'ok') return r.value;
  if (r.state === 'not-found') return [] as unknown as T;
  throw new ClusterError({
    kind: r.state === 'forbidden' ? 'forbidden' : r.state === 'timeout' ? 'timeout' : 'unreachable',
    message: `could not ${what}`,
    why: r.message,
    next: r.state === 'forbidden' ? 'ask for read access (`k8snet rbac` prints the role k8snet needs)' : 'check the API server, or raise --timeout',
  });
}

/** A world read from the cluster: it always keeps the reads the CNI is detected from. */
export type LivePolicyWorld = PolicyWorld & Required<Pick<PolicyWorld, 'cniReads'>>;

/** Namespaces mentioned by SRC/DST/--matrix, plus the namespaces of pods owning the given IPs. */
export async function readPolicyWorld(api: Api, namespaces: string[] | 'all', ips: string[]): Promise<LivePolicyWorld> {
  const [nsRead, daemonSets, nodes] = await Promise.all([
    api.list<Namespace>('/api/v1/namespaces'),
    api.list<Workload>('/apis/apps/v1/daemonsets'),
    api.list<Node>('/api/v1/nodes'),
  ]);
  const allNs = must(nsRead, 'list namespaces');
  const wanted = new Set(namespaces === 'all' ? allNs.map((n) => n.metadata.name) : namespaces);
  // An address may be a pod IP: find its pod cluster-wide with a field selector (one small read per IP).
  const ipPods = await Promise.all(ips.map((ip) => api.list<Pod>(`/api/v1/pods${qs({ fieldSelector: `status.podIP=${ip}` })}`)));
  for (const r of ipPods) for (const p of must(r, 'find pods by IP')) wanted.add(p.metadata.namespace!);
  const perNs = await Promise.all(
    [...wanted].map(async (ns) => {
      const [pods, services, policies, deployments, statefulsets, daemonsets] = await Promise.all([
        api.list<Pod>(`/api/v1/namespaces/${enc(ns)}/pods`),
        api.list<Service>(`/api/v1/namespaces/${enc(ns)}/services`),
        api.list<NetworkPolicy>(`/apis/networking.k8s.io/v1/namespaces/${enc(ns)}/networkpolicies`),
        api.list<Workload>(`/apis/apps/v1/namespaces/${enc(ns)}/deployments`),
        api.list<Workload>(`/apis/apps/v1/namespaces/${enc(ns)}/statefulsets`),
        api.list<Workload>(`/apis/apps/v1/namespaces/${enc(ns)}/daemonsets`),
      ]);
      const kinds = (items: Workload[], kind: string) => items.map((w) => ({ ...w, kind }));
      return {
        pods: must(pods, `list pods in ${ns}`).filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed'),
        services: must(services, `list services in ${ns}`),
        policies: must(policies, `list networkpolicies in ${ns}`),
        workloads: [
          ...kinds(must(deployments, `list deployments in ${ns}`), 'Deployment'),
          ...kinds(must(statefulsets, `list statefulsets in ${ns}`), 'StatefulSet'),
          ...kinds(must(daemonsets, `list daemonsets in ${ns}`), 'DaemonSet'),
        ],
      };
    }),
  );
  return {
    namespaces: allNs,
    pods: perNs.flatMap((x) => x.pods),
    services: perNs.flatMap((x) => x.services),
    policies: perNs.flatMap((x) => x.policies),
    workloads: perNs.flatMap((x) => x.workloads),
    // the facts the CNI is judged from (the caller judges: a forbidden DaemonSet list leaves it unknown)
    cniReads: { daemonSets, nodes },
    origin: 'live',
  };
}
