// analyzeSweep(): SweepFacts -> one row per Service, each from diagnose's own checks and diagnosis
// on the Service's projected Facts; cluster DNS once; policy hygiene per namespace; callers. Pure.

import { checkKubeDns, CLUSTER_DNS_CODES } from '../checks/dns.js';
import { lintFinding, servicePorts, targetPortOn } from '../checks/policy.js';
import { describePeerReach, policyWorldOf } from '../checks/policy-reach.js';
import { runChecks } from '../checks/run.js';
import { isGatewayParent, parentRefsOf, routeNs } from '../gateway/routes.js';
import { detectCniFrom } from '../checks/cni.js';
import { diagnose } from '../diagnosis/index.js';
import type { Facts } from '../model/facts.js';
import { NOT_PROBED_CODES, probeIdOf, REACH_CODES } from '../model/code-groups.js';
import { familyOf } from '../model/codes.js';
import { hasCode, type Diagnosis, type Finding, type FindingOf } from '../model/finding.js';
import type { Service } from '../model/k8s.js';
import type { NamespaceReads, SweepFacts } from '../model/sweep.js';
import { callersOf, portAdmitsAnyone } from '../policy/callers.js';
import { destinationPods } from '../policy/from-facts.js';
import { lintOrInsteadOfAnd, lintPeersMatchNothing, lintSelectsNothing, lintServicePort } from '../policy/lint.js';
import type { Lint, Protocol } from '../policy/types.js';
import { shellQuote } from '../probes/kubectl-command.js';
import { factsForService, sharedOf } from './project.js';
import type { SweepNamespace, SweepReport, SweepRow } from './types.js';
import { SWEEP_SCHEMA } from './types.js';

/** Where traffic enters a Service from outside its namespace: Ingress paths, Gateway API routes. One function per source. */
export const ENTRY_SOURCES: ((facts: Facts) => string[])[] = [
  (facts) => {
    const r = facts.ingress.ingresses;
    if (r.state !== 'ok') return [];
    const t = facts.request.target;
    return r.value.flatMap((ing) => {
      const paths = (ing.spec.rules ?? []).flatMap((rule) =>
        (rule.http?.paths ?? []).filter((p) => p.backend.service?.name === t.name).map((p) => `${rule.host ?? '*'}${p.path ?? '/'}`),
      );
      const def = ing.spec.defaultBackend?.service?.name === t.name ? ['(default backend)'] : [];
      return [`Ingress ${ing.metadata.namespace}/${ing.metadata.name} ${[...paths, ...def].join(' ')}`.trim()];
    });
  },
  (facts) =>
    (facts.gateway?.routes ?? []).flatMap(({ kind, read }) =>
      read.state === 'ok'
        ? read.value.map((r) => {
            const gws = parentRefsOf(r)
              .filter(isGatewayParent)
              .map((p) => `${p.namespace}/${p.name}`);
            return `${kind} ${routeNs(r)}/${r.metadata.name}${gws.length ? ` via ${gws.join(', ')}` : ''}`;
          })
        : [],
    ),
];

const RANK: Record<Diagnosis['verdict'], number> = { fault: 0, inconclusive: 1, healthy: 2 };

function isClusterDns(f: Finding): boolean {
  return f.step === 'dns' && (CLUSTER_DNS_CODES as readonly string[]).includes(f.code);
}

function policyColumn(findings: Finding[]): SweepRow['policy'] {
  const f = findings.find((x): x is FindingOf<(typeof REACH_CODES)[number]> => hasCode(x, REACH_CODES));
  const reach = f?.data?.reach;
  if (findings.some((x) => x.code === 'policy/unknown' && x.status === 'unknown') && !reach) return { state: 'unknown', selectedBy: [], admitted: [] };
  if (!f || !reach) return { state: 'n/a', selectedBy: [], admitted: [] };
  const selectedBy = reach.selectedBy.map((p) => p.name);
  const admitted = [...new Set(reach.ports.flatMap((pr) => pr.peers.filter((x) => portAdmitsAnyone({ ...pr, peers: [x] }, true)).map(describePeerReach)))];
  const state = f.code === 'policy/reach-open' ? 'open' : f.code === 'policy/reach-restricted' ? 'restricted' : 'nobody';
  return { state, selectedBy, admitted };
}

