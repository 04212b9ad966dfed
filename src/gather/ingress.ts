// Step 5 facts: Ingresses that route to the Service, their classes, the controllers behind them
// (pods, Services, a bounded log tail), TLS secret existence (metadata only), other backends.

import type { Api } from '../cluster/api.js';
import { qs, readFailure } from '../cluster/api.js';
import type { Ingress, IngressClass, Pod, Service } from '../model/k8s.js';
import type { IngressControllerFacts, IngressFacts, NsName, Read } from '../model/facts.js';
import { matchesMap } from '../util/selector.js';
import { resolveClass } from '../util/ingress-class.js';
import { knownController, type KnownController } from './ingress-controllers.js';

const LOG_TAIL_LINES = 300;
const LOG_MAX_BYTES = 256 * 1024;
const MAX_LOG_PODS = 2;

/** Does this Ingress send any path (or its default backend) to the Service? */
export function routesTo(ing: Ingress, target: NsName): boolean {
  if (ing.metadata.namespace !== target.namespace) return false;
  if (ing.spec.defaultBackend?.service?.name === target.name) return true;
  return (ing.spec.rules ?? []).some((r) => (r.http?.paths ?? []).some((p) => p.backend.service?.name === target.name));
}

export interface IngressGather {
  /** Everything the probes need; the controllers' log tails are filled in when `logs` settles. */
  facts: IngressFacts;
  controllerNamespaces: string[];
  /** Settles once every controller's log tail is in `facts` (never rejects). */
  logs: Promise<void>;
}

/** Ingress facts in two stages: the routing facts (awaited by the probe plan) first, the controllers' logs after. */
export async function gatherIngress(api: Api, target: NsName, explicit?: NsName): Promise<IngressGather> {
  // the class list is read beside the Ingress (not after it): one round trip less when an Ingress routes
  const classesRead = api.list<IngressClass>('/apis/networking.k8s.io/v1/ingressclasses');
  const ingressesRead: Read<Ingress[]> = explicit
    ? await api
        .read<Ingress>(`/apis/networking.k8s.io/v1/namespaces/${enc(explicit.namespace)}/ingresses/${enc(explicit.name)}`)
        .then((r) => (r.state === 'ok' ? { state: 'ok' as const, value: [r.value] } : r))
    : await api
        .list<Ingress>(`/apis/networking.k8s.io/v1/namespaces/${enc(target.namespace)}/ingresses`)
        .then((r) => (r.state === 'ok' ? { state: 'ok' as const, value: r.value.filter((i) => routesTo(i, target)) } : r));
  const facts: IngressFacts = {
    ingresses: ingressesRead,
    classes: { state: 'skipped', message: 'no Ingress routes to the Service' },
    controllers: [],
    tlsSecrets: [],
    backendServices: {},
  };
  if (ingressesRead.state !== 'ok' || ingressesRead.value.length === 0) return { facts, controllerNamespaces: [], logs: Promise.resolve() };
  const ingresses = ingressesRead.value;
  facts.classes = await classesRead;
  const classes = facts.classes.state === 'ok' ? facts.classes.value : [];

  // controllers behind the classes the Ingresses use
  const controllerNames = new Set<string>();
  for (const ing of ingresses) {
    const cls = resolveClass(ing, classes);
    const ic = cls.cls;
    if (ic?.spec.controller) controllerNames.add(ic.spec.controller);
    // no class and no default: any running controller may serve it (Traefik does by default, ingress-nginx
    // with --watch-ingress-without-class), so every class's controller is a candidate to read and probe
    if (cls.via === 'none') for (const c of classes) if (c.spec.controller) controllerNames.add(c.spec.controller);
  }
  const secretRefs: NsName[] = [];
  const backends = new Map<string, NsName>();
  for (const ing of ingresses) {
    for (const t of ing.spec.tls ?? []) if (t.secretName) secretRefs.push({ namespace: ing.metadata.namespace!, name: t.secretName });
    const all = [ing.spec.defaultBackend, ...(ing.spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))];
    for (const b of all) {
      if (b?.service?.name) backends.set(`${ing.metadata.namespace}/${b.service.name}`, { namespace: ing.metadata.namespace!, name: b.service.name });
    }
  }
  const staged = [...controllerNames].map((c) => gatherControllerStaged(api, c));
  const [controllers, secrets, backendReads] = await Promise.all([
    Promise.all(staged.map((c) => c.routing)),
    Promise.all(secretRefs.map(async (s) => ({ ...s, exists: await secretExists(api, s) }))),
    Promise.all(
      [...backends.entries()].map(
        async ([key, ref]) => [key, await api.read<Service>(`/api/v1/namespaces/${enc(ref.namespace)}/services/${enc(ref.name)}`)] as const,
      ),
    ),
  ]);
  facts.controllers = controllers;
  facts.tlsSecrets = secrets;
  facts.backendServices = Object.fromEntries(backendReads);
  const controllerNamespaces = [...new Set(controllers.flatMap((c) => (c.pods.state === 'ok' ? c.pods.value.map((p) => p.metadata.namespace!) : [])))];
  return { facts, controllerNamespaces, logs: fillLogs(controllers, staged) };
}

