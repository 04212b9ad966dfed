// Step 1 "Service and endpoints": the Service exists, its selector matches Ready pods, EndpointSlices
// carry ready addresses, and the targetPort resolves on the pods.

import type { Facts } from '../model/facts.js';
import type { Finding } from '../model/finding.js';
import type { ObjectRef, Pod, Service } from '../model/k8s.js';
import { addressesFromEndpoints, addressesFromSlices, describeAddress, type EndpointAddress } from './lib/endpoint-addresses.js';
import { matchesMap, selectorToString } from '../util/selector.js';
import { closeNames } from '../util/similar-names.js';
import { describeNearMiss, nearMisses } from './lib/labels.js';
import { make } from './lib/make.js';
import { isPodReady } from '../util/pod.js';
import { notReadyReason } from './lib/pod-state.js';
import { readMessage, unreadableSentence } from './lib/read.js';
import { checkTargetPorts } from './target-port.js';
import { describeServicePort, portsUnderTest } from './lib/service-ports.js';

const STEP = 'endpoints' as const;

export function serviceRef(facts: Facts): ObjectRef {
  return { kind: 'Service', namespace: facts.request.target.namespace, name: facts.request.target.name };
}

function sliceCommand(ns: string, name: string): string {
  return `kubectl get endpointslices -n ${ns} -l kubernetes.io/service-name=${name} -o wide`;
}

/** "ClusterIP 10.96.12.4", "headless", "NodePort", ... */
export function describeServiceType(svc: Service): string {
  const type = svc.spec.type ?? 'ClusterIP';
  if (type === 'ExternalName') return `ExternalName -> ${svc.spec.externalName ?? '?'}`;
  if (svc.spec.clusterIP === 'None') return 'headless (clusterIP None)';
  return `${type} ${svc.spec.clusterIP ?? ''}`.trim();
}

function checkServiceRead(facts: Facts): { svc?: Service; findings: Finding[] } {
  const { namespace: ns, name } = facts.request.target;
  const subject = serviceRef(facts);
  const read = facts.service;
  if (read.state === 'ok') return { svc: read.value, findings: [] };
  if (read.state === 'not-found') {
    const sugg = facts.serviceSuggestions;
    const close = closeNames(name, sugg?.sameNamespace ?? []);
    const elsewhere = (sugg?.otherNamespaces ?? []).map((r) => `${r.namespace}/${r.name}`);
    const evidence = [`kubectl get service ${name} -n ${ns}: NotFound`];
    if (close.length) evidence.push(`similar names in ${ns}: ${close.join(', ')}`);
    if (elsewhere.length) evidence.push(`same name in other namespaces: ${elsewhere.join(', ')}`);
    const hint = close[0] ? ` — did you mean ${ns}/${close[0]}?` : elsewhere[0] ? ` — it exists as ${elsewhere[0]}` : '';
    return {
      findings: [
        make('service/not-found', STEP, 'fail', `Service ${ns}/${name} does not exist${hint}`, evidence, {
          subject,
          next: [`kubectl get services -n ${ns}`],
          data: { close, elsewhere },
        }),
      ],
    };
  }
  return {
    findings: [
      make('service/unreadable', STEP, 'unknown', unreadableSentence(read, { verb: 'get', resource: 'services', namespace: ns, name }), readMessage(read), {
        subject,
        forbidden: read.state === 'forbidden',
      }),
    ],
  };
}

function addressesOf(facts: Facts): { addrs?: EndpointAddress[]; source: string; problem?: Finding } {
  const { namespace: ns, name } = facts.request.target;
  if (facts.endpointSlices.state === 'ok') return { addrs: addressesFromSlices(facts.endpointSlices.value), source: 'EndpointSlices' };
  if (facts.endpoints?.state === 'ok') return { addrs: addressesFromEndpoints(facts.endpoints.value), source: 'Endpoints (fallback)' };
  if (facts.endpoints?.state === 'not-found') return { addrs: [], source: 'Endpoints (fallback)' };
  if (facts.endpointSlices.state === 'not-found') return { addrs: [], source: 'EndpointSlices' };
  const sentence = unreadableSentence(facts.endpointSlices, { verb: 'list', resource: 'endpointslices.discovery.k8s.io', namespace: ns });
  return {
    source: 'none',
    problem: make('service/endpoints-unreadable', STEP, 'unknown', sentence, readMessage(facts.endpointSlices), {
      subject: serviceRef(facts),
      next: [sliceCommand(ns, name)],
      forbidden: facts.endpointSlices.state === 'forbidden',
    }),
  };
}

