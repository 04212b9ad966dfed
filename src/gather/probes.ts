// Plans the live probes for a diagnose run (ClusterIP, endpoints, DNS, Ingress) and runs them in
// the source container, concurrently and each bounded by --probe-timeout.

import type { Api } from '../cluster/api.js';
import { resolveClass } from '../util/ingress-class.js';
import { runExec } from '../cluster/exec.js';
import type { DiagnoseRequest, IngressFacts, SourceFacts } from '../model/facts.js';
import type { EndpointSlice, Ingress, Service, ServicePort } from '../model/k8s.js';
import type { ExecResult, ProbeFact, ProbeTarget, ToolName, ToolSet } from '../model/probe.js';
import {
  buildDnsProbe,
  buildHttpProbe,
  buildTcpProbe,
  decidePortProtocol,
  kubectlCommand,
  parseResolvConf,
  ProbeInputError,
  type PortProtocol,
  type ProbeOverride,
} from '../probes/index.js';
import { runHeldBatch, runProbeBatch, type HeldSession } from './probe-batch.js';
import { compareNames, compareNumeric } from '../util/compare.js';

/** Where probes run. */
export interface ProbeSite {
  namespace: string;
  pod: string;
  container: string;
  tools: ToolSet;
}

/** A probe before it runs: the question and the command chosen for it. */
export interface PlannedProbe {
  id: string;
  kind: ProbeFact['kind'];
  label: string;
  target: ProbeTarget;
  command: { tool: ToolName; argv: string[] } | null;
  role?: ProbeFact['role'];
  servicePort?: ProbeFact['servicePort'];
  app?: ProbeFact['app'];
}

/**
 * Endpoint probes per Service port: bounded however many replicas there are, and chosen so every
 * node that hosts a ready endpoint gets at least one (a node fault shows as "the pods on node X").
 */
export const MAX_ENDPOINT_PROBES = 8;

/** MTU probe: request size (bytes of one padding header), well above any overlay MTU. */
export const MTU_PROBE_BYTES = 4000;

/** DNS probes through single CoreDNS replicas (by pod IP), bounded. */
export const MAX_DNS_REPLICA_PROBES = 4;

export interface EndpointCandidate {
  ip: string;
  pod?: string;
  node?: string;
}

/**
 * Pick at most `max` endpoints, round-robin over their nodes (nodes in name order, endpoints in
 * address order), so every node hosting an endpoint is covered before any node gets a second probe.
 */
export function pickEndpoints<T extends EndpointCandidate>(cands: T[], max = MAX_ENDPOINT_PROBES): T[] {
  const byNode = new Map<string, T[]>();
  const seen = new Set<string>();
  for (const c of cands) {
    if (seen.has(c.ip)) continue;
    seen.add(c.ip);
    const k = c.node ?? '';
    byNode.set(k, [...(byNode.get(k) ?? []), c]);
  }
  const queues = [...byNode.entries()].sort(([a], [b]) => compareNames(a, b)).map(([, v]) => [...v].sort((x, y) => compareNumeric(x.ip, y.ip)));
  const out: T[] = [];
  while (out.length < max && queues.some((q) => q.length > 0)) {
    for (const q of queues) {
      const c = q.shift();
      if (c && out.length < max) out.push(c);
    }
  }
  return out;
}

/** "endpoint 10.244.1.3:8080 (pod payments-api-x on node k8snet-node-b)" */
function endpointLabel(ep: { ip: string; port: number; pod?: string; node?: string }, suffix = ''): string {
  const where = [ep.pod ? `pod ${ep.pod}` : '', ep.node ? `on node ${ep.node}` : ''].filter(Boolean).join(' ');
  return `endpoint ${ep.ip}:${ep.port}${suffix}${where ? ` (${where})` : ''}`;
}

/** pod and node of an endpoint, as ProbeTarget fields */
function whereOf(ep: { pod?: string; node?: string }): Pick<ProbeTarget, 'pod' | 'node'> {
  return { ...(ep.pod ? { pod: ep.pod } : {}), ...(ep.node ? { node: ep.node } : {}) };
}

/** Pick the Service ports to probe: --port NAME|NUMBER, or all. */
export function selectPorts(svc: Service, port?: string): ServicePort[] {
  const ports = svc.spec.ports ?? [];
  if (!port) return ports;
  return ports.filter((p) => p.name === port || String(p.port) === port);
}

