// The one impure pass of `k8snet sweep`: one list per resource kind (per swept namespace, or one
// cluster-wide list with -A), the cluster-wide reads once, and with --from every Service probed from
// the source pod through diagnose's probe planner, a bounded number of execs in flight.

import type { Api } from '../cluster/api.js';
import { qs } from '../cluster/api.js';
import { reviewAccess, isDenied } from '../cluster/access.js';
import { closeNames } from '../util/similar-names.js';
import { ClusterError, UserError } from '../errors.js';
import type { DiagnoseRequest, Facts, Read, SourceFacts } from '../model/facts.js';
import type { EndpointSlice, Ingress, IngressClass, Namespace, NetworkPolicy, Node, Pod, Service, Workload } from '../model/k8s.js';
import type { ProbeFact } from '../model/probe.js';
import type { NamespaceReads, SweepFacts, SweepRequest } from '../model/sweep.js';
import { gatewayFactsFor, ingressFactsFor } from '../sweep/project.js';
import { VERSION } from '../version.js';
import { inspectSource } from './index.js';
import { resolveClass } from '../util/ingress-class.js';
import { gatherController, secretExists } from './ingress.js';
import { gatherGatewayFor } from './gateway.js';
import { backendRefsOf, isServiceRef } from '../gateway/routes.js';
import { gatewayProbeTargets } from '../gateway/probe-plan.js';
import { parseResolvConf } from '../probes/index.js';
import { planTargetProbes, probeSite, runProbes, type PlannedProbe } from './probes.js';
import { allNamed, stepTimer } from './steps.js';
import { resolveSourcePod } from './source.js';

const enc = encodeURIComponent;
/** Cluster-wide lists can be large: give them longer than a single object read. */
const BIG_LIST_MS = 20000;

/** The five namespaced kinds sweep lists. */
const KINDS = {
  services: (ns?: string) => (ns ? `/api/v1/namespaces/${enc(ns)}/services` : '/api/v1/services'),
  pods: (ns?: string) => (ns ? `/api/v1/namespaces/${enc(ns)}/pods` : '/api/v1/pods'),
  endpointSlices: (ns?: string) => (ns ? `/apis/discovery.k8s.io/v1/namespaces/${enc(ns)}/endpointslices` : '/apis/discovery.k8s.io/v1/endpointslices'),
  policies: (ns?: string) => (ns ? `/apis/networking.k8s.io/v1/namespaces/${enc(ns)}/networkpolicies` : '/apis/networking.k8s.io/v1/networkpolicies'),
  ingresses: (ns?: string) => (ns ? `/apis/networking.k8s.io/v1/namespaces/${enc(ns)}/ingresses` : '/apis/networking.k8s.io/v1/ingresses'),
} as const;

async function readNamespace(api: Api, ns: string): Promise<NamespaceReads> {
  const [services, pods, endpointSlices, policies, ingresses] = await Promise.all([
    api.list<Service>(KINDS.services(ns)),
    api.list<Pod>(KINDS.pods(ns), { timeoutMs: BIG_LIST_MS }),
    api.list<EndpointSlice>(KINDS.endpointSlices(ns), { timeoutMs: BIG_LIST_MS }),
    api.list<NetworkPolicy>(KINDS.policies(ns)),
    api.list<Ingress>(KINDS.ingresses(ns)),
  ]);
  return { name: ns, services, pods, endpointSlices, policies, ingresses };
}

function byNs<T extends { metadata: { namespace?: string } }>(r: Read<T[]>, ns: string): Read<T[]> {
  return r.state === 'ok' ? { state: 'ok', value: r.value.filter((x) => x.metadata.namespace === ns) } : r;
}

