// The pod network across nodes: which endpoints answer and which do not, grouped by what they
// share (node, ReplicaSet, readiness, declared ports); the MTU probe next to the small one; and the
// facts of every node involved (Ready, NetworkUnavailable, podCIDR, the CNI / enforcer / kube-proxy
// pod on it and its recent log lines).

import type { Facts, NodeAgentFact } from '../model/facts.js';
import type { Finding, Status } from '../model/finding.js';
import type { Node, Pod } from '../model/k8s.js';
import type { ProbeFact } from '../model/probe.js';
import { make } from './lib/make.js';
import { connectOutcome, isNotRun, probeEvidence, probesWithPrefix } from './lib/probe-evidence.js';
import { isPodReady } from '../util/pod.js';

const STEP = 'clusterip' as const;

/** A probed endpoint and how it went. */
interface Probed {
  probe: ProbeFact;
  ip: string;
  port?: number;
  pod?: string;
  node?: string;
  outcome: string;
}

const FAILING = new Set(['timeout', 'refused', 'no-route', 'no-response', 'reset', 'error']);

/**
 * The outcome of one endpoint: its transport (connect) probe decides reachability; when that
 * connected and the HTTP/app probe next to it got no answer, the endpoint accepts and hangs.
 */
function probed(p: ProbeFact, app?: ProbeFact): Probed {
  const o = connectOutcome(p);
  let outcome: string = o.kind === 'timeout' && o.connected === true ? 'no-response' : o.kind;
  if (outcome === 'ok' && app && app.kind !== 'dns' && connectOutcome(app).kind === 'timeout') outcome = 'no-response';
  return { probe: p, ip: p.target.host, port: p.target.port, pod: p.target.pod, node: p.target.node, outcome };
}

/** Endpoint connect probes (not the app rung, not UDP DNS queries), each with its app probe. */
function endpointProbes(facts: Facts): Probed[] {
  const byId = new Map(facts.probes.map((p) => [p.id, p]));
  return probesWithPrefix(facts, 'endpoint/')
    .filter((p) => p.role !== 'app')
    .map((p) => probed(p, byId.get(`app/${p.id}`)));
}

export function sourceNode(facts: Facts): string | undefined {
  return facts.source.state === 'ok' ? facts.source.value.pod.spec.nodeName : undefined;
}

function podsByName(facts: Facts): Map<string, Pod> {
  const m = new Map<string, Pod>();
  if (facts.namespacePods.state === 'ok') for (const p of facts.namespacePods.value) m.set(p.metadata.name, p);
  return m;
}

