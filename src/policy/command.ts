// `k8snet policy SRC DST` and `k8snet policy --matrix`: resolve, evaluate, lint, suggest, render.

import { evaluateFlow } from './evaluate.js';
import { UsageError } from './errors.js';
import { planFlows, parsePortArg, parseProtocol } from './flows.js';
import { lintSelectsNothing, lintVerdict } from './lint.js';
import { namespaceMatrix } from './matrix.js';
import { renderMatrix, renderPolicyReport, type OutputFormat } from './render.js';
import { resolveEndpoint, type ResolvedEndpoint } from './resolve.js';
import { suggestAllowRule } from './suggest.js';
import type { Lint, PolicyReport, PolicyWorld } from './types.js';
import { WorldIndex } from './world-index.js';
import { podNamespace } from '../util/pod.js';

export interface PolicyCommandOptions {
  src?: string;
  dst?: string;
  port?: string;
  protocol?: string;
  manifests?: string[];
  /** Namespaces for a reachability matrix: "ns1,ns2,..." or "all". */
  matrix?: string;
  output: OutputFormat;
  color: boolean;
}

function namespacesOf(e: ResolvedEndpoint): string[] {
  return e.parties.flatMap((p) => (p.kind === 'pod' ? [podNamespace(p.pod)] : []));
}

/** Builds the structured report (no rendering) - used by the command and by tests. */
export function buildPolicyReport(opts: PolicyCommandOptions, world: PolicyWorld, idx = new WorldIndex(world)): PolicyReport {
  if (!opts.src || !opts.dst) {
    throw new UsageError('policy needs a source and a destination', 'k8snet judges one flow: SRC -> DST', 'k8snet policy orders/orders-api payments/payments-api --port 80 (or --matrix all --port 80)');
  }
  const src = resolveEndpoint(idx, opts.src, 'source');
  const dst = resolveEndpoint(idx, opts.dst, 'destination');
  if (src.kind === 'external' && dst.kind === 'external') {
    throw new UsageError('both ends are outside the cluster', 'NetworkPolicy only applies to pods; two outside addresses have no policy between them', 'make SRC or DST a pod, workload or service');
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
    verdicts, skipped: plan.skipped, folded: plan.folded, lints,
    world: { origin: world.origin, enforced: world.enforced ?? null, namespaces: idx.namespaceNames().length, pods: world.pods.length, policies: world.policies.length },
  };
}

function matrixNamespaces(idx: WorldIndex, spec: string): string[] {
  if (spec === 'all' || spec === '*' || spec === '') return idx.namespaceNames();
  const names = spec.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !idx.hasNamespace(n) && !idx.world.workloads.some((w) => w.metadata.namespace === n));
  if (unknown.length > 0) {
    throw new UsageError(`unknown namespace(s) in --matrix: ${unknown.join(', ')}`, 'the world has no namespace, pod or workload there', `known namespaces: ${idx.namespaceNames().join(', ') || 'none'}`);
  }
  return names;
}

/**
 * Runs the policy command on an already-built world. Exit 0: allowed (or a matrix), 1: denied.
 * Invalid input throws UsageError (the CLI maps it to exit 2).
 */
export async function runPolicyCommand(opts: PolicyCommandOptions, world: PolicyWorld): Promise<{ text: string; exitCode: 0 | 1 }> {
  const idx = new WorldIndex(world);
  if (opts.matrix !== undefined) {
    if (opts.src || opts.dst) throw new UsageError('--matrix takes no SRC or DST', 'a matrix covers every pair of the listed namespaces', 'k8snet policy --matrix ns1,ns2 --port 8080');
    const port = parsePortArg(opts.port);
    if (port === undefined) throw new UsageError('--matrix needs --port', 'reachability depends on the port', 'add --port 8080 (the pod port)');
    const m = namespaceMatrix(idx, matrixNamespaces(idx, opts.matrix), port, parseProtocol(opts.protocol) ?? 'TCP');
    return { text: renderMatrix(m, opts.output, opts.color), exitCode: 0 };
  }
  const report = buildPolicyReport(opts, world, idx);
  return { text: renderPolicyReport(report, opts.output, opts.color), exitCode: report.allowed ? 0 : 1 };
}