/** -A: one cluster-wide list per kind; when one is refused, per-namespace lists for every namespace. */
async function readAll(api: Api, namespaceList: Read<Namespace[]>, notes: string[]): Promise<NamespaceReads[]> {
  const [services, pods, endpointSlices, policies, ingresses] = await Promise.all([
    api.list<Service>(KINDS.services(), { timeoutMs: BIG_LIST_MS }),
    api.list<Pod>(KINDS.pods(), { timeoutMs: BIG_LIST_MS }),
    api.list<EndpointSlice>(KINDS.endpointSlices(), { timeoutMs: BIG_LIST_MS }),
    api.list<NetworkPolicy>(KINDS.policies(), { timeoutMs: BIG_LIST_MS }),
    api.list<Ingress>(KINDS.ingresses(), { timeoutMs: BIG_LIST_MS }),
  ]);
  const reads = [services, pods, endpointSlices, policies, ingresses] as Read<{ metadata: { namespace?: string } }[]>[];
  const names = new Set<string>(namespaceList.state === 'ok' ? namespaceList.value.map((n) => n.metadata.name) : []);
  for (const r of reads) if (r.state === 'ok') for (const x of r.value) if (x.metadata.namespace) names.add(x.metadata.namespace);
  const refused = reads.find((r) => r.state !== 'ok');
  if (!refused) {
    return [...names].sort().map((ns) => ({
      name: ns,
      services: byNs(services, ns),
      pods: byNs(pods, ns),
      endpointSlices: byNs(endpointSlices, ns),
      policies: byNs(policies, ns),
      ingresses: byNs(ingresses, ns),
    }));
  }
  if (namespaceList.state !== 'ok') {
    throw new ClusterError({
      kind: refused.state === 'forbidden' ? 'forbidden' : 'other',
      message: 'could not sweep every namespace: the cluster-wide lists and the namespace list were both refused',
      why: 'message' in refused && refused.message ? refused.message : refused.state,
      next: 'name the namespaces you may read: k8snet sweep NS[,NS...]',
    });
  }
  notes.push(`cluster-wide lists were refused (${refused.state}); read namespace by namespace instead`);
  return Promise.all([...names].sort().map((ns) => readNamespace(api, ns)));
}

export interface SweepGatherContext {
  api: Api;
  context: Facts['context'];
  request: SweepRequest;
  onStep?: (title: string) => void;
}

