// Step 2 "ClusterIP reachability": the Service VIP and each endpoint's pod IP, probed from the source pod.
// Per port: the transport probe (connect only) decides reachability; the application probe (HTTP, TLS,
// DNS), run only for a known protocol, is application evidence on top of a working connection.

import { familyOf, type CoreCode } from '../model/codes.js';
import type { Facts } from '../model/facts.js';
import { CONNECT_PROBE_CODES } from '../model/code-groups.js';
import type { ProbedServicePort } from '../model/finding-data.js';
import { hasCode, type Finding, type Status } from '../model/finding.js';
import type { ServicePort } from '../model/k8s.js';
import type { ConnectOutcome, ProbeFact } from '../model/probe.js';
import { decidePortProtocol, parseApp, type AppOutcome, type PortProtocol } from '../probes/index.js';
import { make } from './lib/make.js';
import { connectOutcome, execForbidden, isNotRun, probeEvidence, probesWithPrefix } from './lib/probe-evidence.js';
import { ephemeralHint, sourceCannotProbe } from './source.js';
import { whyNotProbed } from './lib/exec-failure.js';

const STEP = 'clusterip' as const;

type Kind = 'clusterip' | 'endpoint';

/** Map a connect outcome to a code and status for a ClusterIP or pod-IP probe. */
function classify(kind: Kind, o: ConnectOutcome): { code: CoreCode; status: Status } {
  if (o.kind === 'ok') return { code: `${kind}/reachable`, status: 'pass' };
  // the network delivered the connection; the application behind it did not answer
  if (o.kind === 'timeout' && o.connected === true) return { code: `${kind}/no-response`, status: 'fail' };
  if (o.kind === 'refused') return { code: `${kind}/refused`, status: 'fail' };
  if (o.kind === 'timeout') return { code: `${kind}/timeout`, status: 'fail' };
  if (o.kind === 'no-route') return { code: `${kind}/unreachable`, status: 'fail' };
  if (isNotRun(o.kind)) return { code: `${kind}/not-probed`, status: 'unknown' };
  return { code: `${kind}/error`, status: 'fail' };
}

function target(p: ProbeFact): string {
  return `${p.target.host}${p.target.port ? `:${p.target.port}` : ''}`;
}

function what(kind: Kind, p: ProbeFact): string {
  const sp = p.servicePort;
  const port = sp && (sp.name || kind === 'endpoint') ? ` (Service port ${sp.name ? `${sp.name} ` : ''}${sp.port})` : '';
  // every endpoint probe carries its pod and node
  const where = kind === 'endpoint' ? [p.target.pod, p.target.node ? `on node ${p.target.node}` : ''].filter(Boolean).join(' ') : '';
  return `${kind === 'clusterip' ? 'ClusterIP' : 'Pod IP'} ${target(p)}${port}${where ? ` [${where}]` : ''}`;
}

function sentence(kind: Kind, p: ProbeFact, o: ConnectOutcome): string {
  const w = what(kind, p);
  switch (o.kind) {
    case 'ok':
      return o.httpStatus !== undefined
        ? `${w} answered HTTP ${o.httpStatus}${o.httpStatus >= 400 ? " (the connection works; the status is the app's answer)" : ''}`
        : `${w} accepted a TCP connection`;
    case 'refused':
      return kind === 'clusterip'
        ? `${w} refused the connection (no endpoints, or nothing listens on targetPort)`
        : `${w} refused the connection: nothing listens on that port`;
    case 'timeout':
      if (o.connected === true) return `${w} accepted the connection but sent no response in time: the application hangs (the network works)`;
      return o.connected === false
        ? `${w} timed out: the TCP handshake never completed (packets are dropped)`
        : `${w} timed out: packets are dropped (or the app accepted and never answered: ${p.tool ?? 'the tool'} cannot tell)`;
    case 'no-route':
      return `${w}: no route to host`;
    case 'tool-missing':
      return `${w} could not be probed: no nc, bash, curl or wget in the source container`;
    case 'exec-failed':
      return p.exec?.errorKind === 'forbidden'
        ? `${w} could not be probed: create pods/exec in namespace ${p.exec.namespace}: forbidden — grant create on pods/exec`
        : `${w} could not be probed: exec into the source container failed (${p.exec?.errorKind ?? 'other'})`;
    case 'crashed':
      return `${w} could not be probed: the probe tool crashed`;
    case 'deadline':
      return `${w}: k8snet could not tell - its exec did not complete before k8snet's own deadline (not a network result)`;
    default:
      return `${w} probe failed: ${o.kind}`;
  }
}

