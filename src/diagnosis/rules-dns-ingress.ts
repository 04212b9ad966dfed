// Diagnosis rules for step 3 (DNS, including egress policy that blocks it) and step 5 (Ingress).

import type { Code } from '../model/codes.js';
import { DNS_FAIL_CODES, INGRESS_PROBE_CODES } from '../model/code-groups.js';
import { hasCode, type FindingOf } from '../model/finding.js';
import { denyingPolicies } from '../model/path-verdict.js';
import type { Ctx, Rule } from './context.js';

const KUBE_DNS = 'kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide';

const dnsFailures = (ctx: Ctx): FindingOf<(typeof DNS_FAIL_CODES)[number]>[] =>
  ctx.findings.filter((f) => hasCode(f, DNS_FAIL_CODES)).filter((f) => f.status === 'fail');
const first = <C extends Code>(ctx: Ctx, codes: readonly C[]): FindingOf<C> | undefined => {
  for (const c of codes) {
    const f = ctx.failed(c);
    if (f) return f;
  }
  return undefined;
};

export const DNS_RULES: Rule[] = [
  {
    // Decision: the symptom is DNS, but the cause is the policy, so the layer named is 'policy'
    // (kubernetes/website #54997: default-deny egress without a DNS allow is the classic trap).
    name: 'egress-policy-blocks-dns',
    why: 'A default-deny egress policy without a rule for UDP/TCP 53 to kube-dns makes every name lookup time out, though IPs still work.',
    match: (ctx) => {
      const p = ctx.failed('policy/dns-egress-blocked');
      if (!p) return undefined;
      const fails = dnsFailures(ctx);
      const notProbed = ctx.has('dns/not-probed', 'unknown');
      if (fails.length === 0 && !notProbed) return undefined; // DNS still answers: the policy is not enforced
      const v = p.data?.dnsVerdict;
      const list = v ? denyingPolicies(v) : [];
      const names = list.join(', ');
      return {
        layer: 'policy',
        headline:
          `Egress NetworkPolic${list.length > 1 ? 'ies' : 'y'} ${names} ${list.length > 1 ? 'block' : 'blocks'} DNS from ${ctx.sourceName}: lookups of ${ctx.facts.request.target.name} time out`.replace(
            '  ',
            ' ',
          ),
        evidence: [p, ...fails],
        confirmed: fails.length > 0,
        next: [...(p.next ?? []), `kubectl get networkpolicy -n ${ctx.facts.request.from?.namespace ?? ''}`],
      };
    },
  },
  {
    name: 'cluster-dns-down',
    why: 'With no ready CoreDNS endpoint behind kube-dns, every cluster lookup times out or fails.',
    match: (ctx) => {
      const down = first(ctx, ['dns/kube-dns-missing', 'dns/kube-dns-no-endpoints', 'dns/coredns-not-ready']);
      if (!down) return undefined;
      const fails = dnsFailures(ctx);
      return {
        layer: 'dns',
        // "down" only when lookups failed; otherwise say what the objects show (issue 16 item 12)
        headline: `${fails.length > 0 ? 'Cluster DNS is down' : 'Cluster DNS has no backend that can answer'}: ${down.summary.charAt(0).toLowerCase()}${down.summary.slice(1)}`,
        evidence: [down, ...fails],
        confirmed: fails.length > 0,
        next: [
          KUBE_DNS,
          'kubectl -n kube-system logs -l k8s-app=kube-dns --tail=50',
          'kubectl -n kube-system get endpointslices -l kubernetes.io/service-name=kube-dns',
        ],
      };
    },
  },
  {
    name: 'pod-dns-config',
    why: "dnsPolicy Default (or hostNetwork without ClusterFirstWithHostNet) sends lookups to the node's resolver, which knows no Services.",
    match: (ctx) => {
      const f = first(ctx, ['dns/pod-dns-policy', 'dns/resolv-conf-nameserver']);
      return f && { layer: 'dns', headline: f.summary, evidence: [f, ...dnsFailures(ctx)], confirmed: dnsFailures(ctx).length > 0 };
    },
  },
  {
    name: 'dns-fails',
    why: 'The name does not resolve to the Service although the Service exists: NXDOMAIN, SERVFAIL, timeout and a wrong answer point at different DNS faults.',
    match: (ctx) => {
      const fails = dnsFailures(ctx);
      if (fails.length === 0) return undefined;
      // the headline quotes the query that failed, never another name: FQDN first, then name.namespace
      const order = ['dns/fqdn/pod-resolver', 'dns/namespaced/pod-resolver', 'dns/fqdn/kube-dns-udp', 'dns/fqdn/kube-dns-tcp'];
      const f = order.map((id) => fails.find((x) => x.data?.probeId === id)).find((x) => x !== undefined) ?? fails[0];
      const clusterIpWorks = ctx.vip('ok').length > 0;
      const query = f.data?.query ?? `${ctx.facts.request.target.name}.${ctx.facts.request.target.namespace}`;
      const outcome = f.data?.outcome ?? 'fail';
      const wrong = f.code === 'dns/wrong-answer';
      return {
        layer: 'dns',
        headline: `DNS lookup of "${query}" ${wrong ? 'returns the wrong address' : `fails (${outcome.toUpperCase()})`}${clusterIpWorks ? ' (the ClusterIP itself answers)' : ''}: ${f.summary}`,
        evidence: fails,
        confirmed: true,
        next: [KUBE_DNS, 'kubectl -n kube-system logs -l k8s-app=kube-dns --tail=50'],
      };
    },
  },
];

const INGRESS_CODES: readonly Code[] = [
  'ingress/no-controller',
  'ingress/class-not-found',
  'ingress/no-class',
  'ingress/controller-not-ready',
  'ingress/backend-other-namespace',
  'ingress/backend-missing',
  'ingress/backend-port-missing',
  'ingress/route-not-matched',
  'ingress/backend-error',
  'ingress/probe-failed',
];

/** A finding that reports a probe through the controller (it carries the probe's id). */
const isIngressProbe = (f: Ctx['findings'][number]): boolean => hasCode(f, INGRESS_PROBE_CODES) && f.data?.probeId !== undefined;

export const INGRESS_RULES: Rule[] = [
  {
    name: 'ingress-broken',
    why: "An Ingress only routes if a running controller claims its class and its backend is a Service port in the Ingress's own namespace.",
    match: (ctx) => {
      const f = first(ctx, INGRESS_CODES);
      if (!f) return undefined;
      const probes = ctx.findings.filter((x) => x.step === 'ingress' && isIngressProbe(x) && x !== f && x.status === 'fail');
      return {
        layer: 'ingress',
        headline: f.summary,
        evidence: [f, ...probes],
        confirmed:
          probes.length > 0 ||
          isIngressProbe(f) ||
          f.code === 'ingress/no-controller' ||
          f.code === 'ingress/class-not-found' ||
          f.code === 'ingress/backend-other-namespace',
        next: [...(f.next ?? []), ...(f.subject ? [`kubectl describe ingress ${f.subject.name} -n ${f.subject.namespace ?? ''}`] : [])],
      };
    },
  },
];
