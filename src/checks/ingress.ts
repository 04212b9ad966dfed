// Step 5 "Ingress": class and controller, admission, backends in the Ingress's own namespace, TLS
// secrets, the controller's logs about this route, and the probe through the controller.

import type { Facts, IngressControllerFacts, Read } from '../model/facts.js';
import { probeIdOf } from '../model/code-groups.js';
import type { Finding, FindingOf } from '../model/finding.js';
import type { Ingress, IngressBackend, Service } from '../model/k8s.js';
import { checkClassAndController } from './ingress-class.js';
import { make } from './lib/make.js';
import { connectOutcome, execForbidden, isNotRun, probeEvidence, probesWithPrefix } from './lib/probe-evidence.js';
import { readMessage, unreadableSentence } from './lib/read.js';

const STEP = 'ingress' as const;
const MAX_LOG_LINES = 10;
const ERROR_LINE = /\b(error|err|fatal|panic)\b|level=(error|fatal)|"level":"(error|fatal)"|^E\d{4}/i;

function backends(ing: Ingress): { backend: IngressBackend; where: string; host?: string }[] {
  const out: { backend: IngressBackend; where: string; host?: string }[] = [];
  if (ing.spec.defaultBackend) out.push({ backend: ing.spec.defaultBackend, where: 'defaultBackend' });
  (ing.spec.rules ?? []).forEach((rule, ri) => {
    (rule.http?.paths ?? []).forEach((p) => out.push({ backend: p.backend, where: `rules[${ri}] ${rule.host ?? '*'}${p.path ?? '/'}`, host: rule.host }));
  });
  return out;
}

function backendService(facts: Facts, ns: string, name: string): Read<Service> {
  const t = facts.request.target;
  if (ns === t.namespace && name === t.name) return facts.service;
  return facts.ingress.backendServices[`${ns}/${name}`] ?? { state: 'skipped', message: 'not read' };
}

/** An Ingress routes only to Services in its own namespace; a backend name is looked up there. */
function checkBackends(facts: Facts, ing: Ingress): Finding[] {
  const ns = ing.metadata.namespace ?? '';
  const id = `${ns}/${ing.metadata.name}`;
  const subject = { kind: 'Ingress', namespace: ns, name: ing.metadata.name };
  const t = facts.request.target;
  const out: Finding[] = [];
  const ok: string[] = [];
  for (const { backend, where } of backends(ing)) {
    const ref = backend.service;
    if (!ref) continue;
    const relevant = ref.name === t.name;
    const read = backendService(facts, ns, ref.name);
    const portText = ref.port?.name ?? String(ref.port?.number ?? '?');
    if (read.state === 'not-found') {
      if (relevant && ns !== t.namespace) {
        out.push(
          make(
            'ingress/backend-other-namespace',
            STEP,
            'fail',
            `Ingress ${id} routes to Service ${ref.name} in its own namespace ${ns}, but the Service lives in ${t.namespace}: an Ingress cannot route across namespaces`,
            [`${where} -> service ${ref.name}:${portText}`, `Service ${ns}/${ref.name}: NotFound`, `Service ${t.namespace}/${t.name} exists`],
            {
              subject,
              next: [
                `move the Ingress to namespace ${t.namespace}, or add an ExternalName Service ${ns}/${ref.name} -> ${t.name}.${t.namespace}.svc.cluster.local`,
              ],
            },
          ),
        );
      } else {
        out.push(
          make(
            'ingress/backend-missing',
            STEP,
            relevant ? 'fail' : 'warn',
            `Ingress ${id} routes to Service ${ns}/${ref.name}, which does not exist`,
            [`${where} -> service ${ref.name}:${portText}`],
            { subject, next: [`kubectl get services -n ${ns}`] },
          ),
        );
      }
      continue;
    }
    if (read.state !== 'ok') {
      out.push(
        make(
          'ingress/unreadable',
          STEP,
          'unknown',
          unreadableSentence(read, { verb: 'get', resource: 'services', namespace: ns, name: ref.name }),
          readMessage(read),
          { subject, forbidden: read.state === 'forbidden' },
        ),
      );
      continue;
    }
    const ports = read.value.spec.ports ?? [];
    const hasPort = ref.port?.name
      ? ports.some((p) => p.name === ref.port?.name)
      : ref.port?.number !== undefined
        ? ports.some((p) => p.port === ref.port?.number)
        : true;
    if (!hasPort) {
      out.push(
        make(
          'ingress/backend-port-missing',
          STEP,
          relevant ? 'fail' : 'warn',
          `Ingress ${id} routes to ${ns}/${ref.name} port ${portText}, which the Service does not expose`,
          [`${where} -> service ${ref.name}:${portText}`, `Service ports: ${ports.map((p) => `${p.name ? `${p.name}=` : ''}${p.port}`).join(', ') || 'none'}`],
          { subject },
        ),
      );
      continue;
    }
    ok.push(`${where} -> ${ns}/${ref.name}:${portText}`);
  }
  if (ok.length > 0 && out.every((f) => f.status !== 'fail'))
    out.push(make('ingress/backend-ok', STEP, 'pass', `Ingress ${id} backends exist`, ok, { subject }));
  return out;
}

