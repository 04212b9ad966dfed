// Gateway API condition reasons in words (the spec's meaning, for a reader who does not know it).

const ROUTE_REASONS: Record<string, string> = {
  Accepted: 'the Gateway accepted the route',
  NotAllowedByListeners: 'no listener of the Gateway admits routes of this kind from this namespace (allowedRoutes)',
  NoMatchingListenerHostname: "none of the route's hostnames intersects a listener hostname",
  NoMatchingParent: 'no listener matches the parentRef (wrong sectionName or port), or the parent does not exist',
  UnsupportedValue: 'the route uses a value the controller does not support',
  Pending: 'the controller has not reconciled the route yet',
  IncompatibleFilters: 'the route combines filters the controller cannot apply together',
  ResolvedRefs: 'every reference in the route resolved',
  RefNotPermitted: 'a backendRef points into another namespace and no ReferenceGrant there allows it',
  BackendNotFound: 'a backendRef names a Service (or port) that does not exist',
  InvalidKind: 'a backendRef names a group/kind the controller does not support',
  UnsupportedProtocol: 'a backend speaks an appProtocol the controller does not support',
};

const GATEWAY_REASONS: Record<string, string> = {
  Accepted: 'the controller accepted the Gateway',
  Programmed: 'the data plane is configured for the Gateway',
  ListenersNotValid: 'one or more listeners are invalid',
  Invalid: 'the Gateway is invalid',
  InvalidParameters: 'the GatewayClass parametersRef is invalid',
  UnsupportedAddress: 'a requested address is not supported',
  AddressNotAssigned: 'no address could be assigned',
  AddressNotUsable: 'a requested address cannot be used',
  NoResources: 'the data plane has no resources to run',
  Pending: 'the controller has not reconciled the Gateway yet',
  PortUnavailable: 'the listener port is in use or not available (for Traefik: no entrypoint listens on it)',
  UnsupportedProtocol: 'the listener protocol is not supported',
  ProtocolConflict: 'listeners on the same port use conflicting protocols',
  HostnameConflict: 'listeners on the same port use the same hostname',
  InvalidCertificateRef: 'a TLS certificateRef does not exist or is not a valid TLS Secret',
  RefNotPermitted: 'a certificateRef points into another namespace and no ReferenceGrant there allows it',
  InvalidRouteKinds: 'allowedRoutes.kinds lists a kind the controller does not support',
  Handled: 'handled by the controller',
};

/** "RefNotPermitted: a backendRef points into another namespace ..." */
export function routeReasonWords(reason: string | undefined): string {
  if (!reason) return 'no reason given';
  const w = ROUTE_REASONS[reason];
  return w ? `${reason}: ${w}` : reason;
}

export function gatewayReasonWords(reason: string | undefined): string {
  if (!reason) return 'no reason given';
  const w = GATEWAY_REASONS[reason];
  return w ? `${reason}: ${w}` : reason;
}
