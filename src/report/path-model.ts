// buildPath(): the hop-by-hop picture of the path a packet takes, computed from the facts and the
// findings (pure). Source pod -> egress gate -> DNS -> Service ClusterIP (kube-proxy) -> each
// endpoint pod, with its ingress gate; and, when step 5 ran, the entry chain in front
// (Ingress or Gateway -> controller -> backend). Renderers: path-text.ts, path-mermaid.ts.
//
// Hops are judged only from findings: a hop passes when some finding shows it works and none shows
// it broken; "unknown" when the only findings say k8snet could not tell; "not-checked" when no
// finding covers it. Optional labels (node names, protocol answers, Gateway hops) are drawn when
// the facts or findings carry them.

import type { Facts } from '../model/facts.js';
import { familyOf, type Code } from '../model/codes.js';
import { CONNECT_PROBE_CODES, GATEWAY_PROBE_CODES, INGRESS_PROBE_CODES, PATH_VERDICT_CODES, PROBE_CODES, VERDICT_CODES } from '../model/code-groups.js';
import { hasCode, type Diagnosis, type Finding, type FindingOf, type Status } from '../model/finding.js';

/** Cluster DNS health (kube-dns Service, its endpoints, CoreDNS pods): not about the name asked for. */
const KUBE_DNS_CODES: readonly Code[] = [
  'dns/kube-dns-ok',
  'dns/kube-dns-missing',
  'dns/kube-dns-no-endpoints',
  'dns/kube-dns-unreadable',
  'dns/coredns-not-ready',
];
/** Probe findings that may carry an HTTP status or a protocol label. */
const HTTP_PROBE_CODES = [...CONNECT_PROBE_CODES, ...INGRESS_PROBE_CODES, ...GATEWAY_PROBE_CODES] as const;

/** passed: shown to work. failed: shown broken. unknown: k8snet could not tell. not-checked: nothing looked. */
export type HopState = 'passed' | 'failed' | 'unknown' | 'not-checked';

/** One box of the picture. */
export interface PathHop {
  /** What the hop is, e.g. "orders/orders-api-7485", "ClusterIP 10.96.74.96:80". */
  label: string;
  /** Short qualifier drawn after the label: "kube-proxy", "controller", "HTTP 200". */
  detail?: string;
  /** Node the pod runs on, when known (source and endpoints). */
  node?: string;
  state: HopState;
  /** Short reason for a failed/unknown hop, from the worst finding ("timed out", "NXDOMAIN"). */
  reason?: string;
  /** Finding codes that decided the state (for json and tests). */
  codes: string[];
}

/** A NetworkPolicy gate on the path: where a policy acts (egress of the source, ingress of an endpoint). */
export interface PathGate {
  direction: 'egress' | 'ingress';
  state: HopState;
  /** "allowed", "open" (not isolated), "DENIED", "not enforced", "unknown", "not checked". */
  word: string;
  /** Policies that decided (ns/name), when any. */
  policies: string[];
  codes: string[];
}

/** An endpoint of the Service with the ingress gate in front of it. */
export interface PathEndpoint extends PathHop {
  ip: string;
  pod?: string;
  gate: PathGate;
}

/** One entry route in front of the Service: Ingress (or Gateway/route) -> controller -> backend. */
export interface PathEntry {
  /** "Ingress", "Gateway", "HTTPRoute", ... (the subject kind of its findings). */
  kind: string;
  hops: PathHop[];
}

export interface PathPicture {
  entries: PathEntry[];
  /** null without --from: nothing was probed from inside the cluster. */
  source: PathHop | null;
  egress: PathGate;
  dns: PathHop;
  service: PathHop;
  endpoints: PathEndpoint[];
  /** Endpoints left out of the picture (only the first MAX_ENDPOINTS are drawn). */
  moreEndpoints: number;
  /** Id of the hop the diagnosis blames (see hopIds), drawn as the failing one; absent when none failed. */
  failing?: string;
}

export const MAX_ENDPOINTS = 6;