/** Writes each staged controller's log tail into its facts (the copies `routing` gave); never rejects. */
export function fillLogs(controllers: IngressControllerFacts[], staged: StagedController[]): Promise<void> {
  return Promise.all(
    staged.map(async (c, i) => {
      controllers[i].logs = await c.logs;
    }),
  ).then(() => undefined);
}

/**
 * A controller's pods (by its product's labels) and the Services in front of them (`routing`: what
 * probes need), then a bounded log tail of its running pods (`logs`, read after the pods are known,
 * while the probes run). One read per product per run: Traefik serves both IngressClass and
 * GatewayClass from the same pods, so the Ingress and Gateway API steps share its pods, Services and logs.
 */
export interface StagedController {
  /** The controller's facts with `logs: []`; a copy per caller, so its logs can be filled in. */
  routing: Promise<IngressControllerFacts>;
  /** Never rejects: a failed read is a Read failure. */
  logs: Promise<IngressControllerFacts['logs']>;
}

const sharedControllers = new WeakMap<Api, Map<string, StagedController>>();

export function gatherControllerStaged(api: Api, controller: string, known: KnownController = knownController(controller)): StagedController {
  const read = (): StagedController => {
    const routing = readController(api, controller, known);
    return { routing, logs: routing.then((base) => readControllerLogs(api, base)) };
  };
  if (known.selectors.length === 0) return read();
  const cache = sharedControllers.get(api) ?? new Map<string, StagedController>();
  sharedControllers.set(api, cache);
  const key = `${known.product}|${known.selectors.join(';')}`;
  let p = cache.get(key);
  if (!p) {
    p = read();
    cache.set(key, p);
  }
  return { routing: p.routing.then((got) => ({ ...got, controller, logs: [] })), logs: p.logs };
}

/** A controller's facts with its log tail (both stages awaited). */
export async function gatherController(api: Api, controller: string, known: KnownController = knownController(controller)): Promise<IngressControllerFacts> {
  const staged = gatherControllerStaged(api, controller, known);
  const [routing, logs] = await Promise.all([staged.routing, staged.logs]);
  return { ...routing, logs };
}

async function readController(api: Api, controller: string, known: KnownController): Promise<IngressControllerFacts> {
  const base: IngressControllerFacts = {
    controller,
    product: known.product,
    pods: {
      state: 'skipped',
      message: known.external ? `${known.product} runs outside the cluster` : `k8snet does not know the labels of controller ${controller}`,
    },
    services: { state: 'skipped', message: 'no controller pods' },
    logs: [],
  };
  let pods: Read<Pod[]> = base.pods;
  for (const sel of known.selectors) {
    pods = await api.list<Pod>(`/api/v1/pods${qs({ labelSelector: sel })}`);
    if (pods.state !== 'ok' || pods.value.length > 0) break;
  }
  base.pods = pods;
  if (pods.state !== 'ok' || pods.value.length === 0) return base;
  const namespaces = [...new Set(pods.value.map((p) => p.metadata.namespace!))];
  const svcReads = await Promise.all(namespaces.map((ns) => api.list<Service>(`/api/v1/namespaces/${enc(ns)}/services`)));
  const failed = svcReads.find((r) => r.state !== 'ok');
  base.services = failed
    ? failed
    : {
        state: 'ok',
        value: svcReads
          .flatMap((r) => (r.state === 'ok' ? r.value : []))
          .filter((s) => pods.value.some((p) => p.metadata.namespace === s.metadata.namespace && matchesMap(s.spec.selector, p.metadata.labels))),
      };
  return base;
}

/** Bounded log tails of up to MAX_LOG_PODS running controller pods; never rejects. */
async function readControllerLogs(api: Api, base: IngressControllerFacts): Promise<IngressControllerFacts['logs']> {
  if (base.pods.state !== 'ok') return [];
  const running = base.pods.value.filter((p) => p.status?.phase === 'Running').slice(0, MAX_LOG_PODS);
  return Promise.all(
    running.map(async (p) => {
      const container = p.spec.containers[0].name;
      const path = `/api/v1/namespaces/${enc(p.metadata.namespace!)}/pods/${enc(p.metadata.name)}/log${qs({ container, tailLines: LOG_TAIL_LINES, limitBytes: LOG_MAX_BYTES })}`;
      let lines: Read<string[]>;
      try {
        const text = await api.getText(path, { timeoutMs: 5000, maxBytes: LOG_MAX_BYTES });
        lines = { state: 'ok', value: text.split('\n').filter(Boolean) };
      } catch (e) {
        lines = readFailure(e);
      }
      return { pod: p.metadata.name, namespace: p.metadata.namespace!, container, lines };
    }),
  );
}

/** Existence only: ask for PartialObjectMetadata so the Secret's data never leaves the API server. */
export async function secretExists(api: Api, ref: NsName): Promise<Read<boolean>> {
  const r = await api.read<{ kind?: string; data?: unknown }>(`/api/v1/namespaces/${enc(ref.namespace)}/secrets/${enc(ref.name)}`, {
    accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
  });
  if (r.state === 'ok') return { state: 'ok', value: true };
  if (r.state === 'not-found') return { state: 'ok', value: false };
  return r;
}

function enc(s: string): string {
  return encodeURIComponent(s);
}
