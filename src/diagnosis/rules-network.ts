// Diagnosis rules for step 2 (ClusterIP and pod IPs) combined with the NetworkPolicy verdict.

import type { Code } from '../model/codes.js';
import { selectorToString } from '../util/selector.js';
import type { Ctx, Rule } from './context.js';

const failedVip = (ctx: Ctx) => [...ctx.vip('timeout'), ...ctx.vip('refused'), ...ctx.vip('no-route')];
const failedPod = (ctx: Ctx) => [...ctx.pod('timeout'), ...ctx.pod('refused'), ...ctx.pod('no-route')];

function targetPortText(ctx: Ctx): string {
  const p = ctx.pod('refused')[0]?.data?.target;
  return p ? (p.split(':').at(-1) ?? '?') : '?';
}

function policyHeadline(ctx: Ctx): string {
  const v = ctx.denied[0]?.verdict;
  const dir = v?.ingress?.allowed === false && v?.egress?.allowed === false ? 'ingress and egress' : v?.egress?.allowed === false ? 'egress' : 'ingress';
  const port = v?.port ? `:${v.port}` : '';
  // every selecting policy isolates; none of their rules admits the flow, so name them all as such
  const names = ctx.denyingNames.length ? ctx.denyingNames.join(', ') : (ctx.denied[0]?.finding.summary ?? 'a NetworkPolicy');
  // the common egress mistake: an ipBlock for the Service CIDR, while policy sees the endpoint after DNAT
  const vipBlock = v?.egress?.allowed === false ? ctx.all('policy/egress-ipblock-cluster-ip')[0] : undefined;
  const why = vipBlock ? ` (${vipBlock.evidence[0] ?? 'an ipBlock'} covers the ClusterIP, but NetworkPolicy sees the endpoint address after DNAT)` : '';
  return `NetworkPolicy blocks ${ctx.sourceName} -> ${ctx.targetName}${port}: ${dir} is isolated by ${names} and no rule admits the flow${why}`;
}

/** kube-proxy (or an eBPF dataplane) programs a changed Service within a second or two; on a busy node, longer. */
export const PROXY_CATCH_UP_SECONDS = 15;

/**
 * Seconds between the last change to the target Service or its EndpointSlices (creation, or the
 * endpoints controller's last-change-trigger-time) and the start of the run; undefined when no
 * timestamp was read. A ClusterIP failing this soon after a change may be kube-proxy catching up.
 */
export function secondsSinceServiceChange(ctx: Ctx): number | undefined {
  const at = Date.parse(ctx.facts.gatheredAt);
  if (Number.isNaN(at)) return undefined;
  const stamps: string[] = [];
  if (ctx.facts.service.state === 'ok') stamps.push(ctx.facts.service.value.metadata.creationTimestamp ?? '');
  if (ctx.facts.endpointSlices.state === 'ok') {
    for (const s of ctx.facts.endpointSlices.value) {
      stamps.push(s.metadata.creationTimestamp ?? '', s.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '');
    }
  }
  const times = stamps.map((t) => Date.parse(t)).filter((t) => !Number.isNaN(t));
  if (times.length === 0) return undefined;
  return Math.max(0, Math.round((at - Math.max(...times)) / 1000));
}

/** Probe failures that are neither a drop nor a refusal: an error, or an application that did not answer in its protocol. */
const ODD_FAILURES: readonly Code[] = ['clusterip/error', 'clusterip/app-error', 'endpoint/error', 'endpoint/app-error'];