const RANK: Record<HopState, number> = { failed: 3, unknown: 2, passed: 1, 'not-checked': 0 };

/** failed if any finding failed; else passed if any passed; else unknown if any unknown; else not-checked. warn counts as passed (it works), info is ignored. */
export function hopState(statuses: Status[]): HopState {
  if (statuses.includes('fail')) return 'failed';
  if (statuses.includes('pass') || statuses.includes('warn')) return 'passed';
  if (statuses.includes('unknown')) return 'unknown';
  return 'not-checked';
}

function worstOf(states: HopState[]): HopState {
  return states.reduce<HopState>((w, s) => (RANK[s] > RANK[w] ? s : w), 'not-checked');
}

/** The finding that explains a hop's state (first failing, else first unknown). */
function reasonOf(fs: Finding[], state: HopState): string | undefined {
  const want: Status | undefined = state === 'failed' ? 'fail' : state === 'unknown' ? 'unknown' : undefined;
  if (!want) return undefined;
  const f = fs.find((x) => x.status === want);
  if (!f) return undefined;
  const outcome = hasCode(f, PROBE_CODES) ? f.data?.outcome : undefined;
  // "ok" on a failed finding (a 404 through a controller: connected, wrong answer) says nothing: word it by its code
  return outcome && outcome !== 'ok' ? (OUTCOME_WORDS[outcome] ?? outcome) : shortCode(f.code);
}

const OUTCOME_WORDS: Record<string, string> = {
  timeout: 'timed out',
  refused: 'refused',
  'no-route': 'no route',
  reset: 'reset',
  'no-response': 'no response',
  'dns-failure': 'name did not resolve',
  'tool-missing': 'no probe tool',
  'exec-failed': 'exec failed',
  crashed: 'probe crashed',
  deadline: 'k8snet could not tell',
  nxdomain: 'NXDOMAIN',
  servfail: 'SERVFAIL',
  'no-answer': 'no answer',
};

/** "service/no-endpoints" -> "no endpoints". */
function shortCode(code: string): string {
  return (code.split('/')[1] ?? code).replace(/-/g, ' ');
}

function hop(label: string, fs: Finding[], extra: Partial<PathHop> = {}): PathHop {
  const state = hopState(fs.map((f) => f.status));
  const h: PathHop = { label, state, codes: [...new Set(fs.filter((f) => f.status !== 'info').map((f) => f.code))], ...extra };
  const reason = reasonOf(fs, state);
  if (reason) h.reason = reason;
  return h;
}

interface VerdictSide {
  isolated: boolean;
  allowed: boolean;
  evaluated?: boolean;
  selectedBy?: { namespace: string; name: string }[];
  allowedBy?: { policy: { namespace: string; name: string } }[];
}
interface VerdictData {
  dst?: { name?: string; namespace?: string; ip?: string; labels?: Record<string, string> };
  egress?: VerdictSide;
  ingress?: VerdictSide;
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => a![k] === b?.[k]);
}

function verdictOf(f: Finding): VerdictData | undefined {
  return hasCode(f, VERDICT_CODES) ? f.data?.verdict : undefined;
}

