// Finding codes of step 5 with Gateway API. Layer decision: Gateway API is its own layer
// ("gateway"), not a sub-kind of "ingress": the objects, the owner (platform team vs app team), the
// status conditions and the ReferenceGrant fix differ; a NetworkPolicy that blocks the gateway's
// pods is named as the "policy" layer, as every policy cause is. Documented in docs/layers/gateway.md.

import type { CodeInfo } from './layers.js';

export const GATEWAY_CODES = {
  'gateway/not-installed': { layer: 'gateway', title: 'Gateway API is not installed' },
  'gateway/none': { layer: 'gateway', title: 'No Gateway API route sends traffic to the Service' },
  'gateway/unreadable': { layer: 'gateway', title: 'Gateway API objects could not be read' },
  'gateway/parent-not-gateway': { layer: 'gateway', title: 'parentRef is not a Gateway (not followed)' },
  'gateway/gateway-missing': { layer: 'gateway', title: 'Parent Gateway does not exist' },
  'gateway/class-missing': { layer: 'gateway', title: 'GatewayClass does not exist' },
  'gateway/class-not-accepted': { layer: 'gateway', title: 'GatewayClass is not accepted by a controller' },
  'gateway/no-controller': { layer: 'gateway', title: 'No running controller for the GatewayClass' },
  'gateway/controller-not-ready': { layer: 'gateway', title: 'Gateway controller pods are not Ready' },
  'gateway/controller-ready': { layer: 'gateway', title: 'Gateway controller is running' },
  'gateway/gateway-ok': { layer: 'gateway', title: 'Gateway is Accepted and Programmed' },
  'gateway/gateway-not-accepted': { layer: 'gateway', title: 'Gateway is not Accepted' },
  'gateway/gateway-not-programmed': { layer: 'gateway', title: 'Gateway is not Programmed' },
  'gateway/gateway-no-status': { layer: 'gateway', title: 'Gateway has no status from its controller' },
  'gateway/gateway-no-address': { layer: 'gateway', title: 'Gateway lists no address' },
  'gateway/listener-invalid': { layer: 'gateway', title: 'Listener the route uses has a failing condition' },
  'gateway/attached': { layer: 'gateway', title: 'Route attaches to a listener' },
  'gateway/no-matching-listener': { layer: 'gateway', title: 'parentRef sectionName/port matches no listener' },
  'gateway/not-allowed-by-listener': { layer: 'gateway', title: 'Listener does not admit the route (namespace or kind)' },
  'gateway/hostname-mismatch': { layer: 'gateway', title: 'Route hostnames match no listener hostname' },
  'gateway/route-accepted': { layer: 'gateway', title: 'Route is Accepted with references resolved' },
  'gateway/route-not-accepted': { layer: 'gateway', title: 'Route is not Accepted by the Gateway' },
  'gateway/refs-not-resolved': { layer: 'gateway', title: 'Route references are not resolved (ResolvedRefs False)' },
  'gateway/route-no-status': { layer: 'gateway', title: 'Controller wrote no status for this parent' },
  'gateway/route-status-stale': { layer: 'gateway', title: 'Route status is older than the route (observedGeneration behind)' },
  'gateway/certificate-missing': { layer: 'gateway', title: 'Listener TLS certificate Secret does not exist' },
  'gateway/certificate-not-permitted': { layer: 'gateway', title: 'Cross-namespace certificateRef without a ReferenceGrant' },
  'gateway/backend-ok': { layer: 'gateway', title: 'Route backends exist and are permitted' },
  'gateway/backend-missing': { layer: 'gateway', title: 'backendRef Service does not exist' },
  'gateway/backend-port-missing': { layer: 'gateway', title: 'backendRef port is not a Service port' },
  'gateway/backend-not-permitted': { layer: 'gateway', title: 'Cross-namespace backendRef without a ReferenceGrant' },
  'gateway/backend-other-kind': { layer: 'gateway', title: 'backendRef is not a Service (not followed)' },
  'gateway/backend-zero-weight': { layer: 'gateway', title: 'backendRef to the Service has weight 0' },
  'gateway/rule-no-backends': { layer: 'gateway', title: 'Route rule has no backendRefs' },
  'gateway/controller-log-errors': { layer: 'gateway', title: 'Gateway controller logs mention this route' },
  'gateway/probe-ok': { layer: 'gateway', title: 'Route answers through the Gateway' },
  'gateway/route-not-matched': { layer: 'gateway', title: 'Gateway answered 404 (route not matched)' },
  'gateway/backend-error': { layer: 'gateway', title: 'Gateway answered 5xx (backend problem)' },
  'gateway/probe-failed': { layer: 'gateway', title: 'Gateway data plane could not be reached' },
  'gateway/not-probed': { layer: 'gateway', title: 'Route through the Gateway could not be probed' },
  'gateway/hop-allowed': { layer: 'policy', title: 'NetworkPolicy allows gateway pods -> backend pods' },
  'gateway/hop-denied': { layer: 'policy', title: 'A NetworkPolicy blocks gateway pods -> backend pods' },
  'gateway/hop-unknown': { layer: 'policy', title: 'Gateway -> backend NetworkPolicy verdict unknown' },
} as const satisfies Record<string, CodeInfo>;

export type GatewayCode = keyof typeof GATEWAY_CODES;