function list(xs: string[], max = 4): string {
  const u = [...new Set(xs)];
  return u.length <= max ? u.join(', ') : `${u.slice(0, max).join(', ')} and ${u.length - max} more`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const VERB: Record<string, string> = {
  timeout: 'time out',
  'no-route': 'have no route',
  refused: 'refuse the connection',
  'no-response': 'accept and never answer',
  reset: 'reset the connection',
  error: 'fail',
};
const VERB1: Record<string, string> = {
  timeout: 'times out',
  'no-route': 'has no route',
  refused: 'refuses the connection',
  'no-response': 'accepts and never answers',
  reset: 'resets the connection',
  error: 'fails',
};
const verb = (kind: string, n: number) => (n === 1 ? VERB1 : VERB)[kind] ?? kind;

/** What a set of pods has in common that another set does not: node, ReplicaSet/revision, readiness, declared ports. */
export function sharedTraits(failing: Pod[], ok: Pod[]): string[] {
  if (failing.length === 0) return [];
  const traits: [string, (p: Pod) => string | undefined][] = [
    ['node', (p) => p.spec.nodeName],
    ['ReplicaSet', (p) => p.metadata.ownerReferences?.find((o) => o.kind === 'ReplicaSet')?.name],
    ['pod-template-hash', (p) => p.metadata.labels?.['pod-template-hash']],
    ['readiness', (p) => (isPodReady(p) ? 'Ready' : 'not Ready')],
    [
      'declared ports',
      (p) =>
        p.spec.containers
          .flatMap((c) => (c.ports ?? []).map((x) => `${x.containerPort}/${x.protocol ?? 'TCP'}`))
          .sort()
          .join(',') || '(none)',
    ],
    ['image', (p) => p.spec.containers.map((c) => c.image ?? '?').join(',')],
  ];
  const out: string[] = [];
  for (const [name, get] of traits) {
    const f = new Set(failing.map(get));
    if (f.size !== 1) continue;
    const v = [...f][0];
    if (v === undefined) continue;
    const o = new Set(ok.map(get));
    if (ok.length > 0 && o.has(v)) continue; // the answering pods share it too: not a difference
    const others = ok.length ? ` (the answering ones: ${[...o].filter((x) => x !== undefined).join(', ')})` : '';
    out.push(`${name} ${v}${others}`);
  }
  return out;
}

/**
 * Some endpoints answer and some do not: name which, how many, and what the failing ones share.
 * Endpoints are compared port by port: one pod answering on its HTTP port and refusing on its
 * metrics port is a per-port judgement (checks/clusterip), not a partial failure of the endpoints.
 */
export function checkEndpointSpread(facts: Facts): Finding[] {
  const all = endpointProbes(facts).filter((x) => !isNotRun(x.outcome) && x.outcome !== 'tool-missing');
  const byPort = new Map<string, Probed[]>();
  for (const x of all) {
    const key = String(x.port ?? '?');
    byPort.set(key, [...(byPort.get(key) ?? []), x]);
  }
  return [...byPort.values()].flatMap((group) => spreadOnOnePort(facts, group));
}

function spreadOnOnePort(facts: Facts, all: Probed[]): Finding[] {
  const ok = all.filter((x) => x.outcome === 'ok');
  const bad = all.filter((x) => FAILING.has(x.outcome));
  if (ok.length === 0 || bad.length === 0) return [];
  const src = sourceNode(facts);
  const target = `${facts.request.target.namespace}/${facts.request.target.name}`;
  const n = ok.length + bad.length;
  const okNodes = new Set(ok.map((x) => x.node ?? '?'));
  const badNodes = [...new Set(bad.map((x) => x.node ?? '?'))];
  const kinds = new Set(bad.map((x) => x.outcome));
  const dropKinds = [...kinds].every((k) => k === 'timeout' || k === 'no-route');
  const podName = (x: Probed) => x.pod ?? x.ip;
  const evidence = [
    ...(src ? [`source pod on node ${src}`] : []),
    ...bad.map((x) => `FAIL ${podName(x)} ${x.ip}:${x.port ?? '?'} on node ${x.node ?? '?'}: ${x.outcome}`),
    ...ok.map((x) => `ok   ${podName(x)} ${x.ip}:${x.port ?? '?'} on node ${x.node ?? '?'}`),
  ];
  const share = `about ${bad.length} in ${n} connections through the ClusterIP go to a failing endpoint`;
  const data = {
    sourceNode: src,
    failing: bad.map((x) => ({ pod: x.pod, ip: x.ip, node: x.node, outcome: x.outcome })),
    answering: ok.map((x) => ({ pod: x.pod, ip: x.ip, node: x.node })),
    failingNodes: badNodes,
    total: n,
  };
  // A node fault: every failing endpoint drops packets, and no endpoint on those nodes answers.
  if (dropKinds && badNodes.every((b) => b !== '?' && !okNodes.has(b))) {
    const nodes = badNodes.join(', ');
    const okWhere = [...okNodes].join(', ');
    const from = src ? ` from node ${src}` : '';
    const summary = `${plural(bad.length, 'pod')} of ${target} on node${badNodes.length > 1 ? 's' : ''} ${nodes} (${list(bad.map(podName))}) ${verb(bad[0].outcome, bad.length)}${from}; the ${plural(ok.length, 'pod')} on ${okWhere} answer${ok.length === 1 ? 's' : ''}: the pod network between ${src ?? 'the source'} and ${nodes} (${share})`;
    return [
      make('endpoints/node-unreachable', STEP, 'fail', summary, evidence, {
        next: [`kubectl get nodes -o wide`, `kubectl get pods -A -o wide --field-selector spec.nodeName=${badNodes[0]}`],
        data: { ...data, sourceToNodes: badNodes },
      }),
    ];
  }
  // Otherwise the failing pods themselves differ: say in what.
  const pods = podsByName(facts);
  const badPods = bad.map((x) => (x.pod ? pods.get(x.pod) : undefined)).filter((p): p is Pod => !!p);
  const okPods = ok.map((x) => (x.pod ? pods.get(x.pod) : undefined)).filter((p): p is Pod => !!p);
  const traits = sharedTraits(badPods, okPods);
  const how = [...kinds].map((k) => verb(k, bad.length)).join(' / ');
  const summary = `${bad.length} of ${n} endpoints of ${target} ${how} (${list(bad.map((x) => `${podName(x)} on ${x.node ?? '?'}`))}) while ${list(ok.map((x) => `${podName(x)} on ${x.node ?? '?'}`))} answer${ok.length === 1 ? 's' : ''}${traits.length ? `; the failing pods differ in: ${traits.join('; ')}` : ''} (${share})`;
  const first = bad[0];
  return [
    make('endpoints/partial-failure', STEP, 'fail', summary, [...evidence, ...traits.map((t) => `failing pods share ${t}`)], {
      next: [
        `kubectl describe pod -n ${facts.request.target.namespace} ${first.pod ?? ''}`.trim(),
        `kubectl get pods -n ${facts.request.target.namespace} -o wide --show-labels`,
      ],
      data: { ...data, traits },
    }),
  ];
}

/**
 * Each large probe with this id prefix next to the small request to the same endpoint (the HTTP app
 * rung, else its connect probe), when the small one answered and the large one ran: nothing to
 * compare otherwise.
 */
function largeNextToSmall(facts: Facts, prefix: string): { large: ProbeFact; small: ProbeFact; s: Probed; l: Probed }[] {
  const out: { large: ProbeFact; small: ProbeFact; s: Probed; l: Probed }[] = [];
  for (const large of probesWithPrefix(facts, prefix)) {
    const small =
      facts.probes.find((p) => p.id === `app/endpoint/${large.target.host}/${large.target.port}`) ??
      facts.probes.find((p) => p.id === `endpoint/${large.target.host}/${large.target.port}`);
    if (!small) continue;
    const s = probed(small);
    const l = probed(large);
    if (s.outcome !== 'ok' || isNotRun(l.outcome) || l.outcome === 'tool-missing') continue;
    out.push({ large, small, s, l });
  }
  return out;
}

/** The large-request probe next to the small one, per node hosting an endpoint. */
export function checkMtu(facts: Facts): Finding[] {
  const out: Finding[] = [];
  const src = sourceNode(facts);
  for (const { large, small, s, l } of largeNextToSmall(facts, 'endpoint-large/')) {
    const where = `pod ${l.pod ?? l.ip} on node ${l.node ?? '?'}`;
    const pair = `node ${src ?? '?'} -> node ${l.node ?? '?'}`;
    const bytes = large.target.padBytes ?? 0;
    const ev = [
      `small request: ${small.label}: ok`,
      ...probeEvidence(small).slice(0, 2),
      `large request (${bytes} bytes): ${l.outcome}`,
      ...probeEvidence(large).slice(0, 3),
    ];
    if (l.outcome === 'ok') {
      out.push(
        make('mtu/large-packets-ok', STEP, 'pass', `A ${bytes}-byte request to ${where} answers like the small one (${pair}): full-size packets pass`, ev, {
          data: { node: l.node, sourceNode: src, bytes },
        }),
      );
    } else if (l.outcome === 'timeout' || l.outcome === 'no-response' || l.outcome === 'reset') {
      const same = src !== undefined && src === l.node;
      out.push(
        make(
          'mtu/large-packets-dropped',
          STEP,
          'fail',
          `A small request to ${where} answers but a ${bytes}-byte request stalls (${l.outcome}): full-size packets are dropped on the path ${pair}${same ? '' : ' — an MTU mismatch between the nodes (overlay/underlay MTU, or a hop that drops instead of fragmenting)'}`,
          ev,
          {
            next: [
              `kubectl get nodes -o wide`,
              `ip link show   # on nodes ${src ?? '?'} and ${l.node ?? '?'}: compare the MTU of the underlay NIC, the overlay device (flannel.1, vxlan.calico, cilium_vxlan) and the pod interfaces`,
            ],
            data: { node: l.node, sourceNode: src, bytes, small: s.outcome, large: l.outcome },
          },
        ),
      );
    }
  }
  return [...out, ...checkLargeResponses(facts, src)];
}

/** Body bytes a response must reach to have left the endpoint in full-size packets (a 1500-byte MTU). */
export const LARGE_RESPONSE_BYTES = 1500;

/**
 * --large-response-path: the page the user named as large, fetched from one endpoint per node. A small
 * answer from the same endpoint and a stalled large one = full-size packets towards the source die.
 */
function checkLargeResponses(facts: Facts, src: string | undefined): Finding[] {
  const out: Finding[] = [];
  for (const { large, small, s, l } of largeNextToSmall(facts, 'endpoint-large-response/')) {
    const got = connectOutcome(large).bodyBytes;
    const full = large.target.path ?? '/';
    const path = full.length > 60 ? `${full.slice(0, 57)}...` : full;
    const where = `pod ${l.pod ?? l.ip} on node ${l.node ?? '?'}`;
    const pair = `node ${l.node ?? '?'} -> node ${src ?? '?'}`;
    const ev = [
      `small request: ${small.label}: ok`,
      ...probeEvidence(small).slice(0, 2),
      `large response (${path}): ${l.outcome}${got !== undefined ? `, ${got} body bytes arrived` : ''}`,
      ...probeEvidence(large).slice(0, 3),
    ];
    const data = { node: l.node, sourceNode: src, bytes: got ?? 0 };
    if (l.outcome === 'ok') {
      if (got !== undefined && got >= LARGE_RESPONSE_BYTES) {
        out.push(
          make('mtu/large-response-ok', STEP, 'pass', `A ${got}-byte response from ${where} arrives (${pair}): full-size packets pass towards the source`, ev, {
            data,
          }),
        );
      } else {
        out.push(
          make(
            'mtu/large-response-untested',
            STEP,
            'info',
            `${path} from ${where} answered with ${got === undefined ? 'a body of unknown size (only curl reports it)' : `${got} bytes, less than ${LARGE_RESPONSE_BYTES}`}: the direction towards the source was not tested`,
            ev,
            { next: ['pass --large-response-path a page larger than 1,500 bytes (e.g. /metrics), from a source with curl'], data },
          ),
        );
      }
    } else if (l.outcome === 'timeout' || l.outcome === 'no-response' || l.outcome === 'reset') {
      const same = src !== undefined && src === l.node;
      out.push(
        make(
          'mtu/large-response-dropped',
          STEP,
          'fail',
          `A small request to ${where} answers but the large response from ${path} stalls (${l.outcome}${got ? ` after ${got} body bytes` : ''}): full-size packets are dropped on the path ${pair}${same ? '' : ' — an MTU mismatch between the nodes (overlay/underlay MTU, or a hop that drops instead of fragmenting)'}`,
          ev,
          {
            next: [
              `kubectl get nodes -o wide`,
              `ip link show   # on nodes ${l.node ?? '?'} and ${src ?? '?'}: compare the MTU of the underlay NIC, the overlay device (flannel.1, vxlan.calico, cilium_vxlan) and the pod interfaces`,
            ],
            data: { ...data, small: s.outcome, large: l.outcome, path },
          },
        ),
      );
    }
  }
  return out;
}

function condition(node: Node, type: string) {
  return node.status?.conditions?.find((c) => c.type === type);
}

function agentLines(a: NodeAgentFact): string[] {
  if (!a.logs) return [];
  if (a.logs.state !== 'ok') return [`logs of ${a.pod?.metadata.name ?? '?'}: could not be read (${a.logs.state})`];
  return a.logs.value.slice(-3).map((l) => `${a.previousLogs ? 'previous run: ' : ''}${l.length > 220 ? `${l.slice(0, 220)}...` : l}`);
}

function agentState(pod: Pod, container?: string): { ready: boolean; restarts: number; text: string } {
  const st = pod.status?.containerStatuses?.find((c) => c.name === container) ?? pod.status?.containerStatuses?.[0];
  const restarts = st?.restartCount ?? 0;
  const ready = isPodReady(pod) && !pod.metadata.deletionTimestamp;
  const waiting = st?.state?.waiting?.reason;
  const term = st?.lastState?.terminated;
  const text = ready
    ? `Running, Ready, ${plural(restarts, 'restart')}`
    : `${pod.status?.phase ?? 'unknown phase'}${waiting ? ` (${waiting})` : ''}, not Ready, ${plural(restarts, 'restart')}${term ? `; last exit ${term.exitCode ?? '?'}${term.reason ? ` ${term.reason}` : ''}` : ''}`;
  return { ready, restarts, text };
}

const ROLE: Record<NodeAgentFact['role'], string> = { cni: 'CNI agent', policy: 'policy enforcer', 'kube-proxy': 'kube-proxy' };

/** The nodes this run involves: conditions, podCIDR, and their agents. */
export function checkNodes(facts: Facts): Finding[] {
  const out: Finding[] = [];
  const src = sourceNode(facts);
  const nodes = facts.nodes.state === 'ok' ? facts.nodes.value : [];
  const byName = new Map(nodes.map((n) => [n.metadata.name, n]));
  // pods of the target on each node (all of them, Ready or not: a NotReady node's pods drop out of the endpoints)
  const selector = facts.service.state === 'ok' ? facts.service.value.spec.selector : undefined;
  const targetPods =
    selector && Object.keys(selector).length && facts.namespacePods.state === 'ok'
      ? facts.namespacePods.value.filter((p) => Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v))
      : [];
  const involved = new Set<string>([
    ...(src ? [src] : []),
    ...targetPods.map((p) => p.spec.nodeName ?? '').filter(Boolean),
    ...(facts.dns.pods.state === 'ok' ? facts.dns.pods.value.map((p) => p.spec.nodeName ?? '').filter(Boolean) : []),
  ]);
  const readyTargetsElsewhere = (node: string) => targetPods.filter((p) => p.spec.nodeName !== node && isPodReady(p)).length;
  for (const name of [...involved].sort()) {
    const node = byName.get(name);
    if (!node) continue;
    const role = [
      name === src ? "the source's node" : '',
      targetPods.some((p) => p.spec.nodeName === name) ? `runs ${list(targetPods.filter((p) => p.spec.nodeName === name).map((p) => p.metadata.name))}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    const ready = condition(node, 'Ready');
    if (ready && ready.status !== 'True') {
      const onIt = targetPods.filter((p) => p.spec.nodeName === name);
      const status: Status = name === src || (onIt.length > 0 && readyTargetsElsewhere(name) === 0) ? 'fail' : 'warn';
      out.push(
        make(
          'node/not-ready',
          STEP,
          status,
          `Node ${name} is NotReady (${ready.reason ?? ready.status}${ready.message ? `: ${ready.message}` : ''})${onIt.length ? `: ${plural(onIt.length, 'pod')} of ${facts.request.target.namespace}/${facts.request.target.name} there (${list(onIt.map((p) => p.metadata.name))}) ${onIt.length === 1 ? 'is' : 'are'} out of the endpoints` : ''}${name === src ? " [the source's node]" : ''}`,
          [
            `node ${name}: Ready=${ready.status} reason=${ready.reason ?? '-'}`,
            ...onIt.map((p) => `${p.metadata.name} ${p.status?.podIP ?? ''} on ${name}: ${isPodReady(p) ? 'Ready' : 'not Ready'}`),
          ],
          {
            next: [`kubectl describe node ${name}`, `kubectl get pods -A -o wide --field-selector spec.nodeName=${name}`],
            data: { node: name, pods: onIt.map((p) => p.metadata.name) },
          },
        ),
      );
    }
    const netUnavail = condition(node, 'NetworkUnavailable');
    if (netUnavail?.status === 'True') {
      out.push(
        make(
          'node/network-unavailable',
          STEP,
          'fail',
          `Node ${name} reports NetworkUnavailable (${netUnavail.reason ?? ''}${netUnavail.message ? `: ${netUnavail.message}` : ''}): its CNI has not set up the pod network${role ? ` [${role}]` : ''}`,
          [`node ${name}: NetworkUnavailable=True reason=${netUnavail.reason ?? '-'}`],
          { next: [`kubectl describe node ${name}`], data: { node: name } },
        ),
      );
    }
  }
  const agents = facts.nodeAgents?.state === 'ok' ? facts.nodeAgents.value : [];
  for (const a of agents) {
    if (!involved.has(a.node)) continue;
    const node = byName.get(a.node);
    const cidr = node?.spec?.podCIDR;
    const where = `${ROLE[a.role]} on node ${a.node}${a.node === src ? " (the source's node)" : ''}`;
    if (!a.pod) {
      out.push(
        make(
          'node/agent-missing',
          STEP,
          a.role === 'kube-proxy' ? 'warn' : 'fail',
          `DaemonSet ${a.daemonSet} runs no pod on node ${a.node}: no ${ROLE[a.role]} there${a.role === 'cni' ? ' (pods on it get no working pod network)' : a.role === 'policy' ? ' (NetworkPolicies are not enforced for its pods)' : ''}`,
          [`${a.daemonSet}: no pod with spec.nodeName=${a.node}`],
          {
            next: [`kubectl get daemonset -n ${a.daemonSet.split('/')[0]} ${a.daemonSet.split('/')[1]} -o wide`],
            data: { node: a.node, role: a.role, daemonSet: a.daemonSet },
          },
        ),
      );
      continue;
    }
    const st = agentState(a.pod, a.container);
    const ev = [
      `${a.pod.metadata.namespace}/${a.pod.metadata.name}${a.container ? ` container ${a.container}` : ''}: ${st.text}`,
      ...(a.role === 'cni' ? [`node ${a.node} podCIDR: ${cidr ?? '(none)'}`] : []),
      ...agentLines(a),
    ];
    const data = { node: a.node, role: a.role, daemonSet: a.daemonSet, pod: a.pod.metadata.name, ready: st.ready, restarts: st.restarts };
    if (!st.ready) {
      out.push(
        make('node/agent-not-ready', STEP, 'fail', `${where}: ${a.pod.metadata.name} is ${st.text}`, ev, {
          next: [
            `kubectl logs -n ${a.pod.metadata.namespace} ${a.pod.metadata.name}${a.container ? ` -c ${a.container}` : ''}${a.previousLogs ? ' --previous' : ''} --tail=50`,
            `kubectl describe pod -n ${a.pod.metadata.namespace} ${a.pod.metadata.name}`,
          ],
          data,
        }),
      );
    } else {
      out.push(make('node/agent-ok', STEP, 'pass', `${where}: ${a.pod.metadata.name} ${st.text}`, ev, { data }));
    }
  }
  return out;
}

/** Step 2, across nodes: partial failures, the MTU probe, node facts. */
export function checkPodNetwork(facts: Facts): Finding[] {
  if (facts.service.state !== 'ok' || facts.service.value.spec.type === 'ExternalName') return checkNodes(facts);
  return [...checkEndpointSpread(facts), ...checkMtu(facts), ...checkNodes(facts)];
}