function checkTls(facts: Facts, ing: Ingress): Finding[] {
  const ns = ing.metadata.namespace ?? '';
  const subject = { kind: 'Ingress', namespace: ns, name: ing.metadata.name };
  const out: Finding[] = [];
  for (const t of ing.spec.tls ?? []) {
    if (!t.secretName) continue;
    const s = facts.ingress.tlsSecrets.find((x) => x.namespace === ns && x.name === t.secretName);
    if (!s) continue;
    if (s.exists.state === 'ok' && !s.exists.value) {
      out.push(
        make(
          'ingress/tls-secret-missing',
          STEP,
          'warn',
          `TLS secret ${ns}/${t.secretName} does not exist: HTTPS for ${(t.hosts ?? []).join(', ')} falls back to the controller's default certificate`,
          [],
          { subject },
        ),
      );
    } else if (s.exists.state === 'not-found') {
      out.push(make('ingress/tls-secret-missing', STEP, 'warn', `TLS secret ${ns}/${t.secretName} does not exist`, [], { subject }));
    } else if (s.exists.state !== 'ok') {
      out.push(
        make('ingress/unreadable', STEP, 'unknown', unreadableSentence(s.exists, { verb: 'get', resource: 'secrets', namespace: ns, name: t.secretName }), [], {
          subject,
          forbidden: s.exists.state === 'forbidden',
        }),
      );
    }
  }
  return out;
}

/** Log lines mentioning this Ingress, Service or host first, then other error-level lines; at most ten. */
export function relevantLogLines(lines: string[], needles: string[]): string[] {
  const mentions = lines.filter((l) => needles.some((n) => n && l.includes(n)));
  const errors = lines.filter((l) => ERROR_LINE.test(l));
  const picked = [...mentions.filter((l) => ERROR_LINE.test(l)), ...mentions, ...errors];
  return [...new Set(picked)].slice(-MAX_LOG_LINES);
}

function checkLogs(facts: Facts, ing: Ingress, ctl: IngressControllerFacts | undefined): Finding[] {
  if (!ctl) return [];
  const ns = ing.metadata.namespace ?? '';
  const t = facts.request.target;
  const needles = [ing.metadata.name, `${ns}/${ing.metadata.name}`, t.name, ...(ing.spec.rules ?? []).map((r) => r.host ?? '')].filter(Boolean);
  const quoted: string[] = [];
  let errors = 0;
  for (const log of ctl.logs) {
    if (log.lines.state !== 'ok') continue;
    const lines = relevantLogLines(log.lines.value, needles);
    errors += lines.filter((l) => ERROR_LINE.test(l)).length;
    quoted.push(...lines.map((l) => `${log.pod}: ${l}`));
  }
  if (errors === 0) return [];
  const first = ctl.logs[0];
  return [
    make(
      'ingress/controller-log-errors',
      STEP,
      'warn',
      `${ctl.product} controller logged ${errors} error line(s) about this route or in general`,
      quoted.slice(0, MAX_LOG_LINES),
      {
        subject: { kind: 'Ingress', namespace: ns, name: ing.metadata.name },
        next: first ? [`kubectl logs -n ${first.namespace} ${first.pod} -c ${first.container} --tail=50`] : [],
      },
    ),
  ];
}

