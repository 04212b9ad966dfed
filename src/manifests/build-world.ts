// Sorts parsed Kubernetes objects into a PolicyWorld, checking the fields the engine needs.

import type { Namespace, NetworkPolicy, Pod, Service, Workload } from '../model/k8s.js';
import type { PolicyWorld } from '../policy/types.js';
import { NS_NAME_LABEL } from '../policy/world-index.js';
import type { ManifestProblem } from './problems.js';
import { dropNulls, isObj, validateNetworkPolicy, validatePodSpec } from './validate.js';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController'];

/** One parsed document (or List item) and where it came from. */
export interface SourcedObject {
  value: unknown;
  file: string;
  document: number;
  item?: number;
}

export class WorldBuilder {
  private readonly namespaces = new Map<string, Namespace>();
  private readonly byKey = new Map<string, { list: unknown[]; index: number }>();
  readonly world: PolicyWorld = { namespaces: [], pods: [], workloads: [], services: [], policies: [] };
  readonly problems: ManifestProblem[] = [];

  private problem(src: SourcedObject, severity: 'error' | 'note', message: string): void {
    this.problems.push({ severity, file: src.file, document: src.document, ...(src.item !== undefined ? { item: src.item } : {}), message });
  }

  add(src: SourcedObject): void {
    const o = src.value;
    if (o === null || o === undefined) return; // empty document
    if (!isObj(o)) {
      this.problem(src, 'error', `expected a Kubernetes object (a mapping), got ${Array.isArray(o) ? 'a list' : typeof o}`);
      return;
    }
    const kind = o.kind;
    if (typeof kind !== 'string' || kind === '') {
      this.problem(src, 'error', 'kind missing');
      return;
    }
    if (kind.endsWith('List') && Array.isArray(o.items)) {
      o.items.forEach((item, i) => this.add({ value: item, file: src.file, document: src.document, item: i }));
      return;
    }
    const meta = o.metadata;
    if (!isObj(meta) || typeof meta.name !== 'string' || meta.name === '') {
      this.problem(src, 'error', `${kind}: metadata.name missing`);
      return;
    }
    const label = `${kind} ${meta.name}`;
    if (kind === 'Namespace') {
      this.addNamespace(o as unknown as Namespace, src);
      return;
    }
    const namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : 'default';
    const obj: Record<string, unknown> = { ...o, metadata: { ...meta, namespace } };
    switch (kind) {
      case 'NetworkPolicy': {
        const errs = validateNetworkPolicy(obj);
        if (errs.length > 0) {
          this.problem(src, 'error', `${label}: ${errs.join('; ')}`);
          return;
        }
        obj.spec = dropNulls(obj.spec); // null is absent to the API server (matchLabels: null is {})
        const spec = (obj as unknown as NetworkPolicy).spec;
        if (spec.podSelector === undefined || spec.podSelector === null) {
          this.problem(src, 'note', `${label}: spec.podSelector missing; the API server reads it as {} (every pod of ${namespace})`);
          spec.podSelector = {};
        }
        this.put('NetworkPolicy', namespace, meta.name, this.world.policies, obj as unknown as NetworkPolicy, src);
        return;
      }
      case 'Pod': {
        const errs = validatePodSpec(obj.spec, 'spec');
        if (errs.length > 0) {
          this.problem(src, 'error', `${label}: ${errs.join('; ')}`);
          return;
        }
        this.put('Pod', namespace, meta.name, this.world.pods, obj as unknown as Pod, src);
        return;
      }
      case 'Service': {
        if (!isObj(obj.spec)) {
          this.problem(src, 'error', `${label}: spec missing`);
          return;
        }
        if ((obj.spec as Record<string, unknown>).ports !== undefined && !Array.isArray((obj.spec as Record<string, unknown>).ports)) {
          this.problem(src, 'error', `${label}: spec.ports must be a list`);
          return;
        }
        this.put('Service', namespace, meta.name, this.world.services, obj as unknown as Service, src);
        return;
      }
      default:
        if (WORKLOAD_KINDS.includes(kind)) {
          this.addWorkload(kind, label, obj, src);
          return;
        }
        this.problem(src, 'note', `${label}: kind ${kind} is not used by the policy engine; ignored`);
    }
  }

  private addWorkload(kind: string, label: string, obj: Record<string, unknown>, src: SourcedObject): void {
    const spec = obj.spec;
    if (!isObj(spec)) {
      this.problem(src, 'error', `${label}: spec missing`);
      return;
    }
    const tplSpec =
      kind === 'CronJob'
        ? isObj(spec.jobTemplate) && isObj(spec.jobTemplate.spec) && isObj(spec.jobTemplate.spec.template)
          ? spec.jobTemplate.spec.template.spec
          : undefined
        : isObj(spec.template)
          ? spec.template.spec
          : undefined;
    const path = kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec' : 'spec.template.spec';
    const errs = validatePodSpec(tplSpec, path);
    if (errs.length > 0) {
      this.problem(src, 'error', `${label}: ${errs.join('; ')}`);
      return;
    }
    const meta = obj.metadata as { namespace: string; name: string };
    this.put(kind, meta.namespace, meta.name, this.world.workloads, obj as unknown as Workload, src);
  }

  private addNamespace(ns: Namespace, src: SourcedObject): void {
    const name = ns.metadata.name;
    // kubernetes.io/metadata.name is set by the API server on every namespace; manifests often lack it.
    const labels = { ...(ns.metadata.labels ?? {}), [NS_NAME_LABEL]: name };
    if (ns.metadata.labels?.[NS_NAME_LABEL] !== undefined && ns.metadata.labels[NS_NAME_LABEL] !== name) {
      this.problem(src, 'note', `Namespace ${name}: label ${NS_NAME_LABEL}=${ns.metadata.labels[NS_NAME_LABEL]} replaced by ${name}, as the API server does`);
    }
    if (this.namespaces.has(name)) this.problem(src, 'note', `Namespace ${name} defined twice; the later definition wins`);
    this.namespaces.set(name, { ...ns, metadata: { ...ns.metadata, labels } });
  }

  private put<T>(kind: string, ns: string, name: string, list: T[], obj: T, src: SourcedObject): void {
    const key = `${kind}/${ns}/${name}`;
    const prev = this.byKey.get(key);
    if (prev) {
      this.problem(src, 'note', `${kind} ${ns}/${name} defined twice; the later definition wins`);
      list[prev.index] = obj;
      return;
    }
    this.byKey.set(key, { list, index: list.length });
    list.push(obj);
  }

  /** Finishes the world: namespaces that objects use but no manifest declares get the default label. */
  finish(): PolicyWorld {
    const used = new Set<string>();
    for (const o of [...this.world.pods, ...this.world.workloads, ...this.world.services, ...this.world.policies]) used.add(o.metadata.namespace ?? 'default');
    for (const ns of used) {
      if (!this.namespaces.has(ns)) this.namespaces.set(ns, { metadata: { name: ns, labels: { [NS_NAME_LABEL]: ns } } });
    }
    this.world.namespaces = [...this.namespaces.values()];
    return this.world;
  }
}
