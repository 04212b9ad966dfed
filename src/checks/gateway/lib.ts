// Shared pieces of the Gateway API checks: the finding constructor (codes typed against the
// gateway catalogue), subjects, and the route's status entry for one parentRef.

import type { Facts } from '../../model/facts.js';
import type { Status } from '../../model/finding.js';
import type { GatewayRoute, GwCondition, RouteParentStatus } from '../../model/gateway-api.js';
import type { ObjectRef } from '../../model/k8s.js';
import { routeNs, type ParentRefN } from '../../gateway/routes.js';
import { make, type FindingExtras } from '../lib/make.js';
import type { GatewayCode } from '../../model/codes-gateway.js';

export const STEP = 'gateway' as const;

/** A gateway-step finding (the one finding constructor, with the step fixed). */
export function gf<C extends GatewayCode>(code: C, status: Status, summary: string, evidence: string[] = [], extras: FindingExtras<C> = {}) {
  return make(code, STEP, status, summary, evidence, extras);
}

export function routeSubject(route: GatewayRoute): ObjectRef {
  return { kind: route.kind, namespace: routeNs(route), name: route.metadata.name };
}

/** "HTTPRoute production/api-route" */
export function routeName(route: GatewayRoute): string {
  return `${route.kind} ${routeNs(route)}/${route.metadata.name}`;
}

/** kubectl get httproute -n NS NAME -o yaml */
export function routeGetCommand(route: GatewayRoute): string {
  return `kubectl get ${route.kind.toLowerCase()} -n ${routeNs(route)} ${route.metadata.name} -o yaml`;
}

export function parentName(p: ParentRefN): string {
  return `Gateway ${p.namespace}/${p.name}${p.sectionName ? ` sectionName ${p.sectionName}` : ''}${p.port !== undefined ? ` port ${p.port}` : ''}`;
}

/** The route's status entry for a parentRef (written by the named controller when known). */
export function parentStatus(route: GatewayRoute, p: ParentRefN, controllerName?: string): RouteParentStatus | undefined {
  const ns = routeNs(route);
  const entries = (route.status?.parents ?? []).filter((s) => {
    const r = s.parentRef;
    return r.name === p.name && (r.namespace ?? ns) === p.namespace && (r.kind ?? 'Gateway') === p.kind && r.sectionName === p.sectionName && r.port === p.port;
  });
  return entries.find((e) => !controllerName || e.controllerName === controllerName) ?? entries[0];
}

export function condition(conds: GwCondition[] | undefined, type: string): GwCondition | undefined {
  return (conds ?? []).find((c) => c.type === type);
}

/** "Accepted=False (NotAllowedByListeners) gen 3: message" */
export function conditionText(c: GwCondition): string {
  return `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.observedGeneration !== undefined ? ` observedGeneration ${c.observedGeneration}` : ''}${c.message ? `: ${c.message}` : ''}`;
}

/** Namespaces as read for diagnose (undefined when they could not be listed). */
export function namespacesOf(facts: Facts) {
  return facts.namespaces.state === 'ok' ? facts.namespaces.value : undefined;
}
