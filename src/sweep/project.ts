// Projects SweepFacts onto one Service: the Facts value diagnose's checks read, built from the shared
// lists (no copies of the big arrays), so sweep runs exactly diagnose's checks and diagnosis per Service.

import type { Facts, GatewayApiFacts, IngressFacts, Read } from '../model/facts.js';
import type { EndpointSlice, Ingress, NetworkPolicy, Pod, Service } from '../model/k8s.js';
import type { NamespaceReads, SweepFacts } from '../model/sweep.js';
import { routesTo } from '../gather/ingress.js';
import { resolveClass } from '../util/ingress-class.js';
import { routesToService } from '../gateway/routes.js';
import { FACTS_SCHEMA_VERSION } from '../model/facts.js';

/** Per-sweep shared objects, built once: the policies record, the peer pods, slices by Service. */
export interface SweepShared {
  policies: Record<string, Read<NetworkPolicy[]>>;
  peerPods: Record<string, Read<Pod[]>>;
  slicesByService: Map<string, EndpointSlice[]>;
  byNamespace: Map<string, NamespaceReads>;
}

export function sharedOf(sf: SweepFacts): SweepShared {
  const policies: Record<string, Read<NetworkPolicy[]>> = { ...sf.extraPolicies };
  const peerPods: Record<string, Read<Pod[]>> = {};
  const slicesByService = new Map<string, EndpointSlice[]>();
  const byNamespace = new Map<string, NamespaceReads>();
  for (const n of sf.swept) {
    byNamespace.set(n.name, n);
    policies[n.name] = n.policies;
    peerPods[n.name] = n.pods;
    if (n.endpointSlices.state !== 'ok') continue;
    for (const s of n.endpointSlices.value) {
      const svc = s.metadata.labels?.['kubernetes.io/service-name'];
      if (!svc) continue;
      const key = `${n.name}/${svc}`;
      const list = slicesByService.get(key);
      if (list) list.push(s);
      else slicesByService.set(key, [s]);
    }
  }
  return { policies, peerPods, slicesByService, byNamespace };
}

/** The Ingress facts of one Service: the Ingresses of its namespace that route to it, with the shared classes and controllers. */
export function ingressFactsFor(sf: SweepFacts, n: NamespaceReads, name: string): IngressFacts {
  const target = { namespace: n.name, name };
  if (n.ingresses.state !== 'ok') {
    return {
      ingresses: n.ingresses,
      classes: { state: 'skipped', message: 'Ingresses could not be listed' },
      controllers: [],
      tlsSecrets: [],
      backendServices: {},
    };
  }
  const ingresses = n.ingresses.value.filter((i) => routesTo(i, target));
  if (ingresses.length === 0) {
    return {
      ingresses: { state: 'ok', value: [] },
      classes: { state: 'skipped', message: 'no Ingress routes to the Service' },
      controllers: [],
      tlsSecrets: [],
      backendServices: {},
    };
  }
  const classes = sf.ingressClasses.state === 'ok' ? sf.ingressClasses.value : [];
  const controllers = new Set<string>();
  for (const ing of ingresses) {
    const ic = resolveClass(ing, classes).cls;
    if (ic?.spec.controller) controllers.add(ic.spec.controller);
  }
  return {
    ingresses: { state: 'ok', value: ingresses },
    classes: sf.ingressClasses,
    controllers: sf.controllers.filter((c) => controllers.has(c.controller)),
    tlsSecrets: sf.tlsSecrets.filter((s) => s.namespace === n.name && ingresses.some((i) => (i.spec.tls ?? []).some((t) => t.secretName === s.name))),
    backendServices: backendReads(n, ingresses),
  };
}

/** The Gateway API facts of one Service: the sweep's routes that send traffic to it; the rest shared. */
export function gatewayFactsFor(sf: SweepFacts, namespace: string, name: string): GatewayApiFacts | undefined {
  const g = sf.gateway;
  if (!g) return undefined;
  const target = { namespace, name };
  return {
    ...g,
    routes: g.routes.map(({ kind, read }) => ({
      kind,
      read: read.state === 'ok' ? { state: 'ok' as const, value: read.value.filter((r) => routesToService(r, target)) } : read,
    })),
  };
}

/** Every backend Service named by these Ingresses, looked up in the namespace's Service list. */
function backendReads(n: NamespaceReads, ingresses: Ingress[]): Record<string, Read<Service>> {
  const out: Record<string, Read<Service>> = {};
  for (const ing of ingresses) {
    const all = [ing.spec.defaultBackend, ...(ing.spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))];
    for (const b of all) {
      const name = b?.service?.name;
      if (!name) continue;
      const key = `${n.name}/${name}`;
      if (n.services.state !== 'ok') {
        out[key] = n.services;
        continue;
      }
      const svc = n.services.value.find((s) => s.metadata.name === name);
      out[key] = svc ? { state: 'ok', value: svc } : { state: 'not-found', message: `services "${name}" not found` };
    }
  }
  return out;
}

/**
 * The Facts of one Service of a swept namespace (or of a Service an Ingress names that does not
 * exist: `service` not-found, with the namespace's names as suggestions).
 */
export function factsForService(sf: SweepFacts, shared: SweepShared, n: NamespaceReads, name: string, svc: Service | undefined): Facts {
  const key = `${n.name}/${name}`;
  const slices = n.endpointSlices.state === 'ok' ? { state: 'ok' as const, value: shared.slicesByService.get(key) ?? [] } : n.endpointSlices;
  const facts: Facts = {
    schemaVersion: FACTS_SCHEMA_VERSION,
    k8snetVersion: sf.k8snetVersion,
    gatheredAt: sf.gatheredAt,
    context: sf.context,
    request: {
      target: { namespace: n.name, name },
      ...(sf.request.from ? { from: sf.request.from } : {}),
      ...(sf.request.container ? { container: sf.request.container } : {}),
      path: sf.request.path,
      probeTimeoutMs: sf.request.probeTimeoutMs,
      ephemeral: false,
    },
    access: sf.access,
    service: svc ? { state: 'ok', value: svc } : { state: 'not-found', message: `services "${name}" not found` },
    namespacePods: n.pods,
    endpointSlices: slices,
    source: sf.source,
    nodes: sf.nodes,
    probes: sf.probes[key] ?? [],
    dns: sf.dns,
    namespaces: sf.namespaceList,
    policies: shared.policies,
    daemonSets: sf.daemonSets,
    ingress: ingressFactsFor(sf, n, name),
    ...(sf.gateway ? { gateway: gatewayFactsFor(sf, n.name, name) } : {}),
    timings: [],
    requests: 0,
    notes: sf.notes,
    peerPods: shared.peerPods,
  };
  if (!svc && n.services.state === 'ok') {
    facts.serviceSuggestions = { sameNamespace: n.services.value.map((s) => s.metadata.name), otherNamespaces: [] };
  }
  return facts;
}
