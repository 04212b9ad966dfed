// Resolves an endpoint spec (ns/name, ns/kind/name, or an IPv4/IPv6 address) against a world.

import type { Pod, Service, Workload } from '../model/k8s.js';
import { looksLikeAddress, parseIp } from './cidr.js';
import { UserError } from '../errors.js';
import { matchesSelector } from '../util/selector.js';
import type { Party } from './types.js';
import { type WorldIndex } from './world-index.js';
import { isPodReady, podNamespace } from '../util/pod.js';

export interface ResolvedEndpoint {
  spec: string;
  kind: 'pod' | 'workload' | 'service' | 'external';
  /** One line for output: what the spec turned out to be. */
  description: string;
  parties: Party[];
  service?: Service;
}

const KIND_ALIASES: Record<string, 'pod' | 'service' | string> = {
  pod: 'pod',
  pods: 'pod',
  po: 'pod',
  svc: 'service',
  service: 'service',
  services: 'service',
  deploy: 'Deployment',
  deployment: 'Deployment',
  deployments: 'Deployment',
  sts: 'StatefulSet',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  ds: 'DaemonSet',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  rs: 'ReplicaSet',
  replicaset: 'ReplicaSet',
  replicasets: 'ReplicaSet',
  job: 'Job',
  jobs: 'Job',
  cj: 'CronJob',
  cronjob: 'CronJob',
  cronjobs: 'CronJob',
};

/** A workload's pod template as a pod (no IP); CronJob templates sit one level deeper. */
export function templatePod(w: Workload): Pod {
  const cron = (w.spec as { jobTemplate?: { spec?: Workload['spec'] } }).jobTemplate?.spec;
  const tpl = cron?.template ?? w.spec?.template;
  return {
    metadata: { name: `${w.kind.toLowerCase()}/${w.metadata.name}`, namespace: w.metadata.namespace ?? 'default', labels: tpl?.metadata?.labels ?? {} },
    spec: tpl?.spec ?? { containers: [] },
  };
}

function resolveAddress(idx: WorldIndex, spec: string): ResolvedEndpoint {
  const pod = idx.podByAddress(spec);
  if (pod) {
    const name = `${podNamespace(pod)}/${pod.metadata.name}`;
    return {
      spec,
      kind: 'pod',
      description: `address ${spec} belongs to pod ${name}; treated as that pod`,
      parties: [{ kind: 'pod', pod, origin: `address ${spec} belongs to this pod` }],
    };
  }
  return {
    spec,
    kind: 'external',
    description: `address ${spec} is not a known pod: a peer outside the cluster, matched only by ipBlock rules (and by rules that allow every peer)`,
    parties: [{ kind: 'external', ip: spec }],
  };
}

function servicePods(idx: WorldIndex, svc: Service): { parties: Party[]; how: string } {
  const ns = svc.metadata.namespace ?? 'default';
  const sel = svc.spec.selector;
  if (!sel || Object.keys(sel).length === 0) {
    throw new UserError({
      message: `service ${ns}/${svc.metadata.name} has no selector`,
      why: 'its endpoints are maintained by hand, so k8snet cannot tell which pods stand behind it',
      next: 'name the backend pods or their addresses instead (k8snet policy SRC ns/pod)',
    });
  }
  const pods = idx.selectPods(ns, { matchLabels: sel });
  const ready = pods.filter(isPodReady);
  const chosen = ready.length > 0 ? ready : pods;
  if (chosen.length > 0) {
    const how = ready.length > 0 ? `${ready.length} ready endpoint pod(s)` : `${pods.length} selected pod(s), none Ready`;
    return { parties: chosen.map((pod) => ({ kind: 'pod', pod, origin: `endpoint of service ${ns}/${svc.metadata.name}` })), how };
  }
  const templates = idx.world.workloads
    .filter((w) => (w.metadata.namespace ?? 'default') === ns)
    .map(templatePod)
    .filter((p) => matchesSelector({ matchLabels: sel }, p.metadata.labels));
  return {
    parties: templates.map((pod) => ({ kind: 'pod', pod, template: true, origin: `pod template selected by service ${ns}/${svc.metadata.name}` })),
    how: `${templates.length} workload template(s) standing in for pods`,
  };
}

