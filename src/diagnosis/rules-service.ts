// Diagnosis rules for the source pod and step 1 (Service, selector, readiness, endpoints, targetPort).

import type { Ctx, Rule } from './context.js';

const t = (ctx: Ctx) => ctx.facts.request.target;
const slices = (ctx: Ctx) => `kubectl get endpointslices -n ${t(ctx).namespace} -l kubernetes.io/service-name=${t(ctx).name}`;
const probeFailures = (ctx: Ctx) => [...ctx.vip('refused'), ...ctx.vip('timeout'), ...ctx.pod('refused'), ...ctx.pod('timeout')];

export const SERVICE_RULES: Rule[] = [
  {
    name: 'source-not-found',
    why: 'Without a source pod nothing can be probed; --from names a pod, a workload or a label that exists.',
    match: (ctx) => {
      const f = ctx.failed('source/not-found');
      return f && { layer: 'source', headline: f.summary, evidence: [f], confirmed: true };
    },
  },
  {
    name: 'service-not-found',
    why: 'A name that is not a Service in that namespace resolves nowhere: the API says NotFound.',
    match: (ctx) => {
      const f = ctx.failed('service/not-found');
      return f && { layer: 'service', headline: f.summary, evidence: [f], confirmed: true };
    },
  },
  {
    name: 'selector-matches-nothing',
    why: 'A Service whose selector matches no pod gets no endpoints, so its ClusterIP refuses or drops every connection.',
    match: (ctx) => {
      const f = ctx.failed('service/no-matching-pods');
      if (!f) return undefined;
      const eps = ctx.all('service/no-endpoints');
      return {
        layer: 'service',
        headline: `Service ${ctx.targetName} has no endpoints: ${f.summary.charAt(0).toLowerCase()}${f.summary.slice(1)}`,
        evidence: [f, ...eps, ...probeFailures(ctx)],
        confirmed: true,
        next: [slices(ctx), ...(f.next ?? [])],
      };
    },
  },
  {
    name: 'pods-not-ready',
    why: 'Pods that are not Ready are left out of the EndpointSlice ready set; with none Ready the Service has nowhere to send traffic.',
    match: (ctx) => {
      const f = ctx.failed('service/pods-not-ready');
      if (!f) return undefined;
      return {
        layer: 'service',
        headline: `Service ${ctx.targetName} has no ready endpoints: ${f.summary.charAt(0).toLowerCase()}${f.summary.slice(1)}`,
        evidence: [f, ...ctx.all('service/no-endpoints'), ...probeFailures(ctx)],
        confirmed: true,
        next: [...(f.next ?? []), slices(ctx)],
      };
    },
  },
  {
    name: 'named-target-port-unresolved',
    why: "A named targetPort is looked up in each pod's container ports; a pod that does not declare it is left out of the endpoints for that port.",
    match: (ctx) => {
      const f = ctx.failed('service/target-port-unresolved');
      return f && { layer: 'service', headline: f.summary, evidence: [f, ...probeFailures(ctx)], confirmed: true, next: f.next };
    },
  },
  {
    name: 'no-ready-endpoints',
    why: 'No ready address in the EndpointSlices means kube-proxy has no backend for the ClusterIP.',
    match: (ctx) => {
      const f = ctx.failed('service/no-endpoints');
      return f && { layer: 'service', headline: f.summary, evidence: [f, ...probeFailures(ctx)], confirmed: true, next: f.next ?? [slices(ctx)] };
    },
  },
  {
    name: 'local-traffic-no-local-endpoint',
    why: "internalTrafficPolicy Local only routes to endpoints on the client's own node; with none there, connections are dropped.",
    match: (ctx) => {
      const f = ctx.failed('service/no-local-endpoint');
      return f && { layer: 'service', headline: f.summary, evidence: [f, ...probeFailures(ctx)], confirmed: probeFailures(ctx).length > 0, next: f.next };
    },
  },
  {
    name: 'requested-port-missing',
    why: 'The Service port asked for with --port does not exist, so nothing was probed on it.',
    match: (ctx) => {
      const f = ctx.failed('service/port-not-found');
      return f && { layer: 'service', headline: f.summary, evidence: [f], confirmed: true };
    },
  },
];