function checkProbes(facts: Facts, ing: Ingress): Finding[] {
  const ns = ing.metadata.namespace ?? '';
  const subject = { kind: 'Ingress', namespace: ns, name: ing.metadata.name };
  return probesWithPrefix(facts, `ingress/${ns}/${ing.metadata.name}/`).map((p) => {
    const o = connectOutcome(p);
    const via = `${p.target.hostHeader ?? '*'}${p.target.path ?? '/'} via ${p.target.host}:${p.target.port ?? 80}`;
    const ev = probeEvidence(p, o.detail);
    const data = { probeId: p.id, outcome: o.kind, httpStatus: o.httpStatus };
    if (o.kind === 'ok') {
      const code = o.httpStatus ?? 0;
      if (code === 404)
        return make('ingress/route-not-matched', STEP, 'fail', `${via}: controller answered 404 — no route matched this host/path`, ev, { subject, data });
      if (code === 502 || code === 503 || code === 504) {
        return make('ingress/backend-error', STEP, 'fail', `${via}: controller answered ${code} — it matched the route but the backend Service failed`, ev, {
          subject,
          data,
        });
      }
      return make('ingress/probe-ok', STEP, 'pass', `${via} answered HTTP ${o.httpStatus ?? '(tcp)'}`, ev, { subject, data });
    }
    if (isNotRun(o.kind))
      return make('ingress/not-probed', STEP, 'unknown', `${via} could not be probed: ${o.detail}`, ev, { subject, data, forbidden: execForbidden(p) });
    return make('ingress/probe-failed', STEP, 'fail', `${via}: ${o.kind} — the controller Service did not answer`, ev, { subject, data });
  });
}

function checkAdmission(ing: Ingress): Finding[] {
  const lb = ing.status?.loadBalancer?.ingress ?? [];
  if (lb.length > 0) return [];
  const ns = ing.metadata.namespace ?? '';
  return [
    make(
      'ingress/not-admitted',
      STEP,
      'warn',
      `Ingress ${ns}/${ing.metadata.name} has no address in status.loadBalancer: no controller has admitted it (some controllers never set it)`,
      [],
      { subject: { kind: 'Ingress', namespace: ns, name: ing.metadata.name }, next: [`kubectl describe ingress ${ing.metadata.name} -n ${ns}`] },
    ),
  ];
}

/** Step 5: every Ingress that routes to the target Service (or the one named by --ingress). */
export function checkIngress(facts: Facts): Finding[] {
  const read = facts.ingress.ingresses;
  const t = facts.request.target;
  if (read.state === 'not-found' || (read.state === 'ok' && read.value.length === 0)) {
    return [make('ingress/none', STEP, 'info', `No Ingress routes to ${t.namespace}/${t.name}`, [])];
  }
  if (read.state !== 'ok') {
    return [
      make(
        'ingress/unreadable',
        STEP,
        'unknown',
        unreadableSentence(read, { verb: 'list', resource: 'ingresses.networking.k8s.io', namespace: facts.request.ingress?.namespace ?? t.namespace }),
        readMessage(read),
        { forbidden: read.state === 'forbidden' },
      ),
    ];
  }
  const out: Finding[] = [];
  for (const ing of read.value) {
    const { findings: classFindings, controller } = checkClassAndController(ing, facts.ingress);
    const probes = checkProbes(facts, ing);
    const findings = classFindings.map((f) => (f.code === 'ingress/no-class' && f.status === 'fail' ? judgeClassless(facts, ing, f, probes) : f));
    out.push(...findings);
    const noController = findings.some((f) => f.code === 'ingress/no-controller' || f.code === 'ingress/class-not-found');
    if (!noController) out.push(...checkAdmission(ing));
    out.push(...checkBackends(facts, ing), ...checkTls(facts, ing), ...checkLogs(facts, ing, controller), ...probes);
  }
  return out;
}

