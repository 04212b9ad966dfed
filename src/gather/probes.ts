// Plans the live probes for a diagnose run (ClusterIP, endpoints, DNS, Ingress) and runs them in
// the source container, concurrently and each bounded by --probe-timeout.

import type { Api } from '../cluster/api.js';
import { runExec } from '../cluster/exec.js';
import type { EndpointSlice, Ingress, Service, ServicePort } from '../model/k8s.js';
import type { ProbeFact, ProbeTarget, ToolName, ToolSet } from '../model/probe.js';
import { buildDnsProbe, buildHttpProbe, buildTcpProbe, kubectlCommand, ProbeInputError } from '../probes/index.js';

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
}

/** Endpoint probes per Service port: enough to tell "all endpoints" from "one bad pod". */
export const MAX_ENDPOINT_PROBES = 3;

const HTTP_PORT_NAMES = /^(http|https?-|web|api|metrics|health|grpc-web)/i;

/** Does this Service port speak HTTP (by appProtocol, name, or a conventional number)? */
export function looksHttp(p: ServicePort): boolean {
  if (p.appProtocol) return /^(http|kubernetes\.io\/h2c)/i.test(p.appProtocol) && !/https/i.test(p.appProtocol);
  if (p.name && HTTP_PORT_NAMES.test(p.name) && !/https/i.test(p.name)) return true;
  return [80, 8080, 8000, 3000, 5000, 9090].includes(p.port);
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

function connectProbe(
  id: string,
  label: string,
  target: ProbeTarget,
  http: boolean,
  tools: ToolSet,
  timeoutSec: number,
): PlannedProbe {
  const refused: string[] = [];
  const command = safeBuild(
    () => (http ? buildHttpProbe(tools, target, timeoutSec) ?? buildTcpProbe(tools, target, timeoutSec) : buildTcpProbe(tools, target, timeoutSec)),
    refused,
  );
  if (refused.length) label = `${label} (not run: ${refused[0]})`;
  return { id, kind: http && command && command.tool !== 'nc' ? 'http' : 'tcp', label, target, command };
}

export interface ProbePlanInput {
  service: Service;
  ports: ServicePort[];
  slices: EndpointSlice[];
  path: string;
  tools: ToolSet;
  timeoutSec: number;
  clusterDomain: string;
  sourceNamespace: string;
  kubeDnsIP?: string;
  ingressProbes: { id: string; label: string; host: string; port: number; hostHeader?: string; path: string }[];
}

/** Build every probe for the run (pure). */
export function planProbes(input: ProbePlanInput): PlannedProbe[] {
  const { service: svc, tools, timeoutSec } = input;
  const plans: PlannedProbe[] = [];
  const headless = svc.spec.clusterIP === 'None';
  const clusterIP = svc.spec.clusterIP && svc.spec.clusterIP !== 'None' ? svc.spec.clusterIP : undefined;
  for (const p of input.ports) {
    const http = looksHttp(p);
    if ((p.protocol ?? 'TCP') !== 'TCP') continue; // UDP/SCTP ports are not probed; checks say so
    if (clusterIP && !headless) {
      plans.push(connectProbe(`clusterip/${p.port}`, `ClusterIP ${clusterIP}:${p.port}`, { host: clusterIP, port: p.port, path: input.path }, http, tools, timeoutSec));
    }
    const seen = new Set<string>();
    for (const slice of input.slices) {
      const sp = (slice.ports ?? []).find((x) => (x.name ?? '') === (p.name ?? ''));
      if (!sp?.port) continue;
      for (const ep of slice.endpoints ?? []) {
        if (ep.conditions?.ready === false) continue;
        const ip = ep.addresses[0];
        if (!ip || seen.has(ip) || seen.size >= MAX_ENDPOINT_PROBES) continue;
        seen.add(ip);
        const pod = ep.targetRef?.name ? ` (pod ${ep.targetRef.name})` : '';
        plans.push(connectProbe(`endpoint/${ip}/${sp.port}`, `endpoint ${ip}:${sp.port}${pod}`, { host: ip, port: sp.port, path: input.path }, http, tools, timeoutSec));
      }
    }
  }
  if (svc.spec.type !== 'ExternalName') {
    const ns = svc.metadata.namespace!;
    const fqdn = `${svc.metadata.name}.${ns}.svc.${input.clusterDomain}`;
    const dns = (id: string, label: string, target: ProbeTarget): PlannedProbe => ({ id, kind: 'dns', label, target, command: safeBuild(() => buildDnsProbe(tools, target, timeoutSec), []) });
    plans.push(dns('dns/fqdn/pod-resolver', `${fqdn} via the pod's resolver`, { host: fqdn, recordType: 'A' }));
    plans.push(dns('dns/short/pod-resolver', `"${svc.metadata.name}" as an app in namespace ${input.sourceNamespace} would look it up`, { host: svc.metadata.name, recordType: 'A' }));
    if (input.kubeDnsIP) {
      plans.push(dns('dns/fqdn/kube-dns-udp', `${fqdn} via kube-dns ${input.kubeDnsIP} (UDP)`, { host: fqdn, server: input.kubeDnsIP, transport: 'udp', recordType: 'A' }));
      plans.push(dns('dns/fqdn/kube-dns-tcp', `${fqdn} via kube-dns ${input.kubeDnsIP} (TCP)`, { host: fqdn, server: input.kubeDnsIP, transport: 'tcp', recordType: 'A' }));
    }
  }
  for (const ip of input.ingressProbes) {
    plans.push(connectProbe(ip.id, ip.label, { host: ip.host, port: ip.port, path: ip.path, hostHeader: ip.hostHeader }, true, tools, timeoutSec));
  }
  return plans;
}

/** Ingress probes: one per (Ingress rule path) that routes to the target, through a controller Service. */
export function ingressProbeTargets(
  ingresses: Ingress[],
  target: { namespace: string; name: string },
  controllerService: Service | undefined,
): ProbePlanInput['ingressProbes'] {
  if (!controllerService?.spec.clusterIP || controllerService.spec.clusterIP === 'None') return [];
  const httpPort = (controllerService.spec.ports ?? []).find((p) => p.name === 'web' || p.name === 'http' || p.port === 80) ?? controllerService.spec.ports?.[0];
  if (!httpPort) return [];
  const out: ProbePlanInput['ingressProbes'] = [];
  for (const ing of ingresses) {
    (ing.spec.rules ?? []).forEach((rule, ri) => {
      (rule.http?.paths ?? []).forEach((p, pi) => {
        if (p.backend.service?.name !== target.name || ing.metadata.namespace !== target.namespace) return;
        const path = p.path && p.path.startsWith('/') ? p.path : '/';
        out.push({
          id: `ingress/${ing.metadata.namespace}/${ing.metadata.name}/${ri}/${pi}`,
          label: `${rule.host ?? '*'}${path} through ${controllerService.metadata.namespace}/${controllerService.metadata.name}`,
          host: controllerService.spec.clusterIP!,
          port: httpPort.port,
          hostHeader: rule.host && !rule.host.startsWith('*') ? rule.host : undefined,
          path,
        });
      });
    });
  }
  return out.slice(0, 6);
}

/** Run planned probes with bounded concurrency. */
export async function runProbes(api: Api, site: ProbeSite, plans: PlannedProbe[], probeTimeoutMs: number, concurrency = 6): Promise<ProbeFact[]> {
  const results: ProbeFact[] = new Array(plans.length);
  let next = 0;
  const worker = async () => {
    while (next < plans.length) {
      const i = next++;
      const plan = plans[i]!;
      results[i] = await runOne(api, site, plan, probeTimeoutMs);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, plans.length) }, worker));
  return results;
}

async function runOne(api: Api, site: ProbeSite, plan: PlannedProbe, probeTimeoutMs: number): Promise<ProbeFact> {
  const fact: ProbeFact = { id: plan.id, kind: plan.kind, label: plan.label, target: plan.target, tool: plan.command?.tool ?? null };
  if (!plan.command) return fact;
  fact.kubectl = kubectlCommand({ namespace: site.namespace, pod: site.pod, container: site.container, argv: plan.command.argv });
  // the tool has probeTimeout to answer; the exec round trip gets 2 s more before k8snet gives up
  fact.exec = await runExec(api, {
    namespace: site.namespace,
    pod: site.pod,
    container: site.container,
    argv: plan.command.argv,
    timeoutMs: probeTimeoutMs + 2000,
  });
  return fact;
}