function liveColumn(facts: Facts, findings: Finding[]): SweepRow['live'] {
  if (!facts.request.from) return undefined;
  const probes = findings.filter((f) => probeIdOf(f) !== undefined);
  if (probes.length === 0) {
    const unknown = findings.find((f) => f.status === 'unknown' && (hasCode(f, NOT_PROBED_CODES) || familyOf(f.code) === 'source'));
    return { state: 'not-probed', summary: unknown?.summary ?? 'no probe ran' };
  }
  const failed = probes.filter((f) => f.status === 'fail');
  const okCount = probes.filter((f) => f.status === 'pass').length;
  if (failed.length > 0) return { state: 'failed', summary: failed[0].summary };
  if (okCount === 0) return { state: 'not-probed', summary: probes[0].summary };
  return { state: 'ok', summary: `${okCount}/${probes.length} probes answered` };
}

function diagnoseCommand(sf: SweepFacts, ns: string, name: string): string {
  const from = sf.request.from ? ` --from ${shellQuote(sf.request.from.raw)}` : '';
  return `k8snet diagnose ${ns}/${name}${from}`;
}

/** "http:80->8080", "53->53/UDP". */
function portText(p: NonNullable<Service['spec']['ports']>[number]): string {
  const proto = (p.protocol ?? 'TCP').toUpperCase();
  return `${p.name ? `${p.name}:` : ''}${p.port}->${p.targetPort ?? p.port}${proto === 'TCP' ? '' : `/${proto}`}`;
}

function typeOf(svc: Service): string {
  if (svc.spec.type === 'ExternalName') return 'ExternalName';
  if (svc.spec.clusterIP === 'None') return 'headless';
  return svc.spec.type ?? 'ClusterIP';
}

function rowOf(sf: SweepFacts, facts: Facts, svc: Service | undefined, callers: boolean): SweepRow {
  const all = runChecks(facts);
  // Without probes, cluster DNS is judged once for the run, not blamed on every Service.
  const findings = sf.request.from ? all : all.filter((f) => !isClusterDns(f));
  const d = diagnose(findings, facts);
  const t = facts.request.target;
  const eps = findings.find((f) => f.code === 'service/endpoints-ready' || f.code === 'service/no-endpoints');
  const row: SweepRow = {
    namespace: t.namespace,
    name: t.name,
    type: svc ? typeOf(svc) : '(missing)',
    endpoints: eps?.data && typeof eps.data.total === 'number' ? { ready: Number(eps.data.ready ?? 0), total: eps.data.total } : null,
    ports: (svc?.spec.ports ?? []).map(portText),
    policy: policyColumn(findings),
    entry: ENTRY_SOURCES.flatMap((e) => e(facts)),
    verdict: d.verdict,
    layer: d.layer,
    reason: d.verdict === 'healthy' && d.warnings.length > 0 ? `${d.headline}; warning: ${d.warnings[0].summary}` : d.headline,
    confidence: d.confidence,
    warnings: d.warnings.length,
    unknowns: d.unknowns.length,
    findings: findings.filter((f) => f.status !== 'info').map((f) => ({ code: f.code, status: f.status, summary: f.summary })),
  };
  const live = liveColumn(facts, findings);
  if (live) row.live = live;
  if (d.verdict !== 'healthy' || d.warnings.length > 0) row.next = diagnoseCommand(sf, t.namespace, t.name);
  if (callers && svc) row.callers = callersRow(facts, findings);
  return row;
}

/** --callers: per port, the workloads policy lets in (both directions judged), from every pod read. */
function callersRow(facts: Facts, findings: Finding[]): SweepRow['callers'] {
  const dst = destinationPods(facts).pods[0];
  if (!dst) return [];
  const { idx } = policyWorldOf(facts);
  const reach = findings.find((x): x is FindingOf<(typeof REACH_CODES)[number]> => hasCode(x, REACH_CODES))?.data?.reach;
  const out: NonNullable<SweepRow['callers']> = [];
  for (const sp of servicePorts(facts)) {
    const port = targetPortOn(dst, sp);
    if (port === undefined) continue;
    const protocol = (sp.protocol ?? 'TCP').toUpperCase() as Protocol;
    const pr = reach?.ports.find((x) => x.port === port && x.protocol === protocol);
    // peers that may match pods k8snet did not read (namespaces not swept): named, not guessed
    const unread = [...new Set((pr?.peers ?? []).flatMap((x) => x.unread))].filter((n) => n !== '*');
    out.push({ port, protocol, callers: callersOf(idx, dst, port, protocol, idx.world.pods), ...(unread.length ? { unreadNamespaces: unread } : {}) });
  }
  return out;
}

