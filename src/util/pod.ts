// What a pod's status says, in one place: Ready, running-and-Ready, terminating, its IPs, its namespace.

import type { Pod } from '../model/k8s.js';

/**
 * Ready means the pod's Ready condition is True: the kubelet's judgement that every container is
 * ready (readiness probes pass) and, with readiness gates, that they are met too. It is what
 * EndpointSlices use to mark an address ready. A pod being deleted can still be Ready.
 */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * Running and Ready: phase Running as well as the Ready condition. A pod k8snet will exec into must
 * be running now; a Ready condition left over on a pod that has just failed or succeeded is not enough.
 */
export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/** The pod has a deletionTimestamp: it is shutting down. */
export function isTerminating(pod: Pod): boolean {
  return Boolean(pod.metadata.deletionTimestamp);
}

/** Every IP of the pod (status.podIP and status.podIPs, dual-stack), each once. */
export function podIPs(pod: Pod): string[] {
  const ips = new Set<string>();
  if (pod.status?.podIP) ips.add(pod.status.podIP);
  for (const p of pod.status?.podIPs ?? []) if (p.ip) ips.add(p.ip);
  return [...ips];
}

/** The pod's namespace ("default" when the object omits it, as the API does for the default namespace). */
export function podNamespace(pod: Pod): string {
  return pod.metadata.namespace ?? 'default';
}