/**
 * Build a command, or none. Values from the cluster (an Ingress path or host) may be refused by the
 * probe builders' input checks; that probe then does not run and says why, the rest go on.
 */
function safeBuild(build: () => { tool: ToolName; argv: string[] } | null, refused: string[]): { tool: ToolName; argv: string[] } | null {
  try {
    return build();
  } catch (e) {
    if (e instanceof ProbeInputError) {
      refused.push(e.message);
      return null;
    }
    throw e;
  }
}

/** An HTTP probe (Ingress, through a controller): HTTP first, a connect probe when no HTTP tool exists. */
function connectProbe(id: string, label: string, target: ProbeTarget, http: boolean, tools: ToolSet, timeoutSec: number): PlannedProbe {
  const refused: string[] = [];
  const command = safeBuild(
    () => (http ? (buildHttpProbe(tools, target, timeoutSec) ?? buildTcpProbe(tools, target, timeoutSec)) : buildTcpProbe(tools, target, timeoutSec)),
    refused,
  );
  if (refused.length) label = `${label} (not run: ${refused[0]})`;
  return {
    id,
    kind: http && command && command.tool !== 'nc' && command.tool !== 'ncexec' && command.tool !== 'bash' ? 'http' : 'tcp',
    label,
    target,
    command,
  };
}

type ServicePortRef = NonNullable<ProbeFact['servicePort']>;

/** The transport rung: connect only; its outcome alone decides reachability. */
function transportProbe(id: string, label: string, target: ProbeTarget, sp: ServicePortRef, tools: ToolSet, timeoutSec: number): PlannedProbe {
  const refused: string[] = [];
  const command = safeBuild(() => buildTcpProbe(tools, target, timeoutSec), refused);
  return { id, kind: 'tcp', label: refused.length ? `${label} (not run: ${refused[0]})` : label, target, command, role: 'transport', servicePort: sp };
}

/**
 * The application rung for a known protocol (null for plain TCP): HTTP, HTTPS (TLS handshake + HTTP),
 * h2c (HTTP/2 prior knowledge), TLS (handshake) or a DNS query. Its id is "app/" + the transport
 * probe's id, so checks pair the two. A DNS query names the target's own FQDN (absolute): any reply,
 * even NXDOMAIN, shows a DNS server answered.
 */
function appProbe(transportId: string, label: string, host: string, proto: PortProtocol, sp: ServicePortRef, input: ProbePlanInput): PlannedProbe | null {
  const { tools, timeoutSec } = input;
  const id = `app/${transportId}`;
  const refused: string[] = [];
  if (proto.app === 'dns') {
    const fqdn = `${input.service.metadata.name}.${input.service.metadata.namespace}.svc.${input.clusterDomain}.`;
    const transport = proto.transport === 'UDP' ? 'udp' : 'tcp';
    const target: ProbeTarget = { host: fqdn, server: host, port: sp.port, transport, recordType: 'A' };
    const command = safeBuild(() => buildDnsProbe(tools, target, timeoutSec), refused);
    return { id, kind: 'dns', label: `DNS query over ${transport.toUpperCase()} to ${label}`, target, command, role: 'app', servicePort: sp, app: 'dns' };
  }
  if (proto.app === 'tcp') return null;
  const scheme = proto.app === 'https' || proto.app === 'tls' ? 'https' : proto.app === 'h2c' ? 'h2c' : 'http';
  const target: ProbeTarget = { host, port: sp.port, path: input.path, scheme };
  const command = safeBuild(() => buildHttpProbe(tools, target, timeoutSec), refused);
  const what = proto.app === 'tls' ? 'TLS handshake' : proto.app === 'https' ? 'HTTPS request' : proto.app === 'h2c' ? 'HTTP/2 (h2c) request' : 'HTTP request';
  return { id, kind: 'http', label: `${what} to ${label}`, target, command, role: 'app', servicePort: sp, app: proto.app };
}

