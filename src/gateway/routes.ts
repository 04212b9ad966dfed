// Gateway API route references with the spec's defaults filled in: parentRefs (group, kind,
// namespace) and backendRefs (group "", kind Service, the route's namespace, weight 1).

import { GATEWAY_GROUP, type GatewayRoute, type RouteKind } from '../model/gateway-api.js';
import type { NsName } from '../model/facts.js';

export interface ParentRefN {
  index: number;
  group: string;
  kind: string;
  namespace: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface BackendRefN {
  ruleIndex: number;
  refIndex: number;
  group: string;
  kind: string;
  namespace: string;
  name: string;
  port?: number;
  weight: number;
  /** The namespace was given explicitly and differs from the route's. */
  crossNamespace: boolean;
}

export function routeNs(route: GatewayRoute): string {
  return route.metadata.namespace ?? 'default';
}

export function routeId(route: GatewayRoute): string {
  return `${route.kind}/${routeNs(route)}/${route.metadata.name}`;
}

/** parentRefs with defaults: group gateway.networking.k8s.io, kind Gateway, the route's namespace. */
export function parentRefsOf(route: GatewayRoute): ParentRefN[] {
  return (route.spec.parentRefs ?? []).map((p, index) => ({
    index,
    group: p.group ?? GATEWAY_GROUP,
    kind: p.kind ?? 'Gateway',
    namespace: p.namespace ?? routeNs(route),
    name: p.name,
    ...(p.sectionName !== undefined ? { sectionName: p.sectionName } : {}),
    ...(p.port !== undefined ? { port: p.port } : {}),
  }));
}

/** A parentRef k8snet follows: a Gateway (ListenerSets and mesh Services are other parents). */
export function isGatewayParent(p: ParentRefN): boolean {
  return p.group === GATEWAY_GROUP && p.kind === 'Gateway';
}

/** backendRefs of every rule with defaults: group "" (core), kind Service, the route's namespace, weight 1. */
export function backendRefsOf(route: GatewayRoute): BackendRefN[] {
  const ns = routeNs(route);
  const out: BackendRefN[] = [];
  (route.spec.rules ?? []).forEach((rule, ruleIndex) => {
    (rule.backendRefs ?? []).forEach((b, refIndex) => {
      const namespace = b.namespace ?? ns;
      out.push({
        ruleIndex,
        refIndex,
        group: b.group ?? '',
        kind: b.kind ?? 'Service',
        namespace,
        name: b.name,
        ...(b.port !== undefined ? { port: b.port } : {}),
        weight: b.weight ?? 1,
        crossNamespace: namespace !== ns,
      });
    });
  });
  return out;
}

/** A core Service reference ("" or "core" group, kind Service). */
export function isServiceRef(b: Pick<BackendRefN, 'group' | 'kind'>): boolean {
  return (b.group === '' || b.group === 'core') && b.kind === 'Service';
}

/** Does any backendRef of the route name this Service? */
export function routesToService(route: GatewayRoute, target: NsName): boolean {
  return backendRefsOf(route).some((b) => isServiceRef(b) && b.namespace === target.namespace && b.name === target.name);
}

/** "spec.rules[0].backendRefs[1]" */
export function backendPath(b: Pick<BackendRefN, 'ruleIndex' | 'refIndex'>): string {
  return `spec.rules[${b.ruleIndex}].backendRefs[${b.refIndex}]`;
}

/** Route kinds that carry HTTP (probed with an HTTP request through the gateway). */
export function isHttpKind(kind: RouteKind): boolean {
  return kind === 'HTTPRoute';
}