/** Policy hygiene of one namespace: dead peers, policies selecting nothing, AND/OR, Service-port rules. */
function hygiene(facts: Facts, n: NamespaceReads): Finding[] {
  if (n.policies.state !== 'ok') return [];
  const { idx, know } = policyWorldOf(facts);
  const lints = new Map<string, Lint>();
  const add = (l: Lint | undefined) => l && lints.set(`${l.code}|${l.policy?.name}|${l.path}|${l.message}`, l);
  const podsRead = n.pods.state === 'ok';
  for (const p of idx.policiesIn(n.name)) {
    if (podsRead) add(lintSelectsNothing(idx, p));
    lintOrInsteadOfAnd(p).forEach(add);
    lintPeersMatchNothing(idx, p, know).forEach(add);
  }
  if (n.services.state === 'ok') {
    for (const svc of n.services.value) {
      const sel = svc.spec.selector;
      if (!sel || Object.keys(sel).length === 0) continue;
      const pod = idx.selectPods(n.name, { matchLabels: sel })[0];
      if (!pod) continue;
      for (const p of idx.selectingPolicies(pod, 'ingress')) {
        for (const sp of svc.spec.ports ?? []) {
          const tp = targetPortOn(pod, sp);
          if (tp !== undefined) lintServicePort(p, sp.port, tp).forEach(add);
        }
      }
    }
  }
  return [...lints.values()].map(lintFinding).filter((f): f is Finding => !!f);
}

export function analyzeSweep(sf: SweepFacts): SweepReport {
  const shared = sharedOf(sf);
  const rows: SweepRow[] = [];
  const namespaces: SweepNamespace[] = [];
  for (const n of sf.swept) {
    if (n.services.state !== 'ok' && n.services.state !== 'not-found') {
      namespaces.push({
        name: n.name,
        status: 'not-checked',
        why: `list services in namespace ${n.name}: ${n.services.state}${n.services.message ? ` (${n.services.message})` : ''}`,
        services: 0,
        hygiene: [],
      });
      continue;
    }
    const services = n.services.state === 'ok' ? n.services.value : [];
    for (const svc of services) rows.push(rowOf(sf, factsForService(sf, shared, n, svc.metadata.name, svc), svc, sf.request.callers));
    // Services an Ingress of this namespace routes to that do not exist: a row each, diagnosed as diagnose would.
    const names = new Set(services.map((s) => s.metadata.name));
    const missing = new Set<string>();
    if (n.ingresses.state === 'ok' && n.services.state === 'ok') {
      for (const ing of n.ingresses.value) {
        for (const b of [ing.spec.defaultBackend, ...(ing.spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))]) {
          const name = b?.service?.name;
          if (name && !names.has(name)) missing.add(name);
        }
      }
    }
    for (const name of missing) rows.push(rowOf(sf, factsForService(sf, shared, n, name, undefined), undefined, false));
    const nsFacts = factsForService(sf, shared, n, '-', undefined);
    namespaces.push({ name: n.name, status: 'checked', services: services.length, hygiene: hygiene(nsFacts, n) });
  }
  rows.sort(
    (a, b) =>
      RANK[a.verdict] - RANK[b.verdict] ||
      (b.warnings > 0 ? 1 : 0) - (a.warnings > 0 ? 1 : 0) ||
      `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
  );
  const dns = checkKubeDns(sf.dns);
  const cni = detectCniFrom(sf.daemonSets, sf.nodes);
  const count = (v: Diagnosis['verdict']) => rows.filter((r) => r.verdict === v).length;
  const summary = {
    services: rows.length,
    fault: count('fault'),
    inconclusive: count('inconclusive'),
    healthy: count('healthy'),
    notChecked: namespaces.filter((n) => n.status === 'not-checked').map((n) => n.name),
  };
  return {
    schema: SWEEP_SCHEMA,
    k8snetVersion: sf.k8snetVersion,
    gatheredAt: sf.gatheredAt,
    context: { ...(sf.context.name ? { name: sf.context.name } : {}), ...(sf.context.cluster ? { cluster: sf.context.cluster } : {}) },
    request: {
      namespaces: sf.request.namespaces,
      ...(sf.request.from ? { from: sf.request.from.raw } : {}),
      ...(sf.source.state === 'ok'
        ? { source: `${sf.source.value.pod.metadata.namespace}/${sf.source.value.pod.metadata.name}`, container: sf.source.value.container }
        : {}),
      callers: sf.request.callers,
    },
    cluster: {
      dns: dns.filter((f) => f.status !== 'info').map((f) => ({ code: f.code, status: f.status, summary: f.summary })),
      cni: { name: cni.name, enforcesPolicy: cni.enforcesPolicy },
    },
    summary,
    namespaces,
    rows,
    timings: sf.timings,
    requests: sf.requests,
    notes: sf.notes,
  };
}