/** A probe of an older facts file (one command that connected and spoke HTTP at once). */
function legacyFinding(kind: Kind, p: ProbeFact): Finding {
  const o = connectOutcome(p);
  const { code, status } = classify(kind, o);
  const next = status === 'unknown' && o.kind === 'tool-missing' ? ['re-run with --ephemeral to probe from a debug container'] : [];
  return make(code, STEP, status, sentence(kind, p, o), probeEvidence(p, o.detail), {
    next,
    forbidden: execForbidden(p),
    data: {
      probeId: p.id,
      outcome: o.kind === 'timeout' && o.connected === true ? 'no-response' : o.kind,
      connected: o.connected,
      httpStatus: o.httpStatus,
      target: target(p),
      ...(p.target.pod ? { pod: p.target.pod } : {}),
      ...(p.target.node ? { node: p.target.node } : {}),
    },
  });
}

function servicePortOf(facts: Facts, p: ProbeFact): ServicePort | undefined {
  if (facts.service.state !== 'ok' || !p.servicePort) return undefined;
  const ports = facts.service.value.spec.ports ?? [];
  return (
    ports.find((x) => x.name === p.servicePort!.name && (x.protocol ?? 'TCP') === (p.servicePort!.protocol ?? 'TCP')) ??
    ports.find((x) => x.port === p.servicePort!.port)
  );
}

function protocolText(proto: PortProtocol): string {
  const name = proto.product ?? proto.app;
  return `${name} (${proto.why})`;
}

/**
 * One finding per (ClusterIP or pod IP, port): the transport outcome decides; the application outcome
 * adds evidence. Any byte or status the application probe got back also proves the connection.
 */
function pathFinding(facts: Facts, kind: Kind, transport: ProbeFact, app: ProbeFact | undefined): Finding {
  const t = connectOutcome(transport);
  const a: AppOutcome | undefined = app ? parseApp(app) : undefined;
  const sp = servicePortOf(facts, transport);
  const proto = sp ? decidePortProtocol(sp, facts.request.probe) : undefined;
  const evidence = [...probeEvidence(transport, t.detail), ...(app ? probeEvidence(app, a!.detail) : [])];
  if (proto) evidence.push(`protocol: ${protocolText(proto)}`);
  const w = what(kind, transport);
  const base = {
    probeId: transport.id,
    appProbeId: app?.id,
    target: target(transport),
    servicePort: transport.servicePort,
    app: a?.kind,
    protocol: proto?.app,
    ...(transport.target.pod ? { pod: transport.target.pod } : {}),
    ...(transport.target.node ? { node: transport.target.node } : {}),
  };
  // the application probe saw the server: a connection was made whatever the transport probe says
  const appConnected =
    a !== undefined && (a.kind === 'answered' || (a.kind === 'silent' && a.connected === true) || a.kind === 'closed' || a.kind === 'protocol-error');
  const connected = t.kind === 'ok' || (appConnected && app?.kind !== 'dns');
  if (!connected) {
    const { code, status } = classify(kind, t);
    const next = status === 'unknown' && t.kind === 'tool-missing' ? ['re-run with --ephemeral to probe from a debug container'] : [];
    return make(code, STEP, status, sentence(kind, transport, t), evidence, { next, data: { ...base, outcome: t.kind, connected: t.connected } });
  }
  const via = t.kind === 'ok' ? '' : ` (the ${transport.tool ?? 'connect'} probe said ${t.kind}, but the ${app?.app ?? 'application'} probe got an answer)`;
  if (!a || a.kind === 'not-run' || a.kind === 'not-connected' || a.kind === 'unclear' || a.kind === 'answered') {
    const said = a?.kind === 'answered' ? ` and answered ${a.answer}` : '';
    const note = !a
      ? proto && proto.app !== 'tcp'
        ? ''
        : `; ${proto ? `${proto.product ?? 'the protocol'} is not probed beyond the connect` : 'transport probe only'}`
      : a.kind === 'not-run'
        ? `; the ${app!.app} check did not run (${a.detail})`
        : a.kind === 'answered'
          ? ''
          : `; the ${app!.app} check was inconclusive`;
    const httpStatus = a?.httpStatus;
    const summary = `${w} accepted a TCP connection${said}${note}${via}`;
    return make(`${kind}/reachable`, STEP, 'pass', summary, evidence, { data: { ...base, outcome: 'ok', connected: true, httpStatus } });
  }
  // connected, and the application did not answer what we sent: never a network verdict
  const sent =
    app!.app === 'dns'
      ? 'a DNS query'
      : app!.app === 'tls'
        ? 'a TLS handshake'
        : app!.app === 'https'
          ? 'an HTTPS request'
          : app!.app === 'h2c'
            ? 'an HTTP/2 request'
            : 'an HTTP request';
  const did =
    a.kind === 'silent'
      ? `sent nothing back to ${sent} within --probe-timeout`
      : a.kind === 'closed'
        ? `closed the connection without answering ${sent}`
        : `did not answer ${sent} in that protocol`;
  if (proto && proto.confidence !== 'declared') {
    return make(
      `${kind}/app-unanswered`,
      STEP,
      'warn',
      `${w} accepted a TCP connection but ${did}; the port was only guessed to speak ${proto.app} (${proto.why}), so it may speak another protocol (set appProtocol on the Service port, or --probe tcp)`,
      evidence,
      { data: { ...base, outcome: 'ok', connected: true } },
    );
  }
  const code: CoreCode = a.kind === 'silent' ? `${kind}/no-response` : `${kind}/app-error`;
  return make(
    code,
    STEP,
    'fail',
    `${w} accepted the connection but the application ${did}${proto ? ` (${proto.why} says it speaks ${proto.app})` : ''}: the network path works`,
    evidence,
    { data: { ...base, outcome: a.kind === 'silent' ? 'no-response' : 'app-error', connected: true } },
  );
}