function checkPods(facts: Facts, svc: Service): { matched?: Pod[]; findings: Finding[] } {
  const ns = facts.request.target.namespace;
  const selector = svc.spec.selector ?? {};
  const sel = selectorToString({ matchLabels: selector });
  const subject = serviceRef(facts);
  if (facts.namespacePods.state !== 'ok') {
    const sentence =
      facts.namespacePods.state === 'not-found'
        ? `list pods in namespace ${ns}: namespace not found`
        : unreadableSentence(facts.namespacePods, { verb: 'list', resource: 'pods', namespace: ns });
    return {
      findings: [
        make('service/pods-unreadable', STEP, 'unknown', sentence, readMessage(facts.namespacePods), {
          subject,
          forbidden: facts.namespacePods.state === 'forbidden',
        }),
      ],
    };
  }
  const pods = facts.namespacePods.value;
  const matched = pods.filter((p) => matchesMap(selector, p.metadata.labels));
  if (matched.length === 0) {
    const misses = nearMisses(pods, selector);
    const evidence = [`selector ${sel} matches 0 of ${pods.length} pods in ${ns}`, ...misses.map((m) => `selector ${m.key}=${m.want}; ${describeNearMiss(m)}`)];
    const first = misses[0];
    const summary = first ? `Selector ${sel} matches no pods; ${describeNearMiss(first)}` : `Selector ${sel} matches no pods in ${ns}`;
    return {
      matched,
      findings: [
        make('service/no-matching-pods', STEP, 'fail', summary, evidence, {
          subject,
          next: [`kubectl get pods -n ${ns} --show-labels`, `kubectl get service ${svc.metadata.name} -n ${ns} -o jsonpath='{.spec.selector}'`],
          data: { selector, nearMisses: misses },
        }),
      ],
    };
  }
  const findings: Finding[] = [];
  const ready = matched.filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp);
  findings.push(
    make(
      'service/pods-matched',
      STEP,
      'pass',
      `Selector ${sel} matches ${matched.length} pod(s), ${ready.length} Ready`,
      matched.map(
        (p) => `${p.metadata.name} ${p.status?.podIP ?? '(no IP)'} on ${p.spec.nodeName ?? '(unscheduled)'} ${isPodReady(p) ? 'Ready' : 'not Ready'}`,
      ),
      { subject, data: { matched: matched.length, ready: ready.length } },
    ),
  );
  const notReady = matched.filter((p) => !ready.includes(p));
  if (notReady.length > 0) {
    const reasons = notReady.map((p) => ({ pod: p.metadata.name, reason: notReadyReason(p) }));
    const firstReason = reasons[0]?.reason?.text ?? 'not Ready';
    const status = ready.length === 0 ? 'fail' : 'warn';
    const summary =
      ready.length === 0
        ? `None of the ${matched.length} selected pods is Ready: ${firstReason}`
        : `${notReady.length} of ${matched.length} selected pods not Ready: ${firstReason}`;
    const firstPod = notReady[0].metadata.name;
    findings.push(
      make(
        'service/pods-not-ready',
        STEP,
        status,
        summary,
        reasons.map((r) => `${r.pod}: ${r.reason?.text ?? 'not Ready'}`),
        {
          subject,
          next: [`kubectl describe pod ${firstPod} -n ${ns}`, `kubectl logs ${firstPod} -n ${ns} --previous`],
          data: { reasons: reasons.map((r) => ({ pod: r.pod, kind: r.reason?.kind })) },
        },
      ),
    );
  }
  return { matched, findings };
}

