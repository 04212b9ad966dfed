// Small builders for pods, namespaces and policies used by the policy tests.

import type { Namespace, NetworkPolicy, Pod } from '../../../src/model/k8s.js';
import type { Party, PolicyWorld } from '../../../src/policy/types.js';
import { WorldIndex } from '../../../src/policy/world-index.js';

export function ns(name: string, labels: Record<string, string> = {}): Namespace {
  return { metadata: { name, labels } };
}

export function pod(
  nsName: string,
  name: string,
  labels: Record<string, string> = {},
  extra: { ip?: string; ports?: { name?: string; containerPort: number; protocol?: string }[]; hostNetwork?: boolean } = {},
): Pod {
  return {
    metadata: { name, namespace: nsName, labels },
    spec: { containers: [{ name: 'c', ports: extra.ports ?? [] }], ...(extra.hostNetwork ? { hostNetwork: true } : {}) },
    status: extra.ip ? { podIP: extra.ip, podIPs: [{ ip: extra.ip }] } : {},
  };
}

export function policy(nsName: string, name: string, spec: NetworkPolicy['spec']): NetworkPolicy {
  return { metadata: { name, namespace: nsName }, spec };
}

export function world(parts: Partial<PolicyWorld>): PolicyWorld {
  return { namespaces: [], pods: [], workloads: [], services: [], policies: [], ...parts };
}

export function index(parts: Partial<PolicyWorld>): WorldIndex {
  return new WorldIndex(world(parts));
}

export const P = (p: Pod): Party => ({ kind: 'pod', pod: p });
export const X = (ip: string): Party => ({ kind: 'external', ip });
