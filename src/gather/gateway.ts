// Step 5 facts for Gateway API: API discovery (is it installed, which route kinds are served),
// routes whose backendRefs name the target Service (or the one --route names), their Gateways,
// GatewayClasses, controllers (pods, Services, bounded logs), each Gateway's data plane, the
// ReferenceGrants of namespaces that references cross into, backend Services, and certificateRef
// existence (metadata only).

import type { Api } from '../cluster/api.js';
import { qs } from '../cluster/api.js';
import type { GatewayApiFacts, GatewayDataPlane, IngressControllerFacts, NsName, Read } from '../model/facts.js';
import {
  GATEWAY_GROUP,
  ROUTE_KINDS,
  type Gateway,
  type GatewayClass,
  type GatewayResource,
  type GatewayRoute,
  type ReferenceGrant,
  type RouteKind,
} from '../model/gateway-api.js';
import type { Pod, Service } from '../model/k8s.js';
import { backendRefsOf, isGatewayParent, isServiceRef, parentRefsOf, routeNs, routesToService } from '../gateway/routes.js';
import { matchesMap } from '../util/selector.js';
import { GATEWAY_NAME_LABEL, knownGatewayController } from './gateway-controllers.js';
import { fillLogs, gatherControllerStaged, secretExists } from './ingress.js';

const enc = encodeURIComponent;
const MAX_ROUTES = 20;

interface ApiGroup {
  versions?: { groupVersion: string; version: string }[];
  preferredVersion?: { version: string };
}
interface ResourceList {
  resources?: { name: string; kind: string; namespaced?: boolean }[];
}

/** Versions whose resource lists are asked for beside the group itself (one round trip less when they are served). */
const LIKELY_VERSIONS = ['v1', 'v1beta1'];
/** Lists asked for beside discovery: used only when discovery then names exactly this path for the kind. */
const LIKELY_LISTS = ['v1/httproutes', 'v1/grpcroutes', 'v1/gatewayclasses'];

/**
 * GETs of this gather, each asked once: a path asked for ahead of need (beside discovery) is reused
 * when the discovered path is the same, and never otherwise.
 */
class Reads {
  private readonly started = new Map<string, Promise<Read<unknown>>>();
  constructor(private readonly api: Api) {}
  prefetch(path: string): void {
    if (!this.started.has(path)) this.started.set(path, this.api.read<unknown>(path));
  }
  read<T>(path: string): Promise<Read<T>> {
    this.prefetch(path);
    return this.started.get(path)! as Promise<Read<T>>;
  }
  async list<T>(path: string): Promise<Read<T[]>> {
    const r = await this.read<{ items?: T[] }>(path);
    return r.state === 'ok' ? { state: 'ok', value: r.value.items ?? [] } : r;
  }
}

/** The served kinds of the group, each at the preferred version that serves it. */
async function discover(reads: Reads): Promise<Read<GatewayResource[]>> {
  for (const v of LIKELY_VERSIONS) reads.prefetch(`/apis/${GATEWAY_GROUP}/${v}`);
  for (const l of LIKELY_LISTS) reads.prefetch(`/apis/${GATEWAY_GROUP}/${l}`);
  const group = await reads.read<ApiGroup>(`/apis/${GATEWAY_GROUP}`);
  if (group.state !== 'ok') return group;
  const pref = group.value.preferredVersion?.version;
  const versions = [...new Set([...(pref ? [pref] : []), ...(group.value.versions ?? []).map((v) => v.version)])];
  const lists = await Promise.all(versions.map(async (v) => [v, await reads.read<ResourceList>(`/apis/${GATEWAY_GROUP}/${v}`)] as const));
  const failed = lists.find(([, r]) => r.state !== 'ok' && r.state !== 'not-found');
  if (failed && lists.every(([, r]) => r.state !== 'ok')) return failed[1] as Read<never>;
  const out: GatewayResource[] = [];
  for (const [version, r] of lists) {
    if (r.state !== 'ok') continue;
    for (const res of r.value.resources ?? []) {
      if (res.name.includes('/') || out.some((o) => o.kind === res.kind)) continue;
      out.push({ kind: res.kind, resource: res.name, version });
    }
  }
  return { state: 'ok', value: out };
}

function path(res: GatewayResource, ns?: string, name?: string): string {
  const base = `/apis/${GATEWAY_GROUP}/${res.version}`;
  const scoped = ns ? `${base}/namespaces/${enc(ns)}/${res.resource}` : `${base}/${res.resource}`;
  return name ? `${scoped}/${enc(name)}` : scoped;
}