/** A gate's state and word from the policy verdicts that cover one direction (a denied or allowed flow judges both sides). */
function gate(direction: 'egress' | 'ingress', fs: Finding[], policyRan: boolean, policyUnknown: Finding | undefined): PathGate {
  const codes = new Set<string>();
  const denied = new Set<string>();
  const allowedBy = new Set<string>();
  let deniedEnforced = false;
  let deniedAny = false;
  let dnsOnly = true;
  let allowed = false;
  let isolated = false;
  for (const f of fs) {
    const dns = f.code === 'policy/dns-egress-blocked';
    const v: VerdictData | undefined = f.code === 'policy/dns-egress-blocked' ? f.data?.dnsVerdict : verdictOf(f);
    const side = v?.[direction];
    if (!side || side.evaluated === false) continue;
    codes.add(f.code);
    if (!side.allowed) {
      deniedAny = true;
      if (f.status === 'fail') deniedEnforced = true;
      if (!dns) dnsOnly = false;
      for (const p of side.selectedBy ?? []) denied.add(`${p.namespace}/${p.name}`);
    } else if (!dns) {
      allowed = true;
      if (side.isolated) isolated = true;
      for (const r of side.allowedBy ?? []) allowedBy.add(`${r.policy.namespace}/${r.policy.name}`);
    }
  }
  if (deniedAny) {
    const what = dnsOnly ? ' (DNS)' : '';
    return {
      direction,
      state: deniedEnforced ? 'failed' : 'passed',
      word: deniedEnforced ? `DENIED${what}` : `denied${what}, not enforced`,
      policies: [...denied],
      codes: [...codes],
    };
  }
  if (allowed) return { direction, state: 'passed', word: isolated ? 'allowed' : 'open', policies: [...allowedBy], codes: [...codes] };
  if (policyUnknown) return { direction, state: 'unknown', word: 'unknown', policies: [], codes: [policyUnknown.code] };
  return { direction, state: policyRan ? 'unknown' : 'not-checked', word: policyRan ? 'unknown' : 'not checked', policies: [], codes: [] };
}

/** Ready endpoints of the target, from its EndpointSlices: ip, pod, node. */
function readyEndpoints(facts: Facts): { ip: string; pod?: string; node?: string }[] {
  if (facts.endpointSlices.state !== 'ok') return [];
  const seen = new Set<string>();
  const out: { ip: string; pod?: string; node?: string }[] = [];
  for (const s of facts.endpointSlices.value) {
    for (const ep of s.endpoints ?? []) {
      if (ep.conditions?.ready === false) continue;
      const ip = ep.addresses[0];
      if (!ip || seen.has(ip)) continue;
      seen.add(ip);
      out.push({ ip, pod: ep.targetRef?.name, node: ep.nodeName });
    }
  }
  return out;
}

function podLabels(facts: Facts, pod: string | undefined): Record<string, string> | undefined {
  if (!pod || facts.namespacePods.state !== 'ok') return undefined;
  return facts.namespacePods.value.find((p) => p.metadata.name === pod)?.metadata.labels;
}

function podNode(facts: Facts, pod: string | undefined): string | undefined {
  if (!pod || facts.namespacePods.state !== 'ok') return undefined;
  return facts.namespacePods.value.find((p) => p.metadata.name === pod)?.spec.nodeName;
}

/** "ip:port" of an endpoint/* finding (its data.target, else its probe id endpoint/IP/PORT). */
function endpointIpOf(f: Finding): string | undefined {
  const d = hasCode(f, CONNECT_PROBE_CODES) ? f.data : undefined;
  const t = d?.target;
  if (t) return t.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  const id = d?.probeId;
  return id?.startsWith('endpoint/') ? id.split('/')[1] : undefined;
}

/** An answer worth drawing on a hop: "HTTP 200", else the application protocol a probe decided and got an answer in (data.protocol, e.g. TLS, DNS). */
function answerOf(fs: Finding[]): string | undefined {
  const ok = fs.filter((f) => f.status === 'pass').filter((f) => hasCode(f, HTTP_PROBE_CODES));
  const http = ok.find((f) => typeof f.data?.httpStatus === 'number');
  if (http) return `HTTP ${http.data!.httpStatus}`;
  const proto = ok
    .filter((f) => hasCode(f, CONNECT_PROBE_CODES))
    .find((f) => typeof f.data?.protocol === 'string' && f.data.protocol !== 'tcp' && f.data.app === 'answered');
  return proto ? String(proto.data!.protocol).toUpperCase() : undefined;
}

