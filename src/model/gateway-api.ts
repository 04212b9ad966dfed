// Wire-format (JSON) shapes of the Gateway API objects k8snet reads (gateway.networking.k8s.io,
// standard channel v1.x, plus the experimental TLSRoute/TCPRoute/UDPRoute when served).

import type { LabelSelector, ObjectMeta } from './k8s.js';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** Route kinds k8snet follows; the last three only when their CRDs are installed. */
export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];

/** Metadata plus the generation the controller's observedGeneration is compared with. */
export type GwMeta = ObjectMeta & { generation?: number };

/** metav1.Condition as Gateway API status uses it. */
export interface GwCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}

export interface BackendRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  weight?: number;
}

export interface HttpRouteMatch {
  path?: { type?: string; value?: string };
  headers?: { type?: string; name: string; value: string }[];
  queryParams?: { type?: string; name: string; value: string }[];
  method?: string;
}

export interface RouteRule {
  name?: string;
  /** HTTPRoute: HttpRouteMatch; GRPCRoute: method/header matches (not interpreted beyond presence). */
  matches?: HttpRouteMatch[];
  backendRefs?: BackendRef[];
  filters?: { type: string }[];
}

export interface RouteParentStatus {
  parentRef: ParentReference;
  controllerName: string;
  conditions?: GwCondition[];
}

/** HTTPRoute, GRPCRoute, TLSRoute, TCPRoute or UDPRoute: the fields k8snet reads are common. */
export interface GatewayRoute {
  kind: RouteKind;
  apiVersion?: string;
  metadata: GwMeta;
  spec: {
    parentRefs?: ParentReference[];
    hostnames?: string[];
    rules?: RouteRule[];
  };
  status?: { parents?: RouteParentStatus[] };
}

export interface SecretObjectReference {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
}

export interface Listener {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  tls?: { mode?: string; certificateRefs?: SecretObjectReference[] };
  allowedRoutes?: {
    namespaces?: { from?: 'All' | 'Same' | 'Selector' | string; selector?: LabelSelector };
    kinds?: { group?: string; kind: string }[];
  };
}

export interface ListenerStatus {
  name: string;
  attachedRoutes: number;
  supportedKinds?: { group?: string; kind: string }[];
  conditions?: GwCondition[];
}

export interface Gateway {
  kind?: 'Gateway';
  metadata: GwMeta;
  spec: {
    gatewayClassName: string;
    listeners: Listener[];
    addresses?: { type?: string; value: string }[];
  };
  status?: {
    addresses?: { type?: string; value: string }[];
    conditions?: GwCondition[];
    listeners?: ListenerStatus[];
  };
}

export interface GatewayClass {
  metadata: GwMeta;
  spec: { controllerName: string; description?: string };
  status?: { conditions?: GwCondition[] };
}

export interface ReferenceGrant {
  metadata: GwMeta;
  spec: {
    from: { group: string; kind: string; namespace: string }[];
    to: { group: string; kind: string; name?: string }[];
  };
}

/** One served resource of the group: which version to read a kind at. */
export interface GatewayResource {
  kind: string;
  /** Plural resource name, e.g. "httproutes". */
  resource: string;
  version: string;
}

/** "HTTPRoute" -> "httproute" (kubectl's singular name). */
export function kubectlName(kind: string): string {
  return kind.toLowerCase();
}
