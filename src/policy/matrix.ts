// Reachability matrices: namespace x namespace (share of pod pairs allowed) and pod x pod, on one port.

import type { Pod } from '../model/k8s.js';
import { isFlowAllowed } from './evaluate.js';
import { resolveNamedPort } from './ports.js';
import { templatePod } from './resolve.js';
import type { Protocol } from './types.js';
import { type WorldIndex } from './world-index.js';
import { podNamespace } from '../util/pod.js';

export interface MatrixCell {
  /** Pod pairs (source pod, destination pod) whose flow is allowed. */
  allowed: number;
  total: number;
  /** all | none | some; "empty" when either namespace has no pods; "no-port" when no destination pod has the named port. */
  summary: 'all' | 'none' | 'some' | 'empty' | 'no-port';
}

export interface NamespaceMatrix {
  namespaces: string[];
  port: number | string;
  protocol: Protocol;
  /** cells[i][j]: from namespaces[i] to namespaces[j]. */
  cells: MatrixCell[][];
  /** Namespaces whose members are workload templates (no pods loaded). */
  templated: string[];
}

interface Member {
  pod: Pod;
  weight: number;
}

/**
 * Pods of a namespace folded by what a verdict can depend on: the label keys policies read, the
 * declared ports (named ports) and hostNetwork. Workload templates when the namespace has no pods.
 */
function members(idx: WorldIndex, ns: string, templated: string[]): Member[] {
  let pods = idx.podsIn(ns);
  if (pods.length === 0) {
    pods = idx.world.workloads.filter((w) => (w.metadata.namespace ?? 'default') === ns).map(templatePod);
    if (pods.length > 0) templated.push(ns);
  }
  const groups = new Map<string, Member>();
  const keys = [...idx.policyLabelKeys()].sort();
  for (const pod of pods) {
    const labels = pod.metadata.labels ?? {};
    const key = JSON.stringify([keys.map((k) => labels[k] ?? null), pod.spec?.containers?.map((c) => c.ports ?? []), !!pod.spec?.hostNetwork]);
    const g = groups.get(key);
    if (g) g.weight++;
    else groups.set(key, { pod, weight: 1 });
  }
  return [...groups.values()];
}

function portOf(port: number | string, pod: Pod, protocol: Protocol): number | undefined {
  return typeof port === 'number' ? port : resolveNamedPort(pod, port, protocol);
}

/** Who may reach whom, namespace by namespace, on one pod port (number, or a name resolved per pod). */
export function namespaceMatrix(idx: WorldIndex, namespaces: string[], port: number | string, protocol: Protocol): NamespaceMatrix {
  const templated: string[] = [];
  const mem = namespaces.map((ns) => members(idx, ns, templated));
  const cells = mem.map((srcs) =>
    mem.map((dsts): MatrixCell => {
      if (srcs.length === 0 || dsts.length === 0) return { allowed: 0, total: 0, summary: 'empty' };
      let allowed = 0;
      let total = 0;
      for (const d of dsts) {
        const p = portOf(port, d.pod, protocol);
        if (p === undefined) continue;
        for (const s of srcs) {
          const w = s.weight * d.weight;
          total += w;
          if (isFlowAllowed(idx, { kind: 'pod', pod: s.pod }, { kind: 'pod', pod: d.pod }, p, protocol)) allowed += w;
        }
      }
      const summary = total === 0 ? 'no-port' : allowed === total ? 'all' : allowed === 0 ? 'none' : 'some';
      return { allowed, total, summary };
    }),
  );
  return { namespaces, port, protocol, cells, templated };
}

export interface PodMatrix {
  pods: { namespace: string; name: string }[];
  port: number;
  protocol: Protocol;
  /** allowed[i][j]: from pods[i] to pods[j]. */
  allowed: boolean[][];
}

/** Pod x pod reachability on a numeric pod port. */
export function podMatrix(idx: WorldIndex, pods: Pod[], port: number, protocol: Protocol): PodMatrix {
  const parties = pods.map((pod) => ({ kind: 'pod' as const, pod }));
  return {
    pods: pods.map((p) => ({ namespace: podNamespace(p), name: p.metadata.name })),
    port,
    protocol,
    allowed: parties.map((s) => parties.map((d) => isFlowAllowed(idx, s, d, port, protocol))),
  };
}