export async function gatherSweep(ctx: SweepGatherContext): Promise<SweepFacts> {
  const { api, request } = ctx;
  const notes: string[] = [];
  const { timings, step } = stepTimer();

  ctx.onStep?.('Listing Services, pods, endpoints, policies and Ingresses');
  const sns = request.from?.namespace;
  const { namespaceList, nodes, daemonSets, dnsService, dnsSlices, dnsPods, ingressClasses, access } = await step('read-cluster', () =>
    allNamed({
      namespaceList: api.list<Namespace>('/api/v1/namespaces'),
      nodes: api.list<Node>('/api/v1/nodes'),
      daemonSets: api.list<Workload>('/apis/apps/v1/daemonsets', { timeoutMs: BIG_LIST_MS }),
      dnsService: api.read<Service>('/api/v1/namespaces/kube-system/services/kube-dns'),
      dnsSlices: api.list<EndpointSlice>(
        `/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices${qs({ labelSelector: 'kubernetes.io/service-name=kube-dns' })}`,
      ),
      dnsPods: api.list<Pod>(`/api/v1/namespaces/kube-system/pods${qs({ labelSelector: 'k8s-app=kube-dns' })}`),
      ingressClasses: api.list<IngressClass>('/apis/networking.k8s.io/v1/ingressclasses'),
      // only the source namespace's rules matter before reading: may k8snet exec there?
      access: sns ? reviewAccess(api, [sns]) : Promise.resolve([]),
    }),
  );
  if (request.namespaces !== 'all' && namespaceList.state === 'ok') {
    const known = new Set(namespaceList.value.map((n) => n.metadata.name));
    const missing = request.namespaces.filter((n) => !known.has(n));
    if (missing.length > 0) {
      const close = missing.flatMap((m) => closeNames(m, [...known]));
      throw new UserError({
        message: `namespace ${missing.join(', ')} does not exist`,
        why: `the cluster has ${known.size} namespaces${close.length ? `; similar: ${close.join(', ')}` : ''}`,
        next: 'list them with `kubectl get namespaces`, or sweep every namespace with -A',
      });
    }
  }
  const swept = await step('read-namespaces', () =>
    request.namespaces === 'all' ? readAll(api, namespaceList, notes) : Promise.all(request.namespaces.map((ns) => readNamespace(api, ns))),
  );

  // Ingress controllers behind the classes the swept Ingresses use, and the TLS secrets they name.
  ctx.onStep?.('Reading the Ingress controllers');
  const classes = ingressClasses.state === 'ok' ? ingressClasses.value : [];
  const controllerNames = new Set<string>();
  const secretRefs = new Map<string, { namespace: string; name: string }>();
  for (const n of swept) {
    if (n.ingresses.state !== 'ok') continue;
    for (const ing of n.ingresses.value) {
      const ic = resolveClass(ing, classes).cls;
      if (ic?.spec.controller) controllerNames.add(ic.spec.controller);
      for (const t of ing.spec.tls ?? []) if (t.secretName) secretRefs.set(`${n.name}/${t.secretName}`, { namespace: n.name, name: t.secretName });
    }
  }
  // Gateway API: each route kind listed once, kept when it sends traffic to any swept Service.
  const sweptServices = new Set(swept.flatMap((n) => (n.services.state === 'ok' ? n.services.value.map((s) => `${n.name}/${s.metadata.name}`) : [])));
  const isSwept = (b: { namespace: string; name: string }) => sweptServices.has(`${b.namespace}/${b.name}`);
  const [controllers, tlsSecrets, gateway] = await step('ingress', () =>
    Promise.all([
      Promise.all([...controllerNames].map((c) => gatherController(api, c))),
      Promise.all([...secretRefs.values()].map(async (s) => ({ ...s, exists: await secretExists(api, s) }))),
      gatherGatewayFor(api, { matches: (r) => backendRefsOf(r).some((b) => isServiceRef(b) && isSwept(b)), isTarget: isSwept, maxRoutes: 1000 }).then(
        async (g) => (await g.logs, g),
      ),
    ]),
  );

  // Source pod (--from): resolved and inspected exactly as diagnose does.
  let source: Read<SourceFacts> = { state: 'skipped', message: 'no --from given: live probes need a source pod' };
  const diagnoseLike: DiagnoseRequest = {
    target: { namespace: sns ?? 'default', name: '-' },
    ...(request.from ? { from: request.from } : {}),
    ...(request.container ? { container: request.container } : {}),
    path: request.path,
    probeTimeoutMs: request.probeTimeoutMs,
    ephemeral: false,
  };
  if (request.from && sns) {
    ctx.onStep?.('Resolving and inspecting the source pod');
    source = await step('source', async () => {
      const r = await resolveSourcePod(api, { namespace: sns, name: request.from!.name, selector: request.from!.selector });
      if (r.state !== 'ok') return r;
      const execDenied = isDenied(access, 'create', '', 'pods', sns, 'exec') || isDenied(access, 'get', '', 'pods', sns, 'exec');
      return inspectSource(api, { state: 'ok', value: { ...r.value, container: '', tools: null, hasShell: null } }, diagnoseLike, execDenied, notes);
    });
  }

  // Policies of namespaces that matter but are not swept: the source's (egress), the controllers'.
  const sweptNames = new Set(swept.map((n) => n.name));
  const extraNs = new Set<string>();
  if (source.state === 'ok') extraNs.add(source.value.pod.metadata.namespace!);
  for (const c of controllers) if (c.pods.state === 'ok') for (const p of c.pods.value) extraNs.add(p.metadata.namespace!);
  for (const ns of gateway.dataPlaneNamespaces) extraNs.add(ns);
  const extraPolicies: SweepFacts['extraPolicies'] = {};
  await step('read-more', () =>
    Promise.all(
      [...extraNs].filter((ns) => !sweptNames.has(ns)).map(async (ns) => void (extraPolicies[ns] = await api.list<NetworkPolicy>(KINDS.policies(ns)))),
    ),
  );

  const sf: SweepFacts = {
    k8snetVersion: VERSION,
    gatheredAt: new Date().toISOString(),
    context: ctx.context,
    request,
    access,
    namespaceList,
    swept,
    nodes,
    daemonSets,
    dns: { service: dnsService, endpointSlices: dnsSlices, pods: dnsPods },
    ingressClasses,
    controllers,
    tlsSecrets,
    gateway: gateway.facts,
    extraPolicies,
    source,
    probes: {},
    timings,
    requests: 0,
    notes,
  };

  if (source.state === 'ok' && source.value.tools) {
    const src = source.value;
    ctx.onStep?.(`Probing every Service from ${src.pod.metadata.namespace}/${src.pod.metadata.name}`);
    sf.probes = await step('probes', () => probeAll(api, sf, src));
  }
  sf.requests = api.stats.requests;
  return sf;
}