export const NETWORK_RULES: Rule[] = [
  {
    // Checked before policy: a policy that allows the declared port cannot allow a wrong targetPort,
    // so both fail; fixing the targetPort fixes both.
    name: 'undeclared-target-port-fails',
    why: 'A numeric targetPort no container declares, and connections to it fail: the Service most likely points at the wrong port.',
    match: (ctx) => {
      const tp = ctx.all('service/target-port-undeclared', 'warn', 'fail');
      const failures = [...failedVip(ctx), ...failedPod(ctx)];
      if (tp.length === 0 || failures.length === 0 || ctx.vip('ok').length + ctx.pod('ok').length > 0) return undefined;
      const port = tp[0].data?.targetPort;
      const by = tp[0].data?.declaredBy;
      const declared = by ? `pod ${by.pod} declares ${by.ports}` : '';
      return {
        layer: 'service',
        headline: `targetPort ${port} of Service ${ctx.targetName} is not a port the pods declare (${declared}) and connections to it fail`,
        evidence: [...tp, ...failures],
        confirmed: true,
        next: [
          `kubectl get service ${ctx.facts.request.target.name} -n ${ctx.facts.request.target.namespace} -o jsonpath='{.spec.ports}'`,
          ...ctx.denied
            .map((d) => d.finding)
            .slice(0, 1)
            .flatMap((f) => f.next ?? [])
            .slice(0, 1),
        ],
      };
    },
  },
  {
    name: 'backend-never-answers',
    why: 'A probe that connected and then got no response proves the path (CNI, kube-proxy, policy) works: the application accepts and hangs.',
    match: (ctx) => {
      const hung = [...ctx.vip('no-response'), ...ctx.pod('no-response')];
      if (hung.length === 0 || ctx.vip('ok').length + ctx.pod('ok').length > 0) return undefined;
      return {
        layer: 'service',
        headline: `The backends of ${ctx.targetName} accept connections but send no response within --probe-timeout: the application hangs, the network path works`,
        evidence: hung,
        confirmed: true,
        next: [
          `kubectl logs -n ${ctx.facts.request.target.namespace} -l ${selectorText(ctx)} --tail=50`,
          `kubectl describe pods -n ${ctx.facts.request.target.namespace} -l ${selectorText(ctx)}`,
          're-run with a longer --probe-timeout if the app is only slow',
        ],
      };
    },
  },
  {
    name: 'policy-denies-path',
    why: 'Once a NetworkPolicy selects a pod, traffic no rule allows is dropped (or rejected); the probe failing as the verdict predicts names the policy.',
    match: (ctx) => {
      if (ctx.denied.length === 0) return undefined;
      const failures = [...failedVip(ctx), ...failedPod(ctx)];
      const passed = ctx.vip('ok').length + ctx.pod('ok').length > 0;
      if (passed) return undefined; // the policy is not enforced: cross-check warns, the path works
      return {
        layer: 'policy',
        headline: policyHeadline(ctx),
        evidence: [...ctx.denied.map((d) => d.finding), ...ctx.all('policy/egress-ipblock-cluster-ip'), ...failures, ...ctx.all('crosscheck/agree')],
        confirmed: failures.length > 0,
        next: [
          ...ctx.denyingNames.map((n) => `kubectl describe networkpolicy -n ${n.split('/')[0]} ${n.split('/')[1]}`),
          ...(ctx.denied[0]?.finding.next ?? []),
        ],
      };
    },
  },
  {
    name: 'refused-with-endpoints',
    why: 'A TCP reset from a ready endpoint means the packet arrived and nothing listens on the targetPort (or the app binds another port or 127.0.0.1).',
    match: (ctx) => {
      const refusedPods = ctx.pod('refused');
      const refusedVip = ctx.vip('refused');
      if (refusedPods.length === 0 && refusedVip.length === 0) return undefined;
      if (!ctx.has('service/endpoints-ready', 'pass')) return undefined;
      const tp = [...ctx.all('service/target-port-undeclared'), ...ctx.all('service/target-port-ok'), ...ctx.all('service/protocol-mismatch')];
      const port = refusedPods.length
        ? targetPortText(ctx)
        : String(ctx.facts.service.state === 'ok' ? (ctx.facts.service.value.spec.ports?.[0]?.targetPort ?? '?') : '?');
      return {
        layer: 'service',
        headline: `Nothing listens on targetPort ${port}: the endpoints refuse connections (check the Service targetPort against the port the app listens on)`,
        evidence: [...refusedVip, ...refusedPods, ...tp],
        confirmed: true,
        next: [
          `kubectl get service ${ctx.facts.request.target.name} -n ${ctx.facts.request.target.namespace} -o jsonpath='{.spec.ports}'`,
          `kubectl logs -n ${ctx.facts.request.target.namespace} -l ${selectorText(ctx)} --tail=20`,
        ],
      };
    },
  },
  {
    name: 'pod-network-drops',
    why: 'When policy allows the flow but both the ClusterIP and the pod IPs time out, packets die below policy: CNI, routes, node or the pod itself.',
    match: (ctx) => {
      if (ctx.vip('timeout').length === 0 && ctx.vip('no-route').length === 0) return undefined;
      const podDrops = [...ctx.pod('timeout'), ...ctx.pod('no-route')];
      if (podDrops.length === 0 || ctx.pod('ok').length > 0) return undefined;
      const drop = ctx.all('crosscheck/dropped-despite-allow');
      const policyKnown = ctx.verdicts.length > 0;
      // never name a layer below one that was not evaluated: with NetworkPolicy unknown, a policy
      // may be what drops the packets (issue 16 item 13)
      if (!policyKnown && ctx.findings.some((f) => f.step === 'policy' && f.status === 'unknown')) return undefined;
      // busybox wget cannot say whether it connected: a hanging app then looks like a drop
      const unsure = podDrops.some((f) => f.data?.connected === undefined);
      return {
        layer: 'pod-network',
        headline: `Packets to ${ctx.targetName} are dropped below NetworkPolicy: ClusterIP and pod IPs time out${policyKnown ? ' although policy allows the flow' : ''} (pod network / CNI)${unsure ? '; the probe tool cannot tell this from an app that accepts and never answers' : ''}`,
        evidence: [...drop, ...failedVip(ctx), ...podDrops, ...ctx.verdicts.map((v) => v.finding)],
        confirmed: policyKnown && !unsure,
        next: ['kubectl get pods -n kube-system -o wide', 'kubectl get nodes -o wide', `kubectl get pods -n ${ctx.facts.request.target.namespace} -o wide`],
      };
    },
  },
  {
    name: 'clusterip-broken-pods-answer',
    why: 'If the pod IPs answer but the ClusterIP does not, the Service VIP translation (kube-proxy rules / eBPF maps) is missing or stale.',
    match: (ctx) => {
      const vip = failedVip(ctx);
      if (vip.length === 0 || ctx.vip('ok').length > 0 || ctx.pod('ok').length === 0) return undefined;
      const age = secondsSinceServiceChange(ctx);
      const fresh = age !== undefined && age < PROXY_CATCH_UP_SECONDS;
      return {
        layer: 'service',
        headline: fresh
          ? `ClusterIP of ${ctx.targetName} does not answer but its pod IPs do, and the Service or its endpoints changed ${age} s before this run: kube-proxy may still have been programming them; run again before blaming kube-proxy`
          : `ClusterIP of ${ctx.targetName} does not answer but its pod IPs do: kube-proxy rules for the Service are missing or stale`,
        evidence: [...vip, ...ctx.pod('ok')],
        confirmed: !fresh,
        next: [
          'kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide',
          'kubectl -n kube-system logs -l k8s-app=kube-proxy --tail=50',
          `iptables-save | grep ${ctx.facts.request.target.namespace}/${ctx.facts.request.target.name}   # on the source's node`,
        ],
      };
    },
  },
  {
    name: 'clusterip-fails-unexplained',
    why: 'The ClusterIP fails and nothing static explains it; the pod IPs were not probed, so Service and pod network cannot be told apart.',
    match: (ctx) => {
      const vip = failedVip(ctx);
      if (vip.length === 0 || ctx.vip('ok').length > 0) return undefined;
      // NetworkPolicy not evaluated: a policy may be what drops (or rejects) them, so the pod network
      // below it is not named and the headline says what is missing (issue 16 item 13)
      const policyUnknown = ctx.verdicts.length === 0 ? ctx.findings.find((f) => f.step === 'policy' && f.status === 'unknown') : undefined;
      const layer = vip[0].data?.outcome === 'no-route' && !policyUnknown ? 'pod-network' : 'service';
      const headline = policyUnknown
        ? `${vip[0].summary}; NetworkPolicy could not be evaluated (${policyUnknown.summary}), so a policy may be what drops them`
        : vip[0].summary;
      return {
        layer,
        headline,
        evidence: policyUnknown ? [...vip, policyUnknown] : vip,
        confirmed: false,
        next: ['kubectl -n kube-system get pods -o wide', ...(policyUnknown?.next ?? [])],
      };
    },
  },
  {
    name: 'mesh-in-path',
    why: 'With a sidecar proxy on either end, resets and odd errors often come from mTLS or mesh policy rather than from Kubernetes networking.',
    match: (ctx) => {
      const mesh = ctx.all('mesh/sidecar');
      const odd = ctx.findings.filter((f) => ODD_FAILURES.includes(f.code) && f.status === 'fail');
      if (mesh.length === 0 || odd.length === 0) return undefined;
      return {
        layer: 'mesh',
        headline: `Connections to ${ctx.targetName} fail oddly with a service-mesh sidecar in the path: ${odd[0].summary}`,
        evidence: [...odd, ...mesh],
        confirmed: false,
        next: mesh.flatMap((m) => m.next ?? []),
      };
    },
  },
  {
    name: 'application-speaks-otherwise',
    why: 'A connection that opens and is then closed, reset or answered in another protocol proves the network path: the application (or what listens on the port) rejects what the port declares.',
    match: (ctx) => {
      const bad = [...ctx.vip('app-error'), ...ctx.pod('app-error')];
      if (bad.length === 0 || ctx.vip('ok').length + ctx.pod('ok').length > 0) return undefined;
      return {
        layer: 'service',
        headline: `${ctx.targetName} accepts connections but does not answer in the protocol its port declares: ${bad[0].summary}`,
        evidence: bad,
        confirmed: true,
        next: [
          `kubectl logs -n ${ctx.facts.request.target.namespace} -l ${selectorText(ctx)} --tail=50`,
          `kubectl get service ${ctx.facts.request.target.name} -n ${ctx.facts.request.target.namespace} -o jsonpath='{.spec.ports}'`,
        ],
      };
    },
  },
];

function selectorText(ctx: Ctx): string {
  const sel = ctx.facts.service.state === 'ok' ? (ctx.facts.service.value.spec.selector ?? {}) : {};
  return selectorToString({ matchLabels: sel }) || 'app=?';
}
