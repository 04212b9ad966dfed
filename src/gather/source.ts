// Resolves --from to one Ready pod (a Pod, a workload's pod, or pods labelled app=NAME) and picks
// the container probes run in: the one asked for, else the first container that has a shell.

import type { Api } from '../cluster/api.js';
import { qs } from '../cluster/api.js';
import type { Pod, Workload } from '../model/k8s.js';
import type { Read, SourceFacts } from '../model/facts.js';
import { isRunningAndReady } from '../util/pod.js';
import { selectorToString } from '../util/selector.js';
import { compareNames } from '../util/compare.js';

export interface SourceSpec {
  namespace: string;
  name?: string;
  selector?: string;
}

type Resolved = Pick<SourceFacts, 'resolvedVia' | 'resolvedFrom' | 'pod' | 'candidates' | 'readyCandidates'>;

const WORKLOADS: { kind: SourceFacts['resolvedVia']; path: string }[] = [
  { kind: 'deployment', path: 'apis/apps/v1/namespaces/%s/deployments/%s' },
  { kind: 'statefulset', path: 'apis/apps/v1/namespaces/%s/statefulsets/%s' },
  { kind: 'daemonset', path: 'apis/apps/v1/namespaces/%s/daemonsets/%s' },
  { kind: 'replicaset', path: 'apis/apps/v1/namespaces/%s/replicasets/%s' },
];

/** Find the source pod. not-found carries a sentence saying everything that was tried. */
export async function resolveSourcePod(api: Api, spec: SourceSpec): Promise<Read<Resolved>> {
  const ns = encodeURIComponent(spec.namespace);
  if (spec.selector) {
    const listed = api.list<Pod>(`/api/v1/namespaces/${ns}/pods${qs({ labelSelector: spec.selector })}`);
    return pickFrom(listed, spec.namespace, 'selector', `selector ${spec.selector}`);
  }
  const name = spec.name!;
  const n = encodeURIComponent(name);
  // Pod lists by selector, each asked once. Pods labelled app=NAME are asked for at once, beside the
  // reads below: it is the selector of most workloads named NAME (then no second round trip) and the
  // first fallback when no pod or workload has that name.
  const lists = new Map<string, Promise<Read<Pod[]>>>();
  const listPods = (selector: string) => {
    if (!lists.has(selector)) lists.set(selector, api.list<Pod>(`/api/v1/namespaces/${ns}/pods${qs({ labelSelector: selector })}`));
    return lists.get(selector)!;
  };
  void listPods(`app=${name}`);
  // A pod and every workload kind are asked for at once; the first that exists wins, in this order.
  // A workload's pods are listed as soon as the workload arrives (not after every read answered);
  // the list is used only when that workload wins.
  const workloadReads = WORKLOADS.map((w) => api.read<Workload>('/' + w.path.replace('%s', ns).replace('%s', n)));
  const podLists = workloadReads.map((p, i) =>
    p.then((w) => {
      if (w.state !== 'ok' || !w.value.spec.selector) return undefined;
      const selector = selectorToString(w.value.spec.selector);
      return pickFrom(listPods(selector), spec.namespace, WORKLOADS[i].kind, `${WORKLOADS[i].kind}/${name}`);
    }),
  );
  const [pod, ...workloads] = await Promise.all([api.read<Pod>(`/api/v1/namespaces/${ns}/pods/${n}`), ...workloadReads]);
  if (pod.state === 'ok') {
    return {
      state: 'ok',
      value: { resolvedVia: 'pod', resolvedFrom: `pod/${name}`, pod: pod.value, candidates: 1, readyCandidates: isRunningAndReady(pod.value) ? 1 : 0 },
    };
  }
  const failures = [pod, ...workloads].filter((r) => r.state !== 'ok' && r.state !== 'not-found');
  for (const [i, w] of workloads.entries()) {
    if (w.state === 'ok' && w.value.spec.selector) return (await podLists[i])!;
  }
  // no pod or workload of that name: pods labelled with it (both labels asked for at once, app= first)
  const labelled = (
    [
      ['label-app', 'app'],
      ['label-app.kubernetes.io/name', 'app.kubernetes.io/name'],
    ] as const
  ).map(([via, key]) => pickFrom(listPods(`${key}=${name}`), spec.namespace, via, `pods labelled ${key}=${name}`));
  for (const p of labelled) {
    const r = await p;
    if (r.state !== 'not-found') return r;
  }
  if (failures.length > 0) {
    const f = failures[0];
    return { state: f.state, message: f.message };
  }
  return {
    state: 'not-found',
    message:
      `no pod, Deployment, StatefulSet, DaemonSet or ReplicaSet named "${name}" in namespace "${spec.namespace}", ` +
      `and no pod labelled app=${name} or app.kubernetes.io/name=${name}`,
  };
}

async function pickFrom(listed: Promise<Read<Pod[]>>, namespace: string, via: SourceFacts['resolvedVia'], from: string): Promise<Read<Resolved>> {
  const r = await listed;
  if (r.state !== 'ok') return r;
  const pods = r.value.filter((p) => !p.metadata.deletionTimestamp);
  if (pods.length === 0) return { state: 'not-found', message: `${from} matches no pods in namespace "${namespace}"` };
  const ready = pods.filter(isRunningAndReady).sort((a, b) => compareNames(a.metadata.name, b.metadata.name));
  const running = pods.filter((p) => p.status?.phase === 'Running');
  const pod = ready[0] ?? running[0] ?? pods[0];
  return { state: 'ok', value: { resolvedVia: via, resolvedFrom: from, pod, candidates: pods.length, readyCandidates: ready.length } };
}

/** Containers to try, in order: the one asked for, the default-container annotation, then all running ones. */
export function containerOrder(pod: Pod, asked?: string): string[] {
  if (asked) return [asked];
  const running = new Set((pod.status?.containerStatuses ?? []).filter((s) => s.state?.running).map((s) => s.name));
  const names = pod.spec.containers.map((c) => c.name);
  const preferred = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  const ordered = preferred && names.includes(preferred) ? [preferred, ...names.filter((n) => n !== preferred)] : names;
  const live = ordered.filter((n) => running.size === 0 || running.has(n));
  return live.length ? live : ordered;
}