function checkAddresses(facts: Facts, svc: Service, matched: Pod[] | undefined): { addrs?: EndpointAddress[]; findings: Finding[] } {
  const { namespace: ns, name } = facts.request.target;
  const subject = serviceRef(facts);
  const { addrs, source, problem } = addressesOf(facts);
  if (problem || !addrs) return { findings: problem ? [problem] : [] };
  const ready = addrs.filter((a) => a.ready);
  const terminating = addrs.filter((a) => a.terminating);
  const findings: Finding[] = [];
  const evidence = [
    `${source}: ${ready.length} ready, ${addrs.length - ready.length} not ready, ${terminating.length} terminating`,
    ...addrs.slice(0, 10).map(describeAddress),
  ];
  if (ready.length > 0) {
    findings.push(
      make('service/endpoints-ready', STEP, 'pass', `${ready.length} ready endpoint(s) in ${source}`, evidence, {
        subject,
        data: { ready: ready.length, total: addrs.length },
      }),
    );
  } else {
    const why =
      !svc.spec.selector || Object.keys(svc.spec.selector).length === 0
        ? 'the Service has no selector and no manually managed endpoints carry ready addresses'
        : matched && matched.length === 0
          ? 'the selector matches no pods'
          : matched && matched.length > 0
            ? 'the selected pods are not Ready'
            : 'no address is ready';
    findings.push(
      make('service/no-endpoints', STEP, 'fail', `Service ${ns}/${name} has no ready endpoints: ${why}`, evidence, {
        subject,
        next: [sliceCommand(ns, name)],
        data: { ready: 0, total: addrs.length },
      }),
    );
  }
  if (terminating.length > 0) {
    findings.push(
      make('service/endpoints-terminating', STEP, 'warn', `${terminating.length} endpoint(s) are terminating`, terminating.map(describeAddress), { subject }),
    );
  }
  return { addrs, findings };
}

/** internalTrafficPolicy Local: traffic from a node is only sent to endpoints on that same node. */
function checkLocalTraffic(facts: Facts, svc: Service, addrs: EndpointAddress[] | undefined): Finding[] {
  if (svc.spec.internalTrafficPolicy !== 'Local' || !addrs) return [];
  if (facts.source.state !== 'ok') return [];
  const node = facts.source.value.pod.spec.nodeName;
  const local = addrs.filter((a) => a.ready && a.nodeName === node);
  if (local.length > 0) return [];
  const nodes = [...new Set(addrs.filter((a) => a.ready).map((a) => a.nodeName ?? '?'))];
  return [
    make(
      'service/no-local-endpoint',
      STEP,
      'fail',
      `internalTrafficPolicy is Local and no ready endpoint runs on the source's node ${node ?? '?'}`,
      [`source pod ${facts.source.value.pod.metadata.name} on node ${node ?? '?'}`, `ready endpoints on: ${nodes.join(', ') || 'none'}`],
      { subject: serviceRef(facts), next: [`kubectl get pods -n ${facts.request.target.namespace} -o wide`] },
    ),
  ];
}

/** Step 1: Service, selector, pods, endpoints, targetPort. */
export function checkEndpoints(facts: Facts): Finding[] {
  const { svc, findings } = checkServiceRead(facts);
  if (!svc) return findings;
  const ns = facts.request.target.namespace;
  const subject = serviceRef(facts);
  const under = portsUnderTest(svc, facts.request.port);
  findings.push(
    make(
      'service/found',
      STEP,
      'pass',
      `Service ${ns}/${svc.metadata.name} is ${describeServiceType(svc)}`,
      [
        `type: ${describeServiceType(svc)}`,
        `ports: ${(svc.spec.ports ?? []).map(describeServicePort).join(', ') || 'none'}`,
        `selector: ${svc.spec.selector ? selectorToString({ matchLabels: svc.spec.selector }) : '(none)'}`,
      ],
      { subject, data: { type: svc.spec.type ?? 'ClusterIP', clusterIP: svc.spec.clusterIP } },
    ),
  );
  if (svc.spec.type === 'ExternalName') {
    findings.push(
      make('service/external-name', STEP, 'info', `ExternalName Service: a DNS CNAME to ${svc.spec.externalName ?? '?'}, no endpoints or ClusterIP`, [], {
        subject,
      }),
    );
    return findings;
  }
  if (under.missing) {
    findings.push(
      make(
        'service/port-not-found',
        STEP,
        'fail',
        `Service has no port named or numbered ${under.missing}`,
        [`ports: ${(svc.spec.ports ?? []).map(describeServicePort).join(', ')}`],
        { subject },
      ),
    );
  }
  const selectorless = !svc.spec.selector || Object.keys(svc.spec.selector).length === 0;
  let matched: Pod[] | undefined;
  if (selectorless) {
    findings.push(
      make('service/selectorless', STEP, 'info', 'Service has no selector: endpoints are managed by hand (or by another controller)', [], { subject }),
    );
  } else {
    const pods = checkPods(facts, svc);
    matched = pods.matched;
    findings.push(...pods.findings);
  }
  const eps = checkAddresses(facts, svc, matched);
  findings.push(...eps.findings);
  if (matched && matched.length > 0) findings.push(...checkTargetPorts(facts, svc, under.ports, matched));
  findings.push(...checkLocalTraffic(facts, svc, eps.addrs));
  return findings;
}
