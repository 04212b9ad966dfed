// `k8snet policy SRC DST` and `k8snet policy --matrix`: builds the world (live cluster or --manifests),
// asks the policy engine, renders the answer.

import { isIP } from 'node:net';
import { UserError } from '../errors.js';
import { buildPolicyReport, type PolicyQuestion } from '../policy/build-report.js';
import { parseProtocol } from '../policy/flows.js';
import { namespaceMatrix } from '../policy/matrix.js';
import { WorldIndex } from '../policy/world-index.js';
import { renderMatrix, renderPolicyReport } from '../report/policy.js';
import type { OutputFormat } from '../report/types.js';
import { portNumberOrName } from '../util/port.js';
import { formatProblem } from '../manifests/problems.js';
import type { PolicyWorld } from '../policy/types.js';
import type { LivePolicyWorld } from '../gather/policy-world.js';
import { parseDuration, parseOutput, validateNamespace } from './args.js';
import { useColor, type Io } from './output.js';

function matrixNamespaces(idx: WorldIndex, spec: string): string[] {
  if (spec === 'all' || spec === '*' || spec === '') return idx.namespaceNames();
  const names = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !idx.hasNamespace(n) && !idx.world.workloads.some((w) => w.metadata.namespace === n));
  if (unknown.length > 0) {
    throw new UserError({
      message: `unknown namespace(s) in --matrix: ${unknown.join(', ')}`,
      why: 'the world has no namespace, pod or workload there',
      next: `known namespaces: ${idx.namespaceNames().join(', ') || 'none'}`,
    });
  }
  return names;
}

/** Everything the policy runner needs: the question, the matrix request, and how to render. */
export interface PolicyCommandOptions extends PolicyQuestion {
  manifests?: string[];
  /** Namespaces for a reachability matrix: "ns1,ns2,..." or "all". */
  matrix?: string;
  output: OutputFormat;
  color: boolean;
}

/**
 * Runs the policy command on an already-built world. Exit 0: allowed (or a matrix), 1: denied.
 * Invalid input throws UserError (the CLI maps it to exit 2).
 */
// eslint-disable-next-line @typescript-eslint/require-await -- async on purpose: invalid input rejects (callers and tests await it), never throws synchronously
export async function runPolicyCommand(opts: PolicyCommandOptions, world: PolicyWorld): Promise<{ text: string; exitCode: 0 | 1 }> {
  const idx = new WorldIndex(world);
  if (opts.matrix !== undefined) {
    if (opts.src || opts.dst)
      throw new UserError({
        message: '--matrix takes no SRC or DST',
        why: 'a matrix covers every pair of the listed namespaces',
        next: 'k8snet policy --matrix ns1,ns2 --port 8080',
      });
    const port = portNumberOrName(opts.port);
    if (port === undefined)
      throw new UserError({ message: '--matrix needs --port', why: 'reachability depends on the port', next: 'add --port 8080 (the pod port)' });
    const m = namespaceMatrix(idx, matrixNamespaces(idx, opts.matrix), port, parseProtocol(opts.protocol) ?? 'TCP');
    return { text: renderMatrix(m, opts.output, opts.color), exitCode: 0 };
  }
  const report = buildPolicyReport(opts, world, idx);
  return { text: renderPolicyReport(report, opts.output, opts.color), exitCode: report.allowed ? 0 : 1 };
}

interface PolicyCliOptions {
  port?: string;
  protocol?: string;
  manifests?: string[];
  matrix?: string;
  output?: string;
  color?: boolean;
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  timeout: string;
}

/** Qualify a bare NAME with the default namespace; leave IPs and NS/NAME alone. */
function qualify(spec: string | undefined, ns: string): string | undefined {
  if (spec === undefined) return undefined;
  const t = spec.trim();
  // addresses (and things that try to be one) are left for the resolver to accept or refuse
  if (isIP(t) || t.includes('/') || /^[0-9.]+$/.test(t) || t.includes(':')) return t;
  return `${ns}/${t}`;
}