function withKind(kind: RouteKind, routes: GatewayRoute[]): GatewayRoute[] {
  return routes.map((r) => ({ ...r, kind }));
}

export interface GatewayGatherResult {
  facts: GatewayApiFacts;
  /** Namespaces of the gateways' data-plane pods (their NetworkPolicies join the policy world). */
  dataPlaneNamespaces: string[];
  /** Settles once the controllers' log tails are in `facts.controllers` (never rejects). */
  logs: Promise<void>;
}

function empty(discovery: Read<GatewayResource[]>): GatewayApiFacts {
  const skipped: Read<never> = { state: 'skipped', message: 'no route to the Service' };
  return { discovery, routes: [], gateways: {}, classes: skipped, controllers: [], dataPlanes: {}, referenceGrants: {}, backendServices: {}, certificates: [] };
}

export async function gatherGateway(api: Api, target: NsName, explicit?: { kind: RouteKind; namespace: string; name: string }): Promise<GatewayGatherResult> {
  return gatherGatewayFor(
    api,
    { matches: (r) => routesToService(r, target), isTarget: (b) => b.namespace === target.namespace && b.name === target.name, maxRoutes: MAX_ROUTES },
    explicit,
  );
}

/**
 * The same reads for any set of target Services: `k8snet sweep` lists each route kind once and keeps
 * the routes that send traffic to any swept Service (then projects them per Service).
 */