const ROUTE_KINDS = new Set(['Ingress', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute']);

/** Which of the three entry hops a step-5 finding speaks about (Ingress and Gateway API codes alike). */
function entryBucket(f: Finding): 'route' | 'controller' | 'backend' {
  const code = f.code;
  if (f.subject?.kind === 'Gateway' || f.subject?.kind === 'GatewayClass') return 'controller';
  if (/controller|\/class-|\/no-class/.test(code)) return 'controller';
  if (/probe|route-not-matched|backend-error|\/hop-/.test(code)) return 'backend';
  return 'route';
}

/** Step-5 codes that mean "there is no entry route to draw". */
const NO_ENTRY = new Set(['ingress/none', 'gateway/none', 'gateway/not-installed']);

/**
 * The entry chains: one per route (an Ingress, or a Gateway API route) that sends traffic to the
 * Service, from the findings of step 5. Findings about no route in particular (the controller,
 * the Gateway, the class) join every chain of their step.
 */
function entries(facts: Facts, findings: Finding[], target: string): PathEntry[] {
  const out: PathEntry[] = [];
  for (const step of ['ingress', 'gateway'] as const) {
    const fs = findings.filter((f) => f.step === step && !NO_ENTRY.has(f.code));
    if (!fs.some((f) => f.status !== 'info')) continue;
    const routes = new Map<string, { kind: string; name: string; fs: Finding[] }>();
    const shared: Finding[] = [];
    const gateways = new Set<string>();
    for (const f of fs) {
      const s = f.subject;
      if (s?.kind === 'Gateway') gateways.add(`${s.namespace ? `${s.namespace}/` : ''}${s.name}`);
      if (s && ROUTE_KINDS.has(s.kind)) {
        const key = `${s.kind}|${s.namespace ?? ''}/${s.name}`;
        const r = routes.get(key) ?? { kind: s.kind, name: `${s.namespace ? `${s.namespace}/` : ''}${s.name}`, fs: [] };
        r.fs.push(f);
        routes.set(key, r);
      } else shared.push(f);
    }
    if (routes.size === 0) {
      const named = step === 'ingress' ? facts.request.ingress : undefined;
      routes.set('?', { kind: step === 'ingress' ? 'Ingress' : 'Gateway', name: named ? `${named.namespace}/${named.name}` : '(routes)', fs: [] });
    }
    const controllers =
      step === 'ingress'
        ? facts.ingress.controllers.map((c) => {
            const ns = c.pods.state === 'ok' ? c.pods.value[0]?.metadata.namespace : undefined;
            return `${c.product !== 'unknown' ? c.product : c.controller}${ns ? ` (${ns})` : ''}`;
          })
        : [...gateways].map((g) => `Gateway ${g}`);
    for (const r of routes.values()) {
      const all = [...r.fs, ...shared];
      const bucket = (b: string) => all.filter((f) => entryBucket(f) === b);
      const hosts = r.kind === 'Ingress' ? hostsOf(facts, r.name) : undefined;
      const answer = answerOf(bucket('backend'));
      out.push({
        kind: r.kind,
        hops: [
          hop(`${r.kind} ${r.name}`, bucket('route'), hosts ? { detail: hosts } : {}),
          hop(
            controllers.length ? controllers.join(', ') : 'controller',
            bucket('controller'),
            controllers.length ? { detail: step === 'ingress' ? 'controller' : 'data plane' } : {},
          ),
          hop(`Service ${target}`, bucket('backend'), { detail: answer ?? 'backend' }),
        ],
      });
    }
  }
  return out;
}

/** "api.example.com/health" of an Ingress that routes to the target, when the facts hold it. */
function hostsOf(facts: Facts, nsName: string): string | undefined {
  if (facts.ingress.ingresses.state !== 'ok') return undefined;
  const ing = facts.ingress.ingresses.value.find((i) => `${i.metadata.namespace}/${i.metadata.name}` === nsName);
  const rule = ing?.spec.rules?.find((r) => r.http?.paths.some((p) => p.backend.service?.name === facts.request.target.name));
  if (!rule) return undefined;
  const path = rule.http?.paths.find((p) => p.backend.service?.name === facts.request.target.name)?.path ?? '/';
  return `${rule.host ?? '*'}${path}`;
}

/** The picture of the path, from the facts and every finding of the run. */
export function buildPath(facts: Facts, findings: Finding[], diagnosis?: Diagnosis): PathPicture {
  const target = `${facts.request.target.namespace}/${facts.request.target.name}`;
  const svc = facts.service.state === 'ok' ? facts.service.value : undefined;
  const src = facts.source.state === 'ok' ? facts.source.value : undefined;
  const by = (pred: (f: Finding) => boolean) => findings.filter(pred);

  const source: PathHop | null = facts.request.from
    ? hop(
        src ? `${src.pod.metadata.namespace ?? facts.request.from.namespace}/${src.pod.metadata.name}` : facts.request.from.raw,
        by((f) => f.step === 'source'),
        src?.pod.spec.nodeName ? { node: src.pod.spec.nodeName } : {},
      )
    : null;

  const policy = by((f) => f.step === 'policy');
  const policyRan = policy.some((f) => f.code !== 'policy/cni-detected' && f.code !== 'policy/cni-unknown');
  const policyUnknown = policy.find((f) => f.code === 'policy/unknown');
  const verdicts = policy.filter((f) => hasCode(f, PATH_VERDICT_CODES) && verdictOf(f));
  const egress = gate('egress', [...verdicts, ...policy.filter((f) => f.code === 'policy/dns-egress-blocked')], policyRan, policyUnknown);

  const dnsFs = by((f) => f.step === 'dns' && (familyOf(f.code) === 'dns' && !KUBE_DNS_CODES.includes(f.code) ? true : f.status === 'fail'));
  const dnsAnswer = dnsFs.find((f): f is FindingOf<'dns/resolves'> => f.code === 'dns/resolves' && Array.isArray(f.data?.addresses))?.data?.addresses;
  const dns = hop(
    `DNS ${facts.request.target.name}.${facts.request.target.namespace}`,
    dnsFs,
    dnsAnswer?.length ? { detail: dnsAnswer.slice(0, 2).join(', ') } : {},
  );

  const clusterIP = svc?.spec.clusterIP;
  const ports = (svc?.spec.ports ?? []).filter((p) => !facts.request.port || p.name === facts.request.port || String(p.port) === facts.request.port);
  const portText = ports.length === 1 ? `:${ports[0].port}` : ports.length > 1 ? `:${ports.map((p) => p.port).join(',')}` : '';
  const serviceLabel = !svc ? `Service ${target}` : clusterIP && clusterIP !== 'None' ? `${target} ${clusterIP}${portText}` : `${target} (headless)`;
  const serviceFs = by((f) => f.step === 'endpoints' || familyOf(f.code) === 'clusterip');
  const service = hop(serviceLabel, serviceFs, { detail: clusterIP && clusterIP !== 'None' ? 'ClusterIP, kube-proxy' : undefined });
  if (service.detail === undefined) delete service.detail;

  const epFs = by((f) => familyOf(f.code) === 'endpoint');
  const generalEp = epFs.filter((f) => endpointIpOf(f) === undefined);
  const all = readyEndpoints(facts);
  const endpoints: PathEndpoint[] = all.slice(0, MAX_ENDPOINTS).map((e) => {
    const mine = [...epFs.filter((f) => endpointIpOf(f) === e.ip), ...generalEp];
    // every port probed on this endpoint (per-port probes): "10.244.0.7:8080,9090"
    const ports = [
      ...new Set(
        epFs
          .filter((f) => hasCode(f, CONNECT_PROBE_CODES))
          .filter((f) => endpointIpOf(f) === e.ip && typeof f.data?.target === 'string')
          .map((f) => /:(\d+)$/.exec(f.data!.target)?.[1])
          .filter(Boolean),
      ),
    ];
    const label = ports.length ? `${e.ip.includes(':') ? `[${e.ip}]` : e.ip}:${ports.join(',')}` : e.ip;
    const node = e.node ?? podNode(facts, e.pod);
    // the policy check reports one verdict per pod signature (same labels, same port): a pod without
    // its own verdict shares the verdict of a pod with the same labels
    // a hand-made EndpointSlice names no pod: its address is matched to the verdict's destination IP
    const own = verdicts.filter((f) => {
      const d = verdictOf(f)?.dst;
      return d !== undefined && (d.name === e.pod || (e.pod === undefined && d.ip === e.ip));
    });
    const labels = podLabels(facts, e.pod);
    const mineGate = own.length > 0 ? own : labels ? verdicts.filter((f) => sameLabels(verdictOf(f)?.dst?.labels, labels)) : [];
    const answer = answerOf(mine);
    const h = hop(label, mine, { ...(node ? { node } : {}), ...(answer ? { detail: answer } : {}) });
    return { ...h, ip: e.ip, ...(e.pod ? { pod: e.pod } : {}), gate: gate('ingress', mineGate, policyRan, policyUnknown) };
  });
  if (all.length === 0 && svc && svc.spec.type !== 'ExternalName') {
    const h = hop(
      'no ready endpoints',
      by(
        (f) =>
          f.code === 'service/no-endpoints' ||
          f.code === 'service/no-matching-pods' ||
          f.code === 'service/pods-not-ready' ||
          f.code === 'service/endpoints-unreadable',
      ),
    );
    endpoints.push({ ...h, ip: '', gate: gate('ingress', [], policyRan, policyUnknown) });
  }
  // A ClusterIP probe that fails while every endpoint behind it fails too says nothing about
  // kube-proxy: the fault is drawn at the endpoints (and their gates), the VIP is "could not tell".
  const clusterFailsOnly = service.state === 'failed' && serviceFs.filter((f) => f.status === 'fail').every((f) => familyOf(f.code) === 'clusterip');
  if (clusterFailsOnly && endpoints.length > 0 && endpoints.every((e) => e.state === 'failed')) {
    service.state = 'unknown';
    service.reason = 'nothing behind it answered';
  }
  const picture: PathPicture = {
    entries: entries(facts, findings, target),
    source,
    egress,
    dns,
    service,
    endpoints,
    moreEndpoints: Math.max(0, all.length - MAX_ENDPOINTS),
  };
  const failing = failingHop(picture, new Set((diagnosis?.evidence ?? []).map((f) => f.code)));
  if (failing) picture.failing = failing;
  return picture;
}

/** Every hop and gate with its id, in path order: entry-I-J, source, egress, dns, service, gate-I, endpoint-I. */
export function hopIds(p: PathPicture): { id: string; state: HopState; codes: string[] }[] {
  return [
    ...p.entries.flatMap((e, i) => e.hops.map((h, j) => ({ id: `entry-${i}-${j}`, state: h.state, codes: h.codes }))),
    ...(p.source ? [{ id: 'source', state: p.source.state, codes: p.source.codes }] : []),
    { id: 'egress', state: p.egress.state, codes: p.egress.codes },
    { id: 'dns', state: p.dns.state, codes: p.dns.codes },
    { id: 'service', state: p.service.state, codes: p.service.codes },
    ...p.endpoints.flatMap((e, i) => [
      { id: `gate-${i}`, state: e.gate.state, codes: e.gate.codes },
      { id: `endpoint-${i}`, state: e.state, codes: e.codes },
    ]),
  ];
}

/** The failed hop the diagnosis's evidence names (a gate before its endpoint); else the first failed hop. */
function failingHop(p: PathPicture, blamed: Set<string>): string | undefined {
  const failed = hopIds(p).filter((h) => h.state === 'failed');
  return (failed.find((h) => h.codes.some((c) => blamed.has(c))) ?? failed[0])?.id;
}

/** The first failing hop, in path order (for the Mermaid style and the headline of the picture). */
export function worstHopState(p: PathPicture): HopState {
  return worstOf([
    ...p.entries.flatMap((e) => e.hops.map((h) => h.state)),
    p.source?.state ?? 'not-checked',
    p.egress.state,
    p.dns.state,
    p.service.state,
    ...p.endpoints.flatMap((e) => [e.state, e.gate.state]),
  ]);
}