export interface ProbePlanInput {
  service: Service;
  ports: ServicePort[];
  slices: EndpointSlice[];
  path: string;
  /** --large-response-path: fetched from one endpoint per node, its body size measured (MTU towards the source). */
  largeResponsePath?: string;
  tools: ToolSet;
  timeoutSec: number;
  clusterDomain: string;
  sourceNamespace: string;
  kubeDnsIP?: string;
  /** --probe: what to speak on every selected port, overriding appProtocol, names and numbers. */
  probe?: ProbeOverride;
  ingressProbes: { id: string; label: string; host: string; port: number; hostHeader?: string; path: string }[];
  /** Ready CoreDNS replicas (pod IP, pod, node): DNS is asked through each one as well as the ClusterIP. */
  dnsReplicas?: EndpointCandidate[];
}

type Ep = { ip: string; port: number; pod?: string; hostname?: string; node?: string };

/** Ready endpoints of one Service port (by port name): at most MAX_ENDPOINT_PROBES, covering every node first. */
function endpointsFor(slices: EndpointSlice[], p: ServicePort): Ep[] {
  const out: Ep[] = [];
  for (const slice of slices) {
    const sp = (slice.ports ?? []).find((x) => (x.name ?? '') === (p.name ?? '') && (x.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
    if (!sp?.port) continue;
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      const ip = ep.addresses[0];
      if (!ip) continue;
      out.push({
        ip,
        port: sp.port,
        pod: ep.targetRef?.kind === 'Pod' || ep.targetRef?.kind === undefined ? ep.targetRef?.name : `${ep.targetRef.kind} ${ep.targetRef.name}`,
        hostname: ep.hostname,
        ...(ep.nodeName ? { node: ep.nodeName } : {}),
      });
    }
  }
  return pickEndpoints(out);
}

/**
 * Build every probe for the run (pure). Per selected Service port, decided protocol first
 * (decidePortProtocol): TCP ports get a transport probe to the ClusterIP and each ready endpoint, plus an
 * application probe when the protocol is known; UDP ports get a DNS query when they speak DNS and no
 * probe otherwise (checks report "UDP not probed"). Then the DNS names the app would use, then Ingress.
 */
export function planProbes(input: ProbePlanInput): PlannedProbe[] {
  const { service: svc, tools, timeoutSec } = input;
  const plans: PlannedProbe[] = [];
  let mtuPlanned = false;
  const headless = svc.spec.clusterIP === 'None';
  const clusterIP = svc.spec.clusterIP && svc.spec.clusterIP !== 'None' ? svc.spec.clusterIP : undefined;
  const ns = svc.metadata.namespace!;
  for (const p of input.ports) {
    const proto = decidePortProtocol(p, input.probe);
    const sp: ServicePortRef = { port: p.port, name: p.name, protocol: p.protocol ?? 'TCP' };
    const portName = p.name ? ` (${p.name})` : '';
    const eps = endpointsFor(input.slices, p);
    if (proto.transport !== 'TCP') {
      if (proto.app !== 'dns' || proto.transport !== 'UDP') continue; // not probed; checks say so
      if (clusterIP && !headless) {
        const a = appProbe(`clusterip/${p.port}/udp`, `ClusterIP ${clusterIP}:${p.port}/UDP${portName}`, clusterIP, proto, sp, input);
        if (a) plans.push(a);
      }
      for (const ep of eps) {
        const a = appProbe(`endpoint/${ep.ip}/${ep.port}/udp`, endpointLabel(ep, '/UDP'), ep.ip, proto, { ...sp, port: ep.port }, input);
        if (a) plans.push({ ...a, target: { ...a.target, ...whereOf(ep) } });
      }
      continue;
    }
    if (clusterIP && !headless) {
      const id = `clusterip/${p.port}`;
      const label = `ClusterIP ${clusterIP}:${p.port}${portName}`;
      plans.push(transportProbe(id, label, { host: clusterIP, port: p.port }, sp, tools, timeoutSec));
      const a = appProbe(id, label, clusterIP, proto, sp, input);
      if (a) plans.push(a);
    }
    for (const ep of eps) {
      const id = `endpoint/${ep.ip}/${ep.port}`;
      const label = endpointLabel(ep);
      plans.push(transportProbe(id, label, { host: ep.ip, port: ep.port, ...whereOf(ep) }, sp, tools, timeoutSec));
      const a = appProbe(id, label, ep.ip, proto, { ...sp, port: ep.port }, input);
      if (a) plans.push({ ...a, target: { ...a.target, ...whereOf(ep) } });
    }
    // MTU: next to the small HTTP request, one large request per node hosting an endpoint (first HTTP port)
    if (proto.app === 'http' && !mtuPlanned && (tools.curl === true || tools.wget === true)) {
      mtuPlanned = true;
      const perNode = eps.filter((ep, i) => eps.findIndex((x) => (x.node ?? '') === (ep.node ?? '')) === i);
      for (const ep of perNode) {
        const target: ProbeTarget = { host: ep.ip, port: ep.port, path: input.path, padBytes: MTU_PROBE_BYTES, ...whereOf(ep) };
        const refused: string[] = [];
        const command = safeBuild(() => buildHttpProbe(tools, target, timeoutSec), refused);
        plans.push({
          id: `endpoint-large/${ep.ip}/${ep.port}`,
          kind: 'http',
          label: `${MTU_PROBE_BYTES}-byte HTTP request to ${endpointLabel(ep)}${refused.length ? ` (not run: ${refused[0]})` : ''}`,
          target,
          command,
          servicePort: { ...sp, port: ep.port },
        });
        // the other direction: a page the user named as large comes back in full-size packets
        if (input.largeResponsePath !== undefined) {
          const rt: ProbeTarget = { host: ep.ip, port: ep.port, path: input.largeResponsePath, measureBody: true, ...whereOf(ep) };
          const why: string[] = [];
          const rc = safeBuild(() => buildHttpProbe(tools, rt, timeoutSec), why);
          plans.push({
            id: `endpoint-large-response/${ep.ip}/${ep.port}`,
            kind: 'http',
            label: `large response (${input.largeResponsePath.length > 60 ? `${input.largeResponsePath.slice(0, 57)}...` : input.largeResponsePath}) from ${endpointLabel(ep)}${why.length ? ` (not run: ${why[0]})` : ''}`,
            target: rt,
            command: rc,
            servicePort: { ...sp, port: ep.port },
          });
        }
      }
    }
  }
  const fqdn = `${svc.metadata.name}.${ns}.svc.${input.clusterDomain}`;
  const dns = (id: string, label: string, target: ProbeTarget): PlannedProbe => ({
    id,
    kind: 'dns',
    label,
    target,
    command: safeBuild(() => buildDnsProbe(tools, target, timeoutSec), []),
  });
  // an ExternalName Service is a DNS alias (CNAME): its name resolving through the pod's resolver is the whole path
  if (svc.spec.type === 'ExternalName')
    plans.push(dns('dns/fqdn/pod-resolver', `${fqdn} (a CNAME to ${svc.spec.externalName ?? '?'}) via the pod's resolver`, { host: fqdn, recordType: 'A' }));
  if (svc.spec.type !== 'ExternalName') {
    plans.push(dns('dns/fqdn/pod-resolver', `${fqdn} via the pod's resolver`, { host: fqdn, recordType: 'A' }));
    // name.namespace: what an app in another namespace should use (the search list completes it). Only
    // with a tool that applies the search list as libc does: busybox nslookup sends a dotted name as is
    // (recorded in the lab: "kube-dns.kube-system: SERVFAIL"), which no application would do.
    if (tools.dig || tools.getent)
      plans.push(
        dns('dns/namespaced/pod-resolver', `${svc.metadata.name}.${ns} via the pod's resolver`, { host: `${svc.metadata.name}.${ns}`, recordType: 'A' }),
      );
    plans.push(
      dns('dns/short/pod-resolver', `"${svc.metadata.name}" as an app in namespace ${input.sourceNamespace} would look it up`, {
        host: svc.metadata.name,
        recordType: 'A',
      }),
    );
    if (input.kubeDnsIP) {
      plans.push(
        dns('dns/fqdn/kube-dns-udp', `${fqdn} via kube-dns ${input.kubeDnsIP} (UDP)`, {
          host: fqdn,
          server: input.kubeDnsIP,
          transport: 'udp',
          recordType: 'A',
        }),
      );
      plans.push(
        dns('dns/fqdn/kube-dns-tcp', `${fqdn} via kube-dns ${input.kubeDnsIP} (TCP)`, {
          host: fqdn,
          server: input.kubeDnsIP,
          transport: 'tcp',
          recordType: 'A',
        }),
      );
    }
    // each CoreDNS replica by its pod IP: one unreachable replica fails about 1 lookup in n through the ClusterIP
    for (const r of pickEndpoints(input.dnsReplicas ?? [], MAX_DNS_REPLICA_PROBES)) {
      const who = [r.pod ? `CoreDNS pod ${r.pod}` : `CoreDNS ${r.ip}`, r.node ? `on node ${r.node}` : ''].filter(Boolean).join(' ');
      plans.push(
        dns(`dns/replica/${r.ip}`, `${fqdn} via ${who} (${r.ip}, UDP)`, { host: fqdn, server: r.ip, transport: 'udp', recordType: 'A', ...whereOf(r) }),
      );
    }
    // StatefulSet pods behind a headless Service get their own names: <hostname>.<service>.<ns>.svc.<domain>
    if (headless) {
      const named = new Map<string, string>();
      for (const p of input.ports) for (const ep of endpointsFor(input.slices, p)) if (ep.hostname && !named.has(ep.hostname)) named.set(ep.hostname, ep.ip);
      for (const [hostname] of [...named].slice(0, 2)) {
        const name = `${hostname}.${fqdn}`;
        plans.push(dns(`dns/pod/${hostname}`, `${name} (the pod's own name under the headless Service)`, { host: name, recordType: 'A' }));
      }
    }
  }
  for (const ip of input.ingressProbes) {
    plans.push(connectProbe(ip.id, ip.label, { host: ip.host, port: ip.port, path: ip.path, hostHeader: ip.hostHeader }, true, tools, timeoutSec));
  }
  return plans;
}

/** The Service port a controller serves HTTP on: named web/http, else port 80, else its first port. */
function httpPortOf(svc: Service): ServicePort | undefined {
  return (svc.spec.ports ?? []).find((p) => p.name === 'web' || p.name === 'http' || p.port === 80) ?? svc.spec.ports?.[0];
}

/**
 * Ingress probes: one per (Ingress rule path) that routes to the target, through a controller Service.
 * An Ingress with a class is probed through that class's controller; one with no class (and no default
 * class) through every candidate controller, since which one serves it is what the probe finds out.
 * `controllerServices` maps IngressClass.spec.controller to that controller's Services; `controllerOf`
 * names the controller(s) an Ingress asks for (empty: no class).
 */
export function ingressProbeTargets(
  ingresses: Ingress[],
  target: { namespace: string; name: string },
  controllerService: Service | undefined | Map<string, Service[]>,
  controllerOf: (ing: Ingress) => string[] = () => [],
): ProbePlanInput['ingressProbes'] {
  const byController = controllerService instanceof Map ? controllerService : new Map<string, Service[]>(controllerService ? [['', [controllerService]]] : []);
  const out: ProbePlanInput['ingressProbes'] = [];
  for (const ing of ingresses) {
    const wanted = controllerOf(ing);
    const candidates = [...byController.entries()].filter(([ctl]) => wanted.length === 0 || ctl === '' || wanted.includes(ctl));
    const services = candidates
      .map(([, svcs]) => svcs.find((s) => s.spec.clusterIP && s.spec.clusterIP !== 'None' && httpPortOf(s)))
      .filter((s): s is Service => s !== undefined);
    services.forEach((svc, si) => {
      const httpPort = httpPortOf(svc)!;
      (ing.spec.rules ?? []).forEach((rule, ri) => {
        (rule.http?.paths ?? []).forEach((p, pi) => {
          if (p.backend.service?.name !== target.name || ing.metadata.namespace !== target.namespace) return;
          const path = p.path && p.path.startsWith('/') ? p.path : '/';
          out.push({
            // the first candidate keeps the historical id; others add the controller Service
            id: `ingress/${ing.metadata.namespace}/${ing.metadata.name}/${ri}/${pi}${si === 0 ? '' : `/${svc.metadata.namespace}/${svc.metadata.name}`}`,
            label: `${rule.host ?? '*'}${path} through ${svc.metadata.namespace}/${svc.metadata.name}`,
            host: svc.spec.clusterIP!,
            port: httpPort.port,
            hostHeader: rule.host && !rule.host.startsWith('*') ? rule.host : undefined,
            path,
          });
        });
      });
    });
  }
  return out.slice(0, 6);
}

/** Where a source pod's probes run: its pod and the container chosen (with its tools). */
export function probeSite(src: SourceFacts): ProbeSite {
  return { namespace: src.pod.metadata.namespace!, pod: src.pod.metadata.name, container: src.container, tools: src.tools ?? {} };
}

/**
 * Every probe of one target Service from one source (what diagnose runs, and what sweep --from runs
 * per Service): ClusterIP and endpoints per port, DNS, and the Ingress paths through the controller.
 */
export function planTargetProbes(input: {
  service: Service;
  request: Pick<DiagnoseRequest, 'target' | 'port' | 'path' | 'probeTimeoutMs' | 'probe' | 'largeResponsePath'>;
  slices: EndpointSlice[];
  source: SourceFacts;
  kubeDnsIP?: string;
  ingress: IngressFacts;
  /** Further through-the-entry probes (Gateway API routes), planned by their own module. */
  extraEntryProbes?: ProbePlanInput['ingressProbes'];
  /** Ready CoreDNS replicas: DNS through each one by its pod IP. */
  dnsReplicas?: EndpointCandidate[];
}): PlannedProbe[] {
  const { service, request, source: src } = input;
  const resolv = src.resolvConf ? parseResolvConf(src.resolvConf) : undefined;
  // each Ingress is probed through the controller of its own class
  const ctrlSvcs = new Map(input.ingress.controllers.map((c) => [c.controller, c.services.state === 'ok' ? c.services.value : []] as const));
  const ingClasses = input.ingress.classes.state === 'ok' ? input.ingress.classes.value : [];
  const controllerOf = (ing: Ingress) => {
    const ctl = resolveClass(ing, ingClasses).cls?.spec.controller;
    return ctl ? [ctl] : [];
  };
  const ingresses = input.ingress.ingresses.state === 'ok' ? input.ingress.ingresses.value : [];
  return planProbes({
    service,
    ports: selectPorts(service, request.port),
    slices: input.slices,
    path: request.path,
    ...(request.largeResponsePath !== undefined ? { largeResponsePath: request.largeResponsePath } : {}),
    tools: src.tools ?? {},
    timeoutSec: Math.max(1, Math.round(request.probeTimeoutMs / 1000)),
    clusterDomain: resolv?.clusterDomain ?? 'cluster.local',
    sourceNamespace: src.pod.metadata.namespace!,
    kubeDnsIP: input.kubeDnsIP,
    ...(request.probe ? { probe: request.probe } : {}),
    ingressProbes: [...ingressProbeTargets(ingresses, request.target, ctrlSvcs, controllerOf), ...(input.extraEntryProbes ?? [])],
    ...(input.dnsReplicas ? { dnsReplicas: input.dnsReplicas } : {}),
  });
}

/** At most this many probes share one exec, and at most this many batch execs run at once (sweep plans many). */
const BATCH_SIZE = 12;
const BATCHES_AT_ONCE = 2;

/**
 * Run planned probes: in batches, each one exec running its probes at once (src/probes/batch.ts);
 * what no batch could run (the container lacks a writable temp dir or a tool the batch needs) runs
 * one exec each, `concurrency` at a time, and `notes` says why.
 */
export async function runProbes(
  api: Api,
  site: ProbeSite,
  plans: PlannedProbe[],
  probeTimeoutMs: number,
  concurrency = 6,
  notes?: string[],
  held?: HeldSession,
): Promise<ProbeFact[]> {
  const batched = new Map<PlannedProbe, ExecResult>();
  let runnable = plans.filter((p) => p.command);
  // the held inspection exec runs every probe when they fit the usual concurrency, else the first batch
  const heldChunk = held ? runnable.slice(0, runnable.length <= BATCH_SIZE * BATCHES_AT_ONCE ? runnable.length : BATCH_SIZE) : [];
  const heldRun = heldChunk.length
    ? runHeldBatch(
        api,
        held!,
        heldChunk.map((p) => p.command!.argv),
        probeTimeoutMs,
      )
    : undefined;
  runnable = runnable.slice(heldChunk.length);
  const fallbacks = new Set<string>();
  if (heldRun) {
    const parts = splitHeld(heldChunk, runnable, heldRun, notes);
    await runBatches(api, site, parts.batches, probeTimeoutMs, batched, fallbacks, BATCHES_AT_ONCE - 1);
    const more = await parts.held(batched, fallbacks);
    if (more.length) await runBatches(api, site, more, probeTimeoutMs, batched, fallbacks, BATCHES_AT_ONCE);
    if (fallbacks.size) notes?.push(`probes ran one exec each: the batch could not run in the container (${[...fallbacks].join('; ')})`);
  }
  if (!heldRun && runnable.length >= 2) {
    const chunks: PlannedProbe[][] = [];
    for (let i = 0; i < runnable.length; i += BATCH_SIZE) chunks.push(runnable.slice(i, i + BATCH_SIZE));
    await runBatches(api, site, chunks, probeTimeoutMs, batched, fallbacks, BATCHES_AT_ONCE);
    if (fallbacks.size) notes?.push(`probes ran one exec each: the batch could not run in the container (${[...fallbacks].join('; ')})`);
  }
  const results: ProbeFact[] = new Array<ProbeFact>(plans.length);
  let next = 0;
  const worker = async () => {
    while (next < plans.length) {
      const i = next++;
      const plan = plans[i];
      results[i] = await runOne(api, site, plan, probeTimeoutMs, batched.get(plan));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, plans.length) }, worker));
  return results;
}