/** A UDP DNS port: the query is the only probe (UDP has no handshake), so its answer is the evidence. */
function udpDnsFinding(kind: Kind, p: ProbeFact): Finding {
  const a = parseApp(p);
  // a DNS probe's target.host is the name asked; the address probed is the server
  const addr = `${p.target.server ?? p.target.host}:${p.target.port ?? 53}`;
  const w = `${kind === 'clusterip' ? 'ClusterIP' : 'Pod IP'} ${addr}/UDP${p.servicePort?.name ? ` (${p.servicePort.name})` : ''}`;
  const ev = probeEvidence(p, a.detail);
  const data = { probeId: p.id, target: `${addr}/udp`, servicePort: p.servicePort, app: a.kind, protocol: 'dns' };
  if (a.kind === 'answered')
    return make(`${kind}/reachable`, STEP, 'pass', `${w} answered a DNS query (${a.answer})`, ev, { data: { ...data, outcome: 'ok' } });
  if (a.kind === 'not-run')
    return make(`${kind}/not-probed`, STEP, 'unknown', `${w} could not be probed: ${a.detail}`, ev, { data: { ...data, outcome: 'tool-missing' } });
  if (a.kind === 'silent') {
    return make(
      `${kind}/timeout`,
      STEP,
      'fail',
      `${w}: no reply to a DNS query over UDP (dropped, or the DNS server is not answering: UDP cannot tell which)`,
      ev,
      { data: { ...data, outcome: 'timeout' } },
    );
  }
  return make(`${kind}/error`, STEP, 'fail', `${w}: the DNS query failed: ${a.detail}`, ev, { data: { ...data, outcome: 'error' } });
}

/** Distroless source without --ephemeral: say exactly what could not be checked. */
function notProbed(facts: Facts): Finding[] {
  const svc = facts.service.state === 'ok' ? facts.service.value : undefined;
  const vip = svc?.spec.clusterIP && svc.spec.clusterIP !== 'None' ? `ClusterIP ${svc.spec.clusterIP}` : 'the Service';
  const next = [ephemeralHint(facts)];
  const why = 'the source container has no shell; --ephemeral would add an ephemeral debug container to run the probes';
  return [
    make('clusterip/not-probed', STEP, 'unknown', `Could not check ${vip} from the source pod: ${why}`, [], { next }),
    make('endpoint/not-probed', STEP, 'unknown', `Could not check the pod IPs on targetPort from the source pod: ${why}`, [], { next }),
  ];
}

function kindOf(p: ProbeFact): Kind | undefined {
  const id = p.id.startsWith('app/') ? p.id.slice(4) : p.id;
  return id.startsWith('clusterip/') ? 'clusterip' : id.startsWith('endpoint/') ? 'endpoint' : undefined;
}

/** The probe findings, one per (address, port), legacy probes read as before. */
function probeFindings(facts: Facts): Finding[] {
  const out: Finding[] = [];
  const byId = new Map(facts.probes.map((p) => [p.id, p]));
  for (const p of facts.probes) {
    const kind = kindOf(p);
    if (!kind) continue;
    if (p.role === 'transport') out.push(pathFinding(facts, kind, p, byId.get(`app/${p.id}`)));
    else if (p.role === 'app' && p.id.endsWith('/udp')) out.push(udpDnsFinding(kind, p));
    else if (p.role === undefined && !p.id.startsWith('app/')) out.push(legacyFinding(kind, p));
  }
  return out;
}

