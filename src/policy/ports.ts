// NetworkPolicy port semantics: numeric, named (resolved per destination pod), endPort ranges, protocols.

import type { NetworkPolicyPort, Pod } from '../model/k8s.js';
import type { Protocol } from './types.js';

export interface PortCheck {
  ok: boolean;
  /** What the port entry wanted and the flow did not have. */
  lack?: string;
  note?: string;
}

/** The container port of `pod` with this name and protocol, or undefined. Named ports are per pod. */
export function resolveNamedPort(pod: Pod | undefined, name: string, protocol: Protocol): number | undefined {
  if (!pod) return undefined;
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === name && (p.protocol ?? 'TCP').toUpperCase() === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** Protocol of a policy port entry; Kubernetes defaults it to TCP. */
export function portProtocol(pp: NetworkPolicyPort): string {
  return (pp.protocol ?? 'TCP').toUpperCase();
}

/** "TCP 80", "TCP 8000-8080", "UDP http", "SCTP (all ports)". */
export function describePolicyPort(pp: NetworkPolicyPort): string {
  const proto = portProtocol(pp);
  if (pp.port === undefined || pp.port === null) return `${proto} (all ports)`;
  if (typeof pp.port === 'number' && pp.endPort !== undefined) return `${proto} ${pp.port}-${pp.endPort}`;
  return `${proto} ${pp.port}`;
}

/**
 * Does one entry of `ports:` admit the flow? `dstPod` is the pod the traffic goes to (the selected pod
 * for ingress, the peer for egress); a named port resolves against its container ports.
 */
export function matchPolicyPort(pp: NetworkPolicyPort, port: number, protocol: Protocol, dstPod: Pod | undefined): PortCheck {
  const proto = portProtocol(pp);
  if (proto !== protocol) return { ok: false, lack: `wants protocol ${proto}; flow is ${protocol} ${port}` };
  if (pp.port === undefined || pp.port === null) return { ok: true };
  if (typeof pp.port === 'string' && /^\d+$/.test(pp.port)) {
    return matchNumeric(Number(pp.port), pp.endPort, port, protocol);
  }
  if (typeof pp.port === 'string') {
    const resolved = resolveNamedPort(dstPod, pp.port, protocol);
    const endNote = pp.endPort !== undefined ? 'endPort is ignored with a named port (the API rejects it)' : undefined;
    if (resolved === undefined) {
      const who = dstPod ? `pod ${dstPod.metadata.namespace ?? ''}/${dstPod.metadata.name}` : 'an address outside the cluster';
      return { ok: false, lack: `named port "${pp.port}" is not a ${protocol} container port of ${who}`, note: endNote };
    }
    if (resolved !== port) {
      return { ok: false, lack: `named port "${pp.port}" is ${protocol} ${resolved} on the destination; flow is ${protocol} ${port}`, note: endNote };
    }
    return { ok: true, note: endNote };
  }
  return matchNumeric(pp.port, pp.endPort, port, protocol);
}

function matchNumeric(start: number, endPort: number | undefined, port: number, protocol: Protocol): PortCheck {
  if (endPort !== undefined && endPort >= start) {
    if (port >= start && port <= endPort) return { ok: true };
    return { ok: false, lack: `wants ${protocol} ${start}-${endPort}; flow is ${protocol} ${port}` };
  }
  if (port === start) return { ok: true };
  return { ok: false, lack: `wants ${protocol} ${start}; flow is ${protocol} ${port}` };
}
