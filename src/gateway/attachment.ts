// Which listeners of a Gateway a route attaches to, per the Gateway API spec: parentRef sectionName
// and port pick listeners; allowedRoutes (namespaces From Same/All/Selector, and kinds) must admit
// the route; listener and route hostnames must intersect. The first filter that leaves nothing
// names the reason a conformant controller reports (NoMatchingParent, NotAllowedByListeners,
// NoMatchingListenerHostname).

import { GATEWAY_GROUP, type Gateway, type GatewayRoute, type Listener, type RouteKind } from '../model/gateway-api.js';
import type { Namespace } from '../model/k8s.js';
import { matchesSelector, selectorToString } from '../util/selector.js';
import { effectiveHostnames } from './hostnames.js';
import { routeNs, type ParentRefN } from './routes.js';

export type Tri = 'yes' | 'no' | 'unknown';

export interface ListenerVerdict {
  listener: Listener;
  /** sectionName/port of the parentRef select this listener. */
  selected: boolean;
  namespaceAllowed: Tri;
  namespaceWhy: string;
  kindAllowed: boolean;
  kindWhy: string;
  /** Hostnames the route gets on this listener (empty: no intersection). */
  hostnames: string[];
}

export interface Attachment {
  /** Listeners the route attaches to (all filters passed). */
  attached: ListenerVerdict[];
  perListener: ListenerVerdict[];
  /** Why nothing attaches, in the spec's reason words; undefined when something attaches or cannot be told. */
  reason?: 'NoMatchingParent' | 'NotAllowedByListeners' | 'NoMatchingListenerHostname';
  /** Attachment depends on a read that failed (namespace labels). */
  unknown: boolean;
}

/** Route kinds a listener protocol carries when allowedRoutes.kinds is empty. */
const KINDS_BY_PROTOCOL: Record<string, RouteKind[]> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute', 'TCPRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

export function kindAllowed(listener: Listener, kind: RouteKind): { allowed: boolean; why: string } {
  const kinds = listener.allowedRoutes?.kinds ?? [];
  if (kinds.length > 0) {
    const hit = kinds.some((k) => (k.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && k.kind === kind);
    return { allowed: hit, why: `allowedRoutes.kinds: ${kinds.map((k) => k.kind).join(', ')}` };
  }
  const byProto = KINDS_BY_PROTOCOL[listener.protocol.toUpperCase()] ?? [];
  return { allowed: byProto.includes(kind), why: `protocol ${listener.protocol} carries ${byProto.join(', ') || 'no route kind k8snet knows'}` };
}

export function namespaceAllowed(
  listener: Listener,
  gatewayNs: string,
  routeNamespace: string,
  namespaces: Namespace[] | undefined,
): { allowed: Tri; why: string } {
  const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return { allowed: 'yes', why: 'allowedRoutes.namespaces.from: All' };
  if (from === 'Same') {
    return { allowed: routeNamespace === gatewayNs ? 'yes' : 'no', why: `allowedRoutes.namespaces.from: Same (only namespace ${gatewayNs})` };
  }
  if (from === 'Selector') {
    const sel = listener.allowedRoutes?.namespaces?.selector ?? {};
    const ns = namespaces?.find((n) => n.metadata.name === routeNamespace);
    const selText = selectorToString(sel) || '(empty: every namespace)';
    if (!ns) {
      if (!namespaces) return { allowed: 'unknown', why: `allowedRoutes.namespaces.from: Selector ${selText}; namespace labels could not be read` };
      return { allowed: 'no', why: `allowedRoutes.namespaces.from: Selector ${selText}; namespace ${routeNamespace} not found` };
    }
    const labels = { 'kubernetes.io/metadata.name': routeNamespace, ...(ns.metadata.labels ?? {}) };
    const labelText = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    return {
      allowed: matchesSelector(sel, labels) ? 'yes' : 'no',
      why: `allowedRoutes.namespaces.from: Selector ${selText}; namespace ${routeNamespace} has ${labelText}`,
    };
  }
  return { allowed: 'no', why: `allowedRoutes.namespaces.from: ${from} (not a value of the spec)` };
}

/** How one route attaches to one Gateway through one parentRef. */
export function attachRoute(route: GatewayRoute, parent: ParentRefN, gateway: Gateway, namespaces: Namespace[] | undefined): Attachment {
  const gwNs = gateway.metadata.namespace ?? parent.namespace;
  const perListener: ListenerVerdict[] = gateway.spec.listeners.map((l) => {
    const selected = (parent.sectionName === undefined || parent.sectionName === l.name) && (parent.port === undefined || parent.port === l.port);
    const ns = namespaceAllowed(l, gwNs, routeNs(route), namespaces);
    const k = kindAllowed(l, route.kind);
    return {
      listener: l,
      selected,
      namespaceAllowed: ns.allowed,
      namespaceWhy: ns.why,
      kindAllowed: k.allowed,
      kindWhy: k.why,
      hostnames: effectiveHostnames(l.hostname, route.spec.hostnames),
    };
  });
  const selected = perListener.filter((v) => v.selected);
  if (selected.length === 0) return { attached: [], perListener, reason: 'NoMatchingParent', unknown: false };
  const allowed = selected.filter((v) => v.namespaceAllowed !== 'no' && v.kindAllowed);
  if (allowed.length === 0) return { attached: [], perListener, reason: 'NotAllowedByListeners', unknown: false };
  // TCP/UDP routes have no hostnames; only hostname-carrying kinds are filtered on them
  const usesHostnames = route.kind === 'HTTPRoute' || route.kind === 'GRPCRoute' || route.kind === 'TLSRoute';
  const matched = usesHostnames ? allowed.filter((v) => v.hostnames.length > 0) : allowed;
  if (matched.length === 0) return { attached: [], perListener, reason: 'NoMatchingListenerHostname', unknown: false };
  const certain = matched.filter((v) => v.namespaceAllowed === 'yes');
  return { attached: matched, perListener, unknown: certain.length === 0 };
}
