// Indexes a PolicyWorld by namespace, labels and IP so a verdict never scans the whole world.

import type { LabelSelector, Namespace, NetworkPolicy, Pod } from '../model/k8s.js';
import { parseIp } from './cidr.js';
import { podIPs, podNamespace } from '../util/pod.js';
import { matchesSelector } from '../util/selector.js';
import type { Direction, PolicyWorld } from './types.js';

export const NS_NAME_LABEL = 'kubernetes.io/metadata.name';

/** policyTypes as Kubernetes reads it: when omitted, Ingress, plus Egress if the spec has egress rules. */
export function effectivePolicyTypes(p: NetworkPolicy): Set<Direction> {
  const declared = p.spec?.policyTypes;
  if (declared && declared.length > 0) {
    const out = new Set<Direction>();
    for (const t of declared) {
      if (t === 'Ingress') out.add('ingress');
      else if (t === 'Egress') out.add('egress');
    }
    return out;
  }
  const out = new Set<Direction>(['ingress']);
  if (p.spec?.egress && p.spec.egress.length > 0) out.add('egress');
  return out;
}

interface SelectingCache {
  ingress: NetworkPolicy[];
  egress: NetworkPolicy[];
}

/** Read-only index over a world. Build once per command; reuse for every verdict. */
export class WorldIndex {
  readonly world: PolicyWorld;
  private readonly nsByName = new Map<string, Namespace>();
  private readonly nsLabelCache = new Map<string, Record<string, string>>();
  private readonly podsByNs = new Map<string, Pod[]>();
  /** ns -> "key=value" -> pods */
  private readonly podsByLabel = new Map<string, Map<string, Pod[]>>();
  private readonly policiesByNs = new Map<string, NetworkPolicy[]>();
  private readonly podByIp = new Map<string, Pod>();
  private readonly selecting = new WeakMap<Pod, SelectingCache>();

  constructor(world: PolicyWorld) {
    this.world = world;
    for (const ns of world.namespaces) this.nsByName.set(ns.metadata.name, ns);
    for (const pod of world.pods) {
      const ns = podNamespace(pod);
      push(this.podsByNs, ns, pod);
      let byLabel = this.podsByLabel.get(ns);
      if (!byLabel) this.podsByLabel.set(ns, (byLabel = new Map<string, Pod[]>()));
      for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) push(byLabel, `${k}=${v}`, pod);
      for (const ip of podIPs(pod)) {
        const key = ipKey(ip);
        if (key && !this.podByIp.has(key)) this.podByIp.set(key, pod);
      }
    }
    for (const p of world.policies) push(this.policiesByNs, p.metadata.namespace ?? 'default', p);
  }

  namespaceNames(): string[] {
    const names = new Set<string>([...this.nsByName.keys(), ...this.podsByNs.keys()]);
    return [...names].sort();
  }

  hasNamespace(name: string): boolean {
    return this.nsByName.has(name) || this.podsByNs.has(name);
  }

  /** A namespace's labels; kubernetes.io/metadata.name is always present, as on a real API server. */
  namespaceLabels(name: string): Record<string, string> {
    let labels = this.nsLabelCache.get(name);
    if (!labels) {
      labels = { ...(this.nsByName.get(name)?.metadata.labels ?? {}), [NS_NAME_LABEL]: name };
      this.nsLabelCache.set(name, labels);
    }
    return labels;
  }

  podsIn(ns: string): Pod[] {
    return this.podsByNs.get(ns) ?? [];
  }

  policiesIn(ns: string): NetworkPolicy[] {
    return this.policiesByNs.get(ns) ?? [];
  }

  /** The pod owning this address (IPv6 compared by value, so 2001:db8::7 = 2001:0db8:0:0::7). */
  podByAddress(ip: string): Pod | undefined {
    const key = ipKey(ip);
    return key ? this.podByIp.get(key) : undefined;
  }

  private labelKeys?: Set<string>;

  /** Every pod label key any policy selector reads: only these can change a pod-to-pod verdict. */
  policyLabelKeys(): Set<string> {
    if (this.labelKeys) return this.labelKeys;
    const keys = new Set<string>();
    const add = (sel: LabelSelector | undefined) => {
      for (const k of Object.keys(sel?.matchLabels ?? {})) keys.add(k);
      for (const e of sel?.matchExpressions ?? []) keys.add(e.key);
    };
    for (const p of this.world.policies) {
      add(p.spec?.podSelector);
      for (const r of p.spec?.ingress ?? []) for (const peer of r.from ?? []) add(peer.podSelector);
      for (const r of p.spec?.egress ?? []) for (const peer of r.to ?? []) add(peer.podSelector);
    }
    return (this.labelKeys = keys);
  }

  /** Pods of one namespace matching a selector; uses the label index for the narrowest matchLabels pair. */
  selectPods(ns: string, sel: LabelSelector): Pod[] {
    let candidates = this.podsIn(ns);
    const byLabel = this.podsByLabel.get(ns);
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
      const list = byLabel?.get(`${k}=${v}`) ?? [];
      if (list.length < candidates.length) candidates = list;
    }
    return candidates.filter((p) => matchesSelector(sel, p.metadata.labels));
  }

  /** Policies of the pod's namespace that select it and isolate it in `direction`. Cached per pod. */
  selectingPolicies(pod: Pod, direction: Direction): NetworkPolicy[] {
    let c = this.selecting.get(pod);
    if (!c) {
      c = { ingress: [], egress: [] };
      for (const p of this.policiesIn(podNamespace(pod))) {
        if (!matchesSelector(p.spec?.podSelector ?? {}, pod.metadata.labels)) continue;
        const types = effectivePolicyTypes(p);
        if (types.has('ingress')) c.ingress.push(p);
        if (types.has('egress')) c.egress.push(p);
      }
      this.selecting.set(pod, c);
    }
    return c[direction];
  }
}

function ipKey(ip: string): string | undefined {
  const parsed = parseIp(ip);
  return parsed ? `${parsed.version}:${parsed.value.toString(16)}` : undefined;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
