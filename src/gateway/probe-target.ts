// Where and how to probe a route through its Gateway's data plane (pure): the address (the Gateway's
// status address, mapped to the data-plane Service when it is one), the port (the listener port,
// or the Service port that forwards to it), a Host header the listener and route both accept, and a
// path the route's matches accept.

import type { GatewayDataPlane } from '../model/facts.js';
import type { Gateway, GatewayRoute, HttpRouteMatch, Listener } from '../model/gateway-api.js';
import type { Pod, Service } from '../model/k8s.js';
import { isPodReady } from '../util/pod.js';
import { probeHostname } from './hostnames.js';

export interface DataPlaneEndpoint {
  host: string;
  port: number;
  /** How the address was chosen, for the probe's label. */
  via: string;
}

/** The Service port that reaches the listener: port == listener port, or targetPort == it (number or named container port). */
function servicePortFor(svc: Service, listenerPort: number, pods: Pod[]): number | undefined {
  const ports = svc.spec.ports ?? [];
  const same = ports.find((p) => p.port === listenerPort && (p.protocol ?? 'TCP') === 'TCP');
  if (same) return same.port;
  for (const p of ports) {
    const tp = p.targetPort ?? p.port;
    if (
      typeof tp === 'number'
        ? tp === listenerPort
        : /^\d+$/.test(tp)
          ? Number(tp) === listenerPort
          : pods.some((pod) => pod.spec.containers.some((c) => (c.ports ?? []).some((cp) => cp.name === tp && cp.containerPort === listenerPort)))
    ) {
      return p.port;
    }
  }
  return undefined;
}

function serviceForAddress(services: Service[], address: string, clusterDomain: string): Service | undefined {
  return services.find((s) => {
    const ns = s.metadata.namespace ?? 'default';
    const names = [`${s.metadata.name}.${ns}.svc.${clusterDomain}`, `${s.metadata.name}.${ns}.svc`, `${s.metadata.name}.${ns}`];
    return s.spec.clusterIP === address || (s.spec.clusterIPs ?? []).includes(address) || names.includes(address.replace(/\.$/, ''));
  });
}

/** The endpoint to probe for one listener, or why there is none. */
export function dataPlaneEndpoint(
  gateway: Gateway,
  listener: Listener,
  dp: GatewayDataPlane | undefined,
  clusterDomain: string,
): DataPlaneEndpoint | { why: string } {
  const services = dp?.services.state === 'ok' ? dp.services.value : [];
  const pods = dp?.pods.state === 'ok' ? dp.pods.value : [];
  const addresses = gateway.status?.addresses ?? [];
  const mapped = new Set<string>();
  for (const a of addresses) {
    const svc = serviceForAddress(services, a.value, clusterDomain);
    if (svc) mapped.add(a.value);
    if (svc?.spec.clusterIP && svc.spec.clusterIP !== 'None') {
      const port = servicePortFor(svc, listener.port, pods);
      if (port !== undefined)
        return { host: svc.spec.clusterIP, port, via: `Gateway address ${a.value} = Service ${svc.metadata.namespace}/${svc.metadata.name}` };
    }
  }
  // An address that is not a data-plane Service (a load balancer IP or name): probe it on the listener
  // port. An address that IS a data-plane Service without a port for the listener cannot carry it:
  // the data-plane pods are tried instead.
  const first = addresses.find((a) => a.value && !mapped.has(a.value));
  if (first) return { host: first.value, port: listener.port, via: `Gateway address ${first.value}` };
  for (const svc of services) {
    if (!svc.spec.clusterIP || svc.spec.clusterIP === 'None') continue;
    const port = servicePortFor(svc, listener.port, pods);
    if (port !== undefined)
      return { host: svc.spec.clusterIP, port, via: `data-plane Service ${svc.metadata.namespace}/${svc.metadata.name} (the Gateway lists no address)` };
  }
  const pod = pods.find(isPodReady);
  if (pod?.status?.podIP)
    return {
      host: pod.status.podIP,
      port: listener.port,
      via: `data-plane pod ${pod.metadata.namespace}/${pod.metadata.name} (no address, no Service port for ${listener.port})`,
    };
  return { why: 'the Gateway lists no address and no Ready data-plane pod or Service was found' };
}

/** A path the match accepts with no other condition, or why the probe cannot satisfy the match. */
function pathForMatch(m: HttpRouteMatch, requested: string): { path: string } | { why: string } {
  if ((m.headers ?? []).length > 0 || (m.queryParams ?? []).length > 0 || (m.method && m.method !== 'GET')) {
    return { why: 'the match also needs headers, query parameters or a method the probe does not send' };
  }
  const type = m.path?.type ?? 'PathPrefix';
  const value = m.path?.value ?? '/';
  if (type === 'Exact') return { path: value };
  if (type === 'PathPrefix') {
    const base = value.endsWith('/') && value !== '/' ? value.slice(0, -1) : value;
    // the user's --path wins when the prefix accepts it (segment-wise, as the spec says)
    if (requested !== '/' && (base === '/' || requested === base || requested.startsWith(`${base}/`))) return { path: requested };
    return { path: value };
  }
  return { why: `path match type ${type} (${value}): k8snet does not invent a path for it` };
}

/** Host header and path for probing one rule of an HTTPRoute on a listener. */
export function httpProbeRequest(
  route: GatewayRoute,
  ruleIndex: number,
  hostnames: string[],
  requestedPath: string,
): { hostHeader?: string; path: string } | { why: string } {
  const rule = route.spec.rules?.[ruleIndex];
  const matches = rule?.matches && rule.matches.length > 0 ? rule.matches : [{ path: { type: 'PathPrefix', value: '/' } }];
  let why = '';
  for (const m of matches) {
    const r = pathForMatch(m, requestedPath);
    if ('path' in r) {
      if (!r.path.startsWith('/')) return { why: `path ${JSON.stringify(r.path)} does not start with /` };
      const host = probeHostname(hostnames);
      return { ...(host ? { hostHeader: host } : {}), path: r.path };
    }
    why = r.why;
  }
  return { why };
}