/** The Service port a probe finding is about, if it carries one. */
const probedPortOf = (f: Finding): ProbedServicePort | undefined =>
  hasCode(f, CONNECT_PROBE_CODES) || f.code === 'clusterip/udp-not-probed' ? f.data?.servicePort : undefined;

const portKey = (f: Finding): string | undefined => {
  const sp = probedPortOf(f);
  return sp ? `${sp.name ?? ''}/${sp.protocol ?? 'TCP'}` : undefined;
};

/**
 * Multi-port Services: each port is judged on its own. When the user named no --port, a port whose
 * probes fail while another port works is reported as a warning naming that port (a metrics port that
 * refuses from outside is not the Service's fault); with --port, or when every port fails, it is a fault.
 */
function judgePorts(facts: Facts, findings: Finding[]): Finding[] {
  if (facts.request.port) return findings;
  const keys = [...new Set(findings.map(portKey).filter((k): k is string => k !== undefined))];
  if (keys.length < 2) return findings;
  const portOk = (k: string) => findings.some((f) => portKey(f) === k && f.status === 'pass') && !findings.some((f) => portKey(f) === k && f.status === 'fail');
  const working = keys.filter(portOk);
  if (working.length === 0) return findings;
  return findings.map((f) => {
    if (f.status !== 'fail' || portKey(f) === undefined || portOk(portKey(f)!)) return f;
    const sp = probedPortOf(f)!;
    const name = sp.name ?? String(sp.port);
    const ok = working.map((k) => k.split('/')[0] || '(unnamed)').join(', ');
    return {
      ...f,
      status: 'warn' as const,
      summary: `Port ${name} only: ${f.summary}; port(s) ${ok} work, and --port was not given, so this port alone does not make the Service faulty`,
      next: [
        `k8snet diagnose ${facts.request.target.namespace}/${facts.request.target.name} --from ${facts.request.from?.raw ?? '...'} --port ${name}   # to judge this port`,
        ...(f.next ?? []),
      ],
      data: { ...f.data, secondary: true },
    } as Finding;
  });
}

/** Step 2: the transport probe of every TCP port decides, the application probe adds evidence; UDP ports say what was not probed. */
export function checkClusterIP(facts: Facts): Finding[] {
  if (facts.service.state !== 'ok' || facts.service.value.spec.type === 'ExternalName') return [];
  if (!facts.request.from) return [];
  if (facts.source.state !== 'ok') return [];
  if (sourceCannotProbe(facts)) return notProbed(facts);
  const out: Finding[] = [];
  const all = judgePorts(facts, probeFindings(facts));
  const vip = all.filter((f) => familyOf(f.code) === 'clusterip');
  const headless = facts.service.value.spec.clusterIP === 'None';
  out.push(...vip);
  const why = whyNotProbed(facts, 'the ClusterIP and pod IPs were');
  const vipProbes = probesWithPrefix(facts, 'clusterip/').length + probesWithPrefix(facts, 'app/clusterip/').length;
  const probeable = (facts.service.value.spec.ports ?? []).some((p) => {
    const proto = decidePortProtocol(p, facts.request.probe);
    return proto.transport === 'TCP' || (proto.transport === 'UDP' && proto.app === 'dns');
  });
  if (vipProbes === 0 && !headless && probeable) {
    out.push(
      why
        ? make('clusterip/not-probed', STEP, 'unknown', why.summary, why.evidence, { next: why.next })
        : make('clusterip/not-probed', STEP, 'unknown', 'No ClusterIP probe was run', facts.notes.slice(0, 3)),
    );
  }
  // UDP ports that are not DNS and SCTP ports: no tool gives a reliable answer, so say so (unknown, not a fault)
  for (const p of facts.service.value.spec.ports ?? []) {
    const proto = decidePortProtocol(p, facts.request.probe);
    const asked = !facts.request.port || facts.request.port === p.name || facts.request.port === String(p.port);
    if (proto.transport !== 'TCP' && !(proto.transport === 'UDP' && proto.app === 'dns') && asked) {
      out.push(
        make(
          'clusterip/udp-not-probed',
          STEP,
          'unknown',
          `Service port ${p.port}/${proto.transport}${p.name ? ` (${p.name})` : ''} was not probed: k8snet probes ${proto.transport} ports only when they speak DNS, so reachability on this port is unknown`,
          [`protocol: ${proto.why}`, 'a UDP datagram that gets no reply cannot tell a drop from a server that does not answer'],
          { data: { servicePort: { port: p.port, name: p.name, protocol: proto.transport } } },
        ),
      );
    }
  }
  out.push(...all.filter((f) => familyOf(f.code) === 'endpoint'));
  return out;
}
