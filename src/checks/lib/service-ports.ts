// Which Service ports a run is about (--port or all), and how a targetPort maps onto a pod's containers.

import type { ContainerPort, Pod, Service, ServicePort } from '../../model/k8s.js';

/** The Service ports under test: the one --port names (by name or number), else all of them. */
export function portsUnderTest(svc: Service, requested?: string): { ports: ServicePort[]; missing?: string } {
  const all = svc.spec.ports ?? [];
  if (!requested) return { ports: all };
  const hit = all.filter((p) => p.name === requested || String(p.port) === requested);
  return hit.length > 0 ? { ports: hit } : { ports: [], missing: requested };
}

/** "80/TCP (http) -> 8080" */
export function describeServicePort(p: ServicePort): string {
  const name = p.name ? ` (${p.name})` : '';
  return `${p.port}/${p.protocol ?? 'TCP'}${name} -> ${p.targetPort ?? p.port}`;
}

/** targetPort defaults to port when omitted. */
export function targetPortOf(p: ServicePort): number | string {
  return p.targetPort ?? p.port;
}

export interface ContainerPortHit {
  container: string;
  port: ContainerPort;
}

/** Every declared container port of a pod (regular and native-sidecar init containers). */
export function declaredPorts(pod: Pod): ContainerPortHit[] {
  const containers = [...pod.spec.containers, ...(pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  return containers.flatMap((c) => (c.ports ?? []).map((port) => ({ container: c.name, port })));
}

/** Resolve a targetPort on a pod: the numeric port, or undefined when a named port is not declared. */
export function resolveTargetPort(pod: Pod, target: number | string, protocol?: string): { port?: number; hit?: ContainerPortHit } {
  const decl = declaredPorts(pod);
  if (typeof target === 'number' || /^\d+$/.test(String(target))) {
    const n = Number(target);
    // one number may be declared twice (kube-dns: 53/UDP and 53/TCP): the Service port's protocol picks
    const same = decl.filter((d) => d.port.containerPort === n);
    return { port: n, hit: same.find((d) => (d.port.protocol ?? 'TCP') === (protocol ?? 'TCP')) ?? same[0] };
  }
  const hit = decl.find((d) => d.port.name === target);
  return hit ? { port: hit.port.containerPort, hit } : {};
}
