// Step 2 "ClusterIP reachability": the Service VIP and each endpoint's pod IP, probed from the source pod.

import type { CoreCode } from '../model/codes.js';
import type { Facts } from '../model/facts.js';
import type { Finding, Status } from '../model/finding.js';
import type { ConnectOutcome, ProbeFact } from '../model/probe.js';
import { make } from './lib/make.js';
import { connectOutcome, isNotRun, probeEvidence, probesWithPrefix } from './lib/probe-evidence.js';
import { ephemeralHint, sourceCannotProbe } from './source.js';
import { execDenied } from './lib/exec-access.js';

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

function sentence(kind: Kind, p: ProbeFact, o: ConnectOutcome): string {
  const what = kind === 'clusterip' ? `ClusterIP ${target(p)}` : `Pod IP ${target(p)}`;
  switch (o.kind) {
    case 'ok':
      return o.httpStatus !== undefined
        ? `${what} answered HTTP ${o.httpStatus}${o.httpStatus >= 400 ? ' (the connection works; the status is the app\'s answer)' : ''}`
        : `${what} accepted a TCP connection`;
    case 'refused':
      return kind === 'clusterip'
        ? `${what} refused the connection (no endpoints, or nothing listens on targetPort)`
        : `${what} refused the connection: nothing listens on that port`;
    case 'timeout':
      if (o.connected === true) return `${what} accepted the connection but sent no response in time: the application hangs (the network works)`;
      return o.connected === false
        ? `${what} timed out: packets are dropped`
        : `${what} timed out: packets are dropped (or the app accepted and never answered: ${p.tool ?? 'the tool'} cannot tell)`;
    case 'no-route':
      return `${what}: no route to host`;
    case 'tool-missing':
      return `${what} could not be probed: no curl, wget or nc in the source container`;
    case 'exec-failed':
      return p.exec?.errorKind === 'forbidden'
        ? `${what} could not be probed: create pods/exec in namespace ${p.exec.namespace}: forbidden — grant create on pods/exec`
        : `${what} could not be probed: exec into the source container failed (${p.exec?.errorKind ?? 'other'})`;
    case 'crashed':
      return `${what} could not be probed: the probe tool crashed`;
    default:
      return `${what} probe failed: ${o.kind}`;
  }
}

function probeFinding(kind: Kind, p: ProbeFact): Finding {
  const o = connectOutcome(p);
  const { code, status } = classify(kind, o);
  const next = status === 'unknown' && o.kind === 'tool-missing' ? ['re-run with --ephemeral to probe from a debug container'] : [];
  return make(code, STEP, status, sentence(kind, p, o), probeEvidence(p, o.detail), {
    next,
    data: { probeId: p.id, outcome: o.kind === 'timeout' && o.connected === true ? 'no-response' : o.kind, connected: o.connected, httpStatus: o.httpStatus, target: target(p) },
  });
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

/** Step 2: classify `clusterip/*` and `endpoint/*` probes; every finding carries its kubectl line. */
export function checkClusterIP(facts: Facts): Finding[] {
  if (facts.service.state !== 'ok' || facts.service.value.spec.type === 'ExternalName') return [];
  if (!facts.request.from) return [];
  if (facts.source.state !== 'ok') return [];
  if (sourceCannotProbe(facts)) return notProbed(facts);
  const out: Finding[] = [];
  const vip = probesWithPrefix(facts, 'clusterip/');
  const headless = facts.service.value.spec.clusterIP === 'None';
  for (const p of vip) out.push(probeFinding('clusterip', p));
  const denied = execDenied(facts);
  if (vip.length === 0 && !headless) {
    out.push(
      denied
        ? make('clusterip/not-probed', STEP, 'unknown', `${denied.summary}: the ClusterIP and pod IPs were not probed`, facts.notes.slice(0, 3), { next: denied.next })
        : make('clusterip/not-probed', STEP, 'unknown', 'No ClusterIP probe was run', facts.notes.slice(0, 3)),
    );
  }
  // UDP and SCTP Service ports are not probed (no tool gives a reliable answer for them)
  for (const p of facts.service.value.spec.ports ?? []) {
    if ((p.protocol ?? 'TCP') !== 'TCP' && (!facts.request.port || facts.request.port === p.name || facts.request.port === String(p.port))) {
      out.push(make('clusterip/not-probed', STEP, 'info', `Service port ${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ''} was not probed: k8snet probes TCP ports only`, []));
    }
  }
  for (const p of probesWithPrefix(facts, 'endpoint/')) out.push(probeFinding('endpoint', p));
  return out;
}