/** ns/name -> pod, else workload, else service (a destination prefers the Service: a pod of that exact name still wins). ns/kind/name picks the kind. An address -> pod or external. */
export function resolveEndpoint(idx: WorldIndex, spec: string, role: 'source' | 'destination'): ResolvedEndpoint {
  const text = spec.trim();
  if (parseIp(text)) return resolveAddress(idx, text);
  if (looksLikeAddress(text)) {
    throw new UserError({
      message: `"${text}" is not a valid IPv4 or IPv6 address`,
      why: `the ${role} looks like an address but does not parse (a prefix, zone or extra octet is not allowed)`,
      next: 'write a single address such as 203.0.113.7 or 2001:db8::7, or ns/name for a pod, workload or service',
    });
  }
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new UserError({
      message: `cannot read ${role} "${text}"`,
      why: 'an endpoint is ns/name, ns/kind/name, or an IP address',
      next: `e.g. k8snet policy orders/orders-api payments/svc/payments-api --port 80`,
    });
  }
  const ns = parts[0];
  const name = parts[parts.length - 1];
  const kind = parts.length === 3 ? KIND_ALIASES[parts[1].toLowerCase()] : undefined;
  if (parts.length === 3 && !kind) {
    throw new UserError({
      message: `unknown kind "${parts[1]}" in ${role} "${text}"`,
      why: 'k8snet resolves pods, workloads (deploy, sts, ds, rs, job, cronjob) and services',
      next: `write ${ns}/pod/${name}, ${ns}/deploy/${name} or ${ns}/svc/${name}`,
    });
  }
  // A destination named like both a workload and a Service is the Service: traffic is sent to Services,
  // and the flow is then checked on their targetPort (the port NetworkPolicy sees after DNAT).
  const viaService = (): ResolvedEndpoint | undefined => {
    const svc = idx.world.services.find((s) => (s.metadata.namespace ?? 'default') === ns && s.metadata.name === name);
    if (!svc) return undefined;
    const { parties, how } = servicePods(idx, svc);
    if (parties.length === 0) {
      throw new UserError({
        message: `service ${ns}/${name} selects no pods`,
        why: `no pod or workload template in namespace ${ns} carries its selector ${JSON.stringify(svc.spec.selector)}`,
        next: `check the selector: kubectl get pods -n ${ns} --show-labels (or load the workload manifests too)`,
      });
    }
    return { spec: text, kind: 'service', description: `service ${ns}/${name} -> ${how}`, parties, service: svc };
  };
  if (!kind && role === 'destination') {
    const r = viaService();
    if (r) return r;
  }
  if (!kind || kind === 'pod') {
    const pod = idx.podsIn(ns).find((p) => p.metadata.name === name);
    if (pod) return { spec: text, kind: 'pod', description: `pod ${ns}/${name}`, parties: [{ kind: 'pod', pod }] };
  }
  if (!kind || (kind !== 'pod' && kind !== 'service')) {
    const w = idx.world.workloads.find((x) => (x.metadata.namespace ?? 'default') === ns && x.metadata.name === name && (!kind || x.kind === kind));
    if (w) {
      const pod = templatePod(w);
      const svcToo = !kind && role === 'source' && idx.world.services.some((s) => (s.metadata.namespace ?? 'default') === ns && s.metadata.name === name);
      const hint = svcToo ? `; a Service of the same name exists - name it as a destination, or write ${ns}/svc/${name}` : '';
      return {
        spec: text,
        kind: 'workload',
        description: `${w.kind} ${ns}/${name} (its pod template stands in for its pods)${hint}`,
        parties: [{ kind: 'pod', pod, template: true, origin: `pod template of ${w.kind} ${ns}/${name}` }],
      };
    }
  }
  if (!kind || kind === 'service') {
    const r = viaService();
    if (r) return r;
  }
  const where = idx.hasNamespace(ns)
    ? `namespace ${ns} has no ${kind ? kind.toLowerCase() : 'pod, workload or service'} named ${name}`
    : `namespace ${ns} is not in the world`;
  throw new UserError({
    message: `${role} "${text}" not found`,
    why: where,
    next: `list what exists: kubectl get pods,deploy,svc -n ${ns} (or check the --manifests paths)`,
  });
}
