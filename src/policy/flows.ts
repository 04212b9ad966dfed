// Turns resolved endpoints plus --port/--protocol into concrete flows on the destination POD's port.

import type { Pod, Service, ServicePort } from '../model/k8s.js';
import { UserError } from '../errors.js';
import { resolveNamedPort } from './ports.js';
import type { ResolvedEndpoint } from './resolve.js';
import { PROTOCOLS, type Flow, type Party, type Protocol } from './types.js';
import { podNamespace } from '../util/pod.js';
import { portNumberOrName } from '../util/port.js';

export interface FlowPlan {
  flows: Flow[];
  /** Pairs that could not become a flow (a named targetPort the pod does not declare, ...). */
  skipped: string[];
  /** Parties folded into a representative with the same labels and ports. */
  folded: string[];
}

export function parseProtocol(p: string | undefined): Protocol | undefined {
  if (p === undefined || p === '') return undefined;
  const up = p.toUpperCase();
  if ((PROTOCOLS as readonly string[]).includes(up)) return up as Protocol;
  throw new UserError({ message: `invalid --protocol "${p}"`, why: 'NetworkPolicy knows TCP, UDP and SCTP', next: 'use --protocol TCP, UDP or SCTP' });
}

function signature(p: Party): string {
  if (p.kind === 'external') return `ip:${p.ip}`;
  return JSON.stringify([podNamespace(p.pod), p.pod.metadata.labels ?? {}, p.pod.spec?.containers?.map((c) => c.ports ?? []), !!p.pod.spec?.hostNetwork]);
}

/** Pods with identical namespace, labels, ports and hostNetwork get identical verdicts: keep one. */
function fold(parties: Party[], folded: string[]): Party[] {
  const seen = new Map<string, { party: Party; n: number }>();
  for (const p of parties) {
    const s = signature(p);
    const e = seen.get(s);
    if (e) e.n++;
    else seen.set(s, { party: p, n: 1 });
  }
  for (const { party, n } of seen.values()) {
    if (n > 1 && party.kind === 'pod') folded.push(`${podNamespace(party.pod)}/${party.pod.metadata.name} stands for ${n} pods with the same labels and ports`);
  }
  return [...seen.values()].map((e) => e.party);
}

function servicePortsFor(svc: Service, port: number | string | undefined, protocol: Protocol | undefined): ServicePort[] {
  const all = svc.spec.ports ?? [];
  const chosen = all.filter(
    (sp) => (port === undefined || sp.port === port || sp.name === port) && (!protocol || (sp.protocol ?? 'TCP').toUpperCase() === protocol),
  );
  if (chosen.length === 0) {
    const list = all.map((sp) => `${sp.name ? `${sp.name}=` : ''}${sp.port}/${sp.protocol ?? 'TCP'}->${sp.targetPort ?? sp.port}`).join(', ') || 'none';
    throw new UserError({
      message: `service ${svc.metadata.namespace}/${svc.metadata.name} has no port ${port ?? ''}${protocol ? `/${protocol}` : ''}`.replace(/ +$/, ''),
      why: `its ports are: ${list} (--port names the Service port; k8snet checks policies on the targetPort)`,
      next: `use --port ${all[0]?.port ?? 80}`,
    });
  }
  return chosen;
}

function podPorts(pod: Pod, protocol: Protocol | undefined): { port: number; protocol: Protocol }[] {
  const out: { port: number; protocol: Protocol }[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      const proto = (p.protocol ?? 'TCP').toUpperCase() as Protocol;
      if (!protocol || proto === protocol) out.push({ port: p.containerPort, protocol: proto });
    }
  }
  return out;
}

/** Flows from every source party to every destination party, on the destination pod's port(s). */
export function planFlows(src: ResolvedEndpoint, dst: ResolvedEndpoint, portArg: string | undefined, protocolArg: string | undefined): FlowPlan {
  const port = portNumberOrName(portArg);
  const protocol = parseProtocol(protocolArg);
  const plan: FlowPlan = { flows: [], skipped: [], folded: [] };
  const srcs = fold(src.parties, plan.folded);
  const dsts = fold(dst.parties, plan.folded);
  for (const d of dsts) {
    const targets: { port: number; protocol: Protocol; servicePort?: number }[] = [];
    if (dst.service) {
      for (const sp of servicePortsFor(dst.service, port, protocol)) {
        const proto = (sp.protocol ?? 'TCP').toUpperCase() as Protocol;
        const tp = sp.targetPort ?? sp.port;
        const resolved = typeof tp === 'number' ? tp : /^\d+$/.test(tp) ? Number(tp) : d.kind === 'pod' ? resolveNamedPort(d.pod, tp, proto) : undefined;
        if (resolved === undefined) {
          plan.skipped.push(
            `service port ${sp.port}: targetPort "${tp}" is not a ${proto} container port of ${d.kind === 'pod' ? `${podNamespace(d.pod)}/${d.pod.metadata.name}` : 'the destination'} (traffic to this pod fails whatever the policies say)`,
          );
          continue;
        }
        targets.push({ port: resolved, protocol: proto, servicePort: sp.port });
      }
    } else if (typeof port === 'number') {
      targets.push({ port, protocol: protocol ?? 'TCP' });
    } else if (typeof port === 'string') {
      const proto = protocol ?? 'TCP';
      const resolved = d.kind === 'pod' ? resolveNamedPort(d.pod, port, proto) : undefined;
      if (resolved === undefined) {
        throw new UserError({
          message: `port "${port}" is not a ${proto} container port of the destination`,
          why:
            d.kind === 'pod'
              ? `pod ${podNamespace(d.pod)}/${d.pod.metadata.name} declares no port named ${port}`
              : 'an address outside the cluster has no named ports',
          next: 'give the port number instead, e.g. --port 8080',
        });
      }
      targets.push({ port: resolved, protocol: proto });
    } else {
      const declared = d.kind === 'pod' ? podPorts(d.pod, protocol) : [];
      if (declared.length === 0) {
        throw new UserError({
          message: '--port is required here',
          why:
            d.kind === 'pod'
              ? `the destination ${podNamespace(d.pod)}/${d.pod.metadata.name} declares no container ports${protocol ? ` for ${protocol}` : ''}`
              : 'the destination is an address outside the cluster',
          next: 'add --port 8080 (the pod port; for a Service, its port)',
        });
      }
      targets.push(...declared);
    }
    for (const s of srcs) {
      for (const t of targets)
        plan.flows.push({ src: s, dst: d, port: t.port, protocol: t.protocol, ...(t.servicePort !== undefined ? { servicePort: t.servicePort } : {}) });
    }
  }
  return plan;
}