/** Addresses a controller could publish in an Ingress status: its Services' IPs and its pods' node and pod IPs. */
function controllerAddresses(c: IngressControllerFacts): Set<string> {
  const out = new Set<string>();
  if (c.services.state === 'ok') {
    for (const s of c.services.value) {
      for (const ip of [s.spec.clusterIP, ...(s.spec.clusterIPs ?? []), ...((s.spec as { externalIPs?: string[] }).externalIPs ?? [])])
        if (ip && ip !== 'None') out.add(ip);
      for (const lb of s.status?.loadBalancer?.ingress ?? []) for (const a of [lb.ip, lb.hostname]) if (a) out.add(a);
    }
  }
  if (c.pods.state === 'ok') for (const p of c.pods.value) for (const ip of [p.status?.hostIP, p.status?.podIP]) if (ip) out.add(ip);
  return out;
}

/**
 * An Ingress without a class (and no default class) is judged on evidence, not on the spec alone:
 * which running controller published its status address, and whether a request through a candidate
 * controller with the rule's Host header is routed. Traefik serves class-less Ingresses by default and
 * ingress-nginx does with --watch-ingress-without-class, so when a controller demonstrably serves it
 * the missing class is a warning about relying on controller defaults; with no such evidence it stays a fault.
 */
function judgeClassless(facts: Facts, ing: Ingress, f: FindingOf<'ingress/no-class'>, probes: Finding[]): Finding {
  const ns = ing.metadata.namespace ?? '';
  const id = `${ns}/${ing.metadata.name}`;
  const status = (ing.status?.loadBalancer?.ingress ?? []).flatMap((x) => [x.ip, x.hostname]).filter((a): a is string => !!a);
  const running = facts.ingress.controllers.filter((c) => c.pods.state === 'ok' && c.pods.value.length > 0);
  const setBy = running.filter((c) => status.some((a) => controllerAddresses(c).has(a)));
  const answered = probes.filter((p) => p.code === 'ingress/probe-ok');
  const evidence = [
    ...f.evidence,
    `status.loadBalancer: ${status.join(', ') || 'no address'}${setBy.length ? ` (an address of ${setBy.map((c) => c.product).join(', ')})` : ''}`,
    `candidate controllers (every running one, since no class names one): ${running.map((c) => `${c.product} (${c.controller})`).join(', ') || 'none running'}`,
    ...answered.map((p) => `served: ${p.summary}`),
  ];
  const probed = probes.some((p) => probeIdOf(p) !== undefined && p.status !== 'unknown');
  const served = answered.length > 0 || (!probed && setBy.length > 0);
  if (!served) {
    return {
      ...f,
      summary: `${f.summary}${running.length ? `, and no running controller shows it serves the Ingress (${probed ? 'requests through the candidates were not routed' : 'no status address from a candidate'})` : ''}`,
      evidence,
    };
  }
  // the controller whose Service the routed request went through ("host/path via CLUSTER_IP:port")
  const hostOf = (f: Finding) => facts.probes.find((p) => p.id === probeIdOf(f))?.target.host;
  const through = running.filter((c) => c.services.state === 'ok' && c.services.value.some((svc) => answered.some((p) => hostOf(p) === svc.spec.clusterIP)));
  const who = [...new Set([...setBy, ...through].map((c) => c.product))];
  const names = who.length ? who.join(', ') : running.map((c) => c.product).join(', ');
  return {
    ...f,
    status: 'warn',
    summary: `Ingress ${id} names no IngressClass and no class is marked default, but ${names} serves it anyway (${answered.length ? 'a request through it was routed' : 'it published the status address'}): it relies on controller defaults (Traefik serves class-less Ingresses by default, ingress-nginx only with --watch-ingress-without-class); set spec.ingressClassName`,
    evidence,
    data: { ...(f.data ?? {}), servedBy: who, statusAddresses: status, probedOk: answered.length },
  };
}
