// Diagnosis rules for step 5 with Gateway API. Causes k8snet reads from the objects (a missing
// Gateway, a listener that does not admit the route, a missing ReferenceGrant) lead; the
// controller's status conditions and the probe through the data plane confirm them.

import type { Code } from '../model/codes.js';
import type { Finding } from '../model/finding.js';
import type { Ctx, Rule } from './context.js';

/** Configuration faults, most fundamental first (nothing after a missing Gateway matters). */
const CONFIG_CODES: readonly Code[] = [
  'gateway/none',
  'gateway/gateway-missing',
  'gateway/class-missing',
  'gateway/no-controller',
  'gateway/class-not-accepted',
  'gateway/controller-not-ready',
  'gateway/gateway-not-accepted',
  'gateway/gateway-not-programmed',
  'gateway/listener-invalid',
  'gateway/no-matching-listener',
  'gateway/not-allowed-by-listener',
  'gateway/hostname-mismatch',
  'gateway/certificate-missing',
  'gateway/certificate-not-permitted',
  'gateway/backend-not-permitted',
  'gateway/backend-missing',
  'gateway/backend-port-missing',
  'gateway/route-not-accepted',
  'gateway/refs-not-resolved',
];
const PROBE_CODES: readonly Code[] = ['gateway/route-not-matched', 'gateway/backend-error', 'gateway/probe-failed'];
const STATUS_CODES: readonly Code[] = ['gateway/route-not-accepted', 'gateway/refs-not-resolved'];
/** Facts from the API that need no confirmation (the object is not there). */
const DEFINITIVE: readonly Code[] = ['gateway/none', 'gateway/gateway-missing', 'gateway/class-missing', 'gateway/no-controller', 'gateway/backend-missing'];

const firstFailed = (ctx: Ctx, codes: readonly Code[]): Finding | undefined => {
  for (const c of codes) {
    const f = ctx.failed(c);
    if (f) return f;
  }
  return undefined;
};

const sameRoute = (a: Finding, b: Finding): boolean =>
  !a.subject || !b.subject || (a.subject.name === b.subject.name && a.subject.namespace === b.subject.namespace);

function routeNext(f: Finding): string[] {
  const s = f.subject;
  if (!s || !/Route$/.test(s.kind)) return [];
  return [`kubectl get ${s.kind.toLowerCase()} -n ${s.namespace ?? ''} ${s.name} -o yaml`];
}

export const GATEWAY_RULES: Rule[] = [
  {
    name: 'gateway-config-broken',
    why: 'A route carries traffic only when a running controller accepted its GatewayClass, its parent Gateway is programmed, a listener admits it (section, namespace, kind, hostname), and every backendRef resolves (existing Service port; a ReferenceGrant for another namespace).',
    match: (ctx) => {
      const f = firstFailed(ctx, CONFIG_CODES);
      if (!f) return undefined;
      const status = ctx.findings.filter((x) => STATUS_CODES.includes(x.code) && x.status === 'fail' && x !== f && sameRoute(x, f));
      const probes = ctx.findings.filter((x) => PROBE_CODES.includes(x.code) && x.status === 'fail');
      return {
        layer: 'gateway',
        headline: f.summary,
        evidence: [f, ...status, ...probes],
        confirmed: probes.length > 0 || status.length > 0 || STATUS_CODES.includes(f.code) || DEFINITIVE.includes(f.code),
        next: [...(f.next ?? []), ...routeNext(f)],
      };
    },
  },
  {
    // Decision: the symptom is at the gateway, the cause is a policy, so the layer named is 'policy'.
    name: 'gateway-hop-policy',
    why: "Gateway API adds a hop: the gateway's data-plane pods connect to the backend pods, and a default-deny ingress policy in the backend namespace must admit them.",
    match: (ctx) => {
      const f = ctx.failed('gateway/hop-denied');
      if (!f) return undefined;
      const probes = ctx.findings.filter((x) => PROBE_CODES.includes(x.code) && x.status === 'fail');
      return { layer: 'policy', headline: f.summary, evidence: [f, ...probes], confirmed: probes.length > 0, next: f.next };
    },
  },
  {
    name: 'gateway-probe-failed',
    why: "The objects look right but the request through the Gateway's data plane fails: 404 means the data plane has no route, 5xx a backend it cannot use, no answer a data plane that is not reachable.",
    match: (ctx) => {
      const f = firstFailed(ctx, PROBE_CODES);
      if (!f) return undefined;
      return { layer: 'gateway', headline: f.summary, evidence: [f], confirmed: true, next: [...(f.next ?? []), ...routeNext(f)] };
    },
  },
];