export async function gatherGatewayFor(
  api: Api,
  sel: { matches: (route: GatewayRoute) => boolean; isTarget: (backend: NsName) => boolean; maxRoutes: number },
  explicit?: { kind: RouteKind; namespace: string; name: string },
): Promise<GatewayGatherResult> {
  const reads = new Reads(api);
  const discovery = await discover(reads);
  const facts = empty(discovery);
  if (discovery.state !== 'ok') return { facts, dataPlaneNamespaces: [], logs: Promise.resolve() };
  const served = new Map(discovery.value.map((r) => [r.kind, r]));

  // Routes: the one --route names, or every served kind listed cluster-wide and filtered by backendRefs.
  if (explicit) {
    const res = served.get(explicit.kind);
    const read: Read<GatewayRoute[]> = res
      ? await reads
          .read<GatewayRoute>(path(res, explicit.namespace, explicit.name))
          .then((r) => (r.state === 'ok' ? { state: 'ok' as const, value: withKind(explicit.kind, [r.value]) } : r))
      : { state: 'not-found', message: `${explicit.kind} is not served by this cluster (its CRD is not installed)` };
    facts.routes = [{ kind: explicit.kind, read }];
  } else {
    const kinds = ROUTE_KINDS.filter((k) => served.has(k));
    facts.routes = await Promise.all(
      kinds.map(async (kind) => {
        const r = await reads.list<GatewayRoute>(path(served.get(kind)!));
        const read: Read<GatewayRoute[]> = r.state === 'ok' ? { state: 'ok', value: withKind(kind, r.value).filter(sel.matches).slice(0, sel.maxRoutes) } : r;
        return { kind, read };
      }),
    );
  }
  const routes = facts.routes.flatMap((r) => (r.read.state === 'ok' ? r.read.value : []));
  if (routes.length === 0) return { facts, dataPlaneNamespaces: [], logs: Promise.resolve() };

  const gwRes = served.get('Gateway');
  const classRes = served.get('GatewayClass');
  const grantRes = served.get('ReferenceGrant');
  const gatewayKeys = new Map<string, NsName>();
  const backendKeys = new Map<string, NsName>();
  const grantNamespaces = new Set<string>();
  for (const route of routes) {
    for (const p of parentRefsOf(route)) if (isGatewayParent(p)) gatewayKeys.set(`${p.namespace}/${p.name}`, { namespace: p.namespace, name: p.name });
    for (const b of backendRefsOf(route)) {
      if (!isServiceRef(b)) continue;
      if (!sel.isTarget(b)) backendKeys.set(`${b.namespace}/${b.name}`, { namespace: b.namespace, name: b.name });
      if (b.namespace !== routeNs(route)) grantNamespaces.add(b.namespace);
    }
  }
  const skipped = (what: string): Read<never> => ({ state: 'not-found', message: `${what} is not served by this cluster` });
  const [gateways, classes, backends] = await Promise.all([
    Promise.all(
      [...gatewayKeys.entries()].map(async ([k, g]) => [k, gwRes ? await api.read<Gateway>(path(gwRes, g.namespace, g.name)) : skipped('Gateway')] as const),
    ),
    classRes ? reads.list<GatewayClass>(path(classRes)) : Promise.resolve(skipped('GatewayClass')),
    Promise.all(
      [...backendKeys.entries()].map(async ([k, s]) => [k, await api.read<Service>(`/api/v1/namespaces/${enc(s.namespace)}/services/${enc(s.name)}`)] as const),
    ),
  ]);
  facts.gateways = Object.fromEntries(gateways);
  facts.classes = classes;
  facts.backendServices = Object.fromEntries(backends);

  // Certificates of TLS listeners, and the namespaces they cross into.
  const certRefs = new Map<string, NsName>();
  for (const [, g] of gateways) {
    if (g.state !== 'ok') continue;
    const gwNs = g.value.metadata.namespace ?? 'default';
    for (const l of g.value.spec.listeners ?? []) {
      for (const c of l.tls?.certificateRefs ?? []) {
        if ((c.group ?? '') !== '' || (c.kind ?? 'Secret') !== 'Secret') continue;
        const ns = c.namespace ?? gwNs;
        certRefs.set(`${ns}/${c.name}`, { namespace: ns, name: c.name });
        if (ns !== gwNs) grantNamespaces.add(ns);
      }
    }
  }
  const classList = classes.state === 'ok' ? classes.value : [];
  const controllerNames = new Set<string>();
  for (const [, g] of gateways) {
    if (g.state !== 'ok') continue;
    const cls = classList.find((c) => c.metadata.name === g.value.spec.gatewayClassName);
    if (cls?.spec.controllerName) controllerNames.add(cls.spec.controllerName);
  }
  // the data planes' own pods are asked for beside the controllers (needed only when they have none)
  const staged = [...controllerNames].map((c) => gatherControllerStaged(api, c, knownGatewayController(c)));
  const ownPods = new Map(
    gateways.flatMap(([key, g]) =>
      g.state === 'ok'
        ? [
            [
              key,
              api.list<Pod>(
                `/api/v1/namespaces/${enc(g.value.metadata.namespace ?? 'default')}/pods${qs({ labelSelector: `${GATEWAY_NAME_LABEL}=${g.value.metadata.name}` })}`,
              ),
            ] as const,
          ]
        : [],
    ),
  );
  const [controllers, certificates, grants] = await Promise.all([
    Promise.all(staged.map((c) => c.routing)),
    Promise.all([...certRefs.values()].map(async (s) => ({ ...s, exists: await secretExists(api, s) }))),
    Promise.all(
      [...grantNamespaces].map(async (ns) => [ns, grantRes ? await reads.list<ReferenceGrant>(path(grantRes, ns)) : skipped('ReferenceGrant')] as const),
    ),
  ]);
  facts.controllers = controllers;
  facts.certificates = certificates;
  facts.referenceGrants = Object.fromEntries(grants);

  // Data plane per Gateway: its own pods (gateway-name label), else the controller's pods.
  const planes = await Promise.all(
    gateways.map(async ([key, g]) => {
      if (g.state !== 'ok') return [key, { via: 'none', pods: g, services: { state: 'skipped', message: 'no Gateway' } }] as const;
      const cls = classList.find((c) => c.metadata.name === g.value.spec.gatewayClassName);
      const ctl = controllers.find((c) => c.controller === cls?.spec.controllerName);
      return [key, await dataPlane(api, g.value, await ownPods.get(key)!, ctl)] as const;
    }),
  );
  facts.dataPlanes = Object.fromEntries(planes);
  const dataPlaneNamespaces = [
    ...new Set(Object.values(facts.dataPlanes).flatMap((d) => (d.pods.state === 'ok' ? d.pods.value.map((p) => p.metadata.namespace ?? 'default') : []))),
  ];
  return { facts, dataPlaneNamespaces, logs: fillLogs(controllers, staged) };
}

async function dataPlane(api: Api, gw: Gateway, own: Read<Pod[]>, ctl: IngressControllerFacts | undefined): Promise<GatewayDataPlane> {
  const ns = gw.metadata.namespace ?? 'default';
  if (own.state === 'ok' && own.value.length > 0) {
    const svcs = await api.list<Service>(`/api/v1/namespaces/${enc(ns)}/services`);
    const services: Read<Service[]> =
      svcs.state === 'ok' ? { state: 'ok', value: svcs.value.filter((s) => own.value.some((p) => matchesMap(s.spec.selector, p.metadata.labels))) } : svcs;
    return { via: 'gateway-label', pods: own, services };
  }
  if (ctl) return { via: 'controller', pods: ctl.pods, services: ctl.services };
  return {
    via: 'none',
    pods: own.state === 'ok' ? { state: 'not-found', message: 'no pods carry the gateway-name label and the controller is unknown' } : own,
    services: { state: 'skipped', message: 'no data-plane pods' },
  };
}