async function runOne(api: Api, site: ProbeSite, plan: PlannedProbe, probeTimeoutMs: number, batched?: ExecResult): Promise<ProbeFact> {
  const fact: ProbeFact = { id: plan.id, kind: plan.kind, label: plan.label, target: plan.target, tool: plan.command?.tool ?? null };
  if (plan.role) fact.role = plan.role;
  if (plan.servicePort) fact.servicePort = plan.servicePort;
  if (plan.app) fact.app = plan.app;
  if (!plan.command) return fact;
  fact.kubectl = kubectlCommand({ namespace: site.namespace, pod: site.pod, container: site.container, argv: plan.command.argv });
  // the tool has probeTimeout to answer; the exec round trip gets 2 s more before k8snet gives up
  fact.exec =
    batched ??
    (await runExec(api, {
      namespace: site.namespace,
      pod: site.pod,
      container: site.container,
      argv: plan.command.argv,
      timeoutMs: probeTimeoutMs + 2000,
    }));
  return fact;
}

/**
 * With a held session: the probes beyond it are cut into batches for new execs (run beside it), and
 * `held` settles the held batch: its results, or its fallback, or, when the held exec had ended, its
 * probes as batches for new execs (returned, run after).
 */
function splitHeld(
  heldChunk: PlannedProbe[],
  rest: PlannedProbe[],
  heldRun: ReturnType<typeof runHeldBatch>,
  notes: string[] | undefined,
): {
  batches: PlannedProbe[][];
  held: (batched: Map<PlannedProbe, ExecResult>, fallbacks: Set<string>) => Promise<PlannedProbe[][]>;
} {
  const batches: PlannedProbe[][] = [];
  for (let i = 0; i < rest.length; i += BATCH_SIZE) batches.push(rest.slice(i, i + BATCH_SIZE));
  return {
    batches,
    held: async (batched, fallbacks) => {
      const r = await heldRun;
      if ('results' in r) heldChunk.forEach((p, i) => batched.set(p, r.results[i]));
      else if ('fallback' in r) fallbacks.add(r.fallback);
      else {
        notes?.push(`probes ran in a new exec: the source inspection's exec could not take them (${r.unavailable})`);
        const again: PlannedProbe[][] = [];
        for (let i = 0; i < heldChunk.length; i += BATCH_SIZE) again.push(heldChunk.slice(i, i + BATCH_SIZE));
        return again;
      }
      return [];
    },
  };
}

/** Run batches in new execs, `workers` at a time (at least one); what a batch could not run is left out of `batched`. */
async function runBatches(
  api: Api,
  site: ProbeSite,
  chunks: PlannedProbe[][],
  probeTimeoutMs: number,
  batched: Map<PlannedProbe, ExecResult>,
  fallbacks: Set<string>,
  workers: number,
): Promise<void> {
  let nextChunk = 0;
  const batchWorker = async () => {
    while (nextChunk < chunks.length) {
      const chunk = chunks[nextChunk++];
      const batch = await runProbeBatch(
        api,
        site,
        chunk.map((p) => p.command!.argv),
        probeTimeoutMs,
      );
      if ('results' in batch) chunk.forEach((p, i) => batched.set(p, batch.results[i]));
      else fallbacks.add(batch.fallback);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, workers), chunks.length) }, batchWorker));
}