/**
 * diagnose's probes for every Service, trimmed to what a sweep row needs (ClusterIP per port, one
 * endpoint per port, the FQDN via the pod's resolver, Ingress paths), run in one bounded pool.
 */
export function sweepProbePlans(plans: PlannedProbe[]): PlannedProbe[] {
  // endpoint probe ids are endpoint/IP/PORT[/udp]; a port's transport and application probes share one id
  const chosen = new Map<string, string>();
  return plans.filter((p) => {
    if (p.id.startsWith('endpoint/')) {
      const [, ip, ...rest] = p.id.split('/');
      const port = rest.join('/');
      if (!chosen.has(port)) chosen.set(port, ip);
      return chosen.get(port) === ip;
    }
    if (p.id.startsWith('dns/')) return p.id === 'dns/fqdn/pod-resolver';
    return true;
  });
}

async function probeAll(api: Api, sf: SweepFacts, src: SourceFacts): Promise<Record<string, ProbeFact[]>> {
  const kubeDnsIP = sf.dns.service.state === 'ok' ? sf.dns.service.value.spec.clusterIP : undefined;
  const clusterDomain = (src.resolvConf ? parseResolvConf(src.resolvConf).clusterDomain : undefined) ?? 'cluster.local';
  const namespaces = sf.namespaceList.state === 'ok' ? sf.namespaceList.value : undefined;
  const all: PlannedProbe[] = [];
  const owners: string[] = [];
  for (const n of sf.swept) {
    if (n.services.state !== 'ok') continue;
    for (const svc of n.services.value) {
      const key = `${n.name}/${svc.metadata.name}`;
      const slices =
        n.endpointSlices.state === 'ok' ? n.endpointSlices.value.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name) : [];
      const gw = gatewayFactsFor(sf, n.name, svc.metadata.name);
      const gwProbes = gw ? gatewayProbeTargets(gw, namespaces, { namespace: n.name, name: svc.metadata.name }, sf.request.path, clusterDomain) : undefined;
      const plans = sweepProbePlans(
        planTargetProbes({
          service: svc,
          request: { target: { namespace: n.name, name: svc.metadata.name }, path: sf.request.path, probeTimeoutMs: sf.request.probeTimeoutMs },
          slices,
          source: src,
          kubeDnsIP,
          ingress: ingressFactsFor(sf, n, svc.metadata.name),
          extraEntryProbes: gwProbes?.probes ?? [],
        }),
      );
      for (const p of plans) {
        all.push(p);
        owners.push(key);
      }
    }
  }
  const results = await runProbes(api, probeSite(src), all, sf.request.probeTimeoutMs, sf.request.concurrency);
  const out: Record<string, ProbeFact[]> = {};
  results.forEach((r, i) => (out[owners[i]] ??= []).push(r));
  return out;
}
