// The policy report for one SRC -> DST question: resolve, evaluate, lint, suggest (no rendering).

import { evaluateFlow } from './evaluate.js';
import { UserError } from '../errors.js';
import { planFlows } from './flows.js';
import { lintSelectsNothing, lintVerdict } from './lint.js';
import { resolveEndpoint, type ResolvedEndpoint } from './resolve.js';
import { suggestAllowRule } from './suggest.js';
import type { Lint, PolicyReport, PolicyWorld } from './types.js';
import { WorldIndex } from './world-index.js';
import { podNamespace } from '../util/pod.js';

/** The question `k8snet policy SRC DST` asks, as typed (port and protocol still text). */
export interface PolicyQuestion {
  src?: string;
  dst?: string;
  port?: string;
  protocol?: string;
}

function namespacesOf(e: ResolvedEndpoint): string[] {
  return e.parties.flatMap((p) => (p.kind === 'pod' ? [podNamespace(p.pod)] : []));
}

/** Builds the structured report (no rendering) - used by the command and by tests. */
export function buildPolicyReport(opts: PolicyQuestion, world: PolicyWorld, idx = new WorldIndex(world)): PolicyReport {
  if (!opts.src || !opts.dst) {
    throw new UserError({
      message: 'policy needs a source and a destination',
      why: 'k8snet judges one flow: SRC -> DST',
      next: 'k8snet policy orders/orders-api payments/payments-api --port 80 (or --matrix all --port 80)',
    });
  }
  const src = resolveEndpoint(idx, opts.src, 'source');
  const dst = resolveEndpoint(idx, opts.dst, 'destination');
  if (src.kind === 'external' && dst.kind === 'external') {
    throw new UserError({
      message: 'both ends are outside the cluster',
      why: 'NetworkPolicy only applies to pods; two outside addresses have no policy between them',
      next: 'make SRC or DST a pod, workload or service',
    });
  }
  const plan = planFlows(src, dst, opts.port, opts.protocol);
  const verdicts = plan.flows.map((flow) => {
    const v = evaluateFlow(idx, flow);
    v.lints = lintVerdict(idx, flow, v);
    const s = suggestAllowRule(flow, v);
    if (s) v.suggestion = s;
    return v;
  });
  const lints: Lint[] = [];
  for (const ns of new Set([...namespacesOf(src), ...namespacesOf(dst)])) {
    for (const p of idx.policiesIn(ns)) {
      const l = lintSelectsNothing(idx, p);
      if (l) lints.push(l);
    }
  }
  return {
    source: { spec: src.spec, kind: src.kind, description: src.description },
    destination: { spec: dst.spec, kind: dst.kind, description: dst.description },
    ...(opts.port ? { port: opts.port } : {}),
    ...(opts.protocol ? { protocol: opts.protocol.toUpperCase() } : {}),
    allowed: verdicts.length > 0 && verdicts.every((v) => v.allowed),
    verdicts,
    skipped: plan.skipped,
    folded: plan.folded,
    lints,
    world: {
      origin: world.origin,
      enforced: world.enforced ?? null,
      namespaces: idx.namespaceNames().length,
      pods: world.pods.length,
      policies: world.policies.length,
    },
  };
}