export async function runPolicy(src: string | undefined, dst: string | undefined, opts: PolicyCliOptions, io: Io): Promise<number> {
  const startedAt = Date.now(); // --timeout bounds the whole run, credential plugin included
  const output = parseOutput(opts.output, io.stdoutIsTty);
  const timeoutMs = parseDuration(opts.timeout, '--timeout');
  if (opts.matrix === undefined && (!src || !dst)) {
    throw new UserError({
      message: 'policy needs SRC and DST, or --matrix',
      why: 'k8snet judges one flow from SRC to DST, or prints a matrix',
      next: 'k8snet policy orders/orders-api payments/payments-api --port 8080',
    });
  }
  let world: PolicyWorld;
  let defaultNs = opts.namespace ?? 'default';
  if (opts.manifests && opts.manifests.length > 0) {
    const { loadManifests } = await import('../manifests/load.js');
    const loaded = await loadManifests(opts.manifests);
    const errors = loaded.problems.filter((p) => p.severity === 'error');
    for (const p of loaded.problems.filter((p) => p.severity === 'note')) io.err(formatProblem(p));
    if (errors.length > 0) {
      throw new UserError({
        message: `${errors.length} manifest problem(s) stop the policy review`,
        why: errors.slice(0, 10).map(formatProblem).join('\n        '),
        next: 'fix the documents named above (or leave those files out of --manifests)',
      });
    }
    world = loaded.world;
  } else {
    const { loadKubeConfig } = await import('../cluster/kubeconfig.js');
    const { Api } = await import('../cluster/api.js');
    const { readPolicyWorld } = await import('../gather/policy-world.js');
    const loaded = await loadKubeConfig({ kubeconfig: opts.kubeconfig, context: opts.context, namespace: opts.namespace });
    defaultNs = loaded.namespace;
    const api = new Api(loaded.kc, startedAt + timeoutMs);
    const specs = [qualify(src, defaultNs), qualify(dst, defaultNs)].filter((s): s is string => !!s);
    const ips = specs.filter((s) => isIP(s));
    const malformed = specs.find((s) => !isIP(s) && !s.includes('/'));
    if (malformed)
      throw new UserError({
        message: `"${malformed}" is not a valid IPv4 or IPv6 address`,
        why: 'SRC and DST are NS/NAME or a single address',
        next: 'write e.g. 203.0.113.7, 2001:db8::7 or payments/payments-api',
      });
    const nsList =
      opts.matrix === 'all'
        ? ('all' as const)
        : [
            ...specs.filter((s) => !isIP(s)).map((s) => s.split('/')[0]),
            ...(opts.matrix
              ? opts.matrix
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean)
              : []),
          ];
    if (nsList !== 'all') nsList.forEach((n) => validateNamespace(n, 'namespace'));
    let live: LivePolicyWorld;
    try {
      live = await readPolicyWorld(api, nsList, ips);
    } finally {
      api.close();
    }
    // the CNI, by the detection diagnose's policy step uses, from the reads the world keeps: whether it
    // enforces policy (null: unknown) and matches ipBlock rules against pod IPs (Calico: yes, Cilium: no)
    const { detectCniFrom, ipBlockMatchesPodIPs } = await import('../checks/cni.js');
    const cni = detectCniFrom(live.cniReads.daemonSets, live.cniReads.nodes);
    world = { ...live, enforced: cni.enforcesPolicy, ipBlockMatchesPods: ipBlockMatchesPodIPs(cni) };
  }
  const r = await runPolicyCommand(
    {
      src: qualify(src, defaultNs),
      dst: qualify(dst, defaultNs),
      port: opts.port,
      protocol: opts.protocol,
      manifests: opts.manifests,
      matrix: opts.matrix,
      output,
      color: useColor(opts.color, io),
    },
    world,
  );
  io.out(r.text);
  return r.exitCode;
}
