// `k8snet sweep NS[,NS...] | -A`: validate, gather once, run diagnose's checks per Service, render,
// and map the report to diagnose's exit codes.

import { ClusterError, UserError } from '../errors.js';
import type { SweepFacts } from '../model/sweep.js';
import { checkReachable } from './diagnose.js';
import { exitCodeForSweep } from '../diagnosis/index.js';
import type { SweepRequest } from '../model/sweep.js';
import { renderSweepJson, renderSweepMarkdown, renderSweepTable } from '../report/sweep.js';
import { analyzeSweep } from '../sweep/analyze.js';
import { parseDuration, parseFrom, parseOutput, parsePath, validateName, validateNamespace } from './args.js';
import { makeSpinner, useColor, type Io } from './output.js';

export interface SweepOptions {
  allNamespaces?: boolean;
  from?: string;
  container?: string;
  path: string;
  probeTimeout: string;
  concurrency: string;
  callers?: boolean;
  timeout: string;
  verbose?: boolean;
  context?: string;
  kubeconfig?: string;
  namespace?: string;
  output?: string;
  color?: boolean;
}

/** "payments,orders" -> ["payments", "orders"], each a valid namespace name, no duplicates. */
export function parseNamespaces(text: string | undefined, all: boolean): string[] | 'all' {
  if (all && text) {
    throw new UserError({
      message: 'give namespaces or -A, not both',
      why: '-A already sweeps every namespace',
      next: 'k8snet sweep payments,orders   or   k8snet sweep -A',
    });
  }
  if (all) return 'all';
  if (!text || !text.trim()) {
    throw new UserError({
      message: 'sweep needs the namespaces to sweep',
      why: 'a sweep covers every Service of the namespaces you name',
      next: 'k8snet sweep payments[,orders...]   or   k8snet sweep -A',
    });
  }
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return [...new Set(names.map((n) => validateNamespace(n, 'NAMESPACES')))];
}

function parseConcurrency(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(String(text).trim()) || n < 1 || n > 16) {
    throw new UserError({
      message: `--concurrency: "${text}" is not a number from 1 to 16`,
      why: 'it bounds the execs in flight in the source pod',
      next: 'e.g. --concurrency 4',
    });
  }
  return n;
}

export async function runSweep(namespacesText: string | undefined, opts: SweepOptions, io: Io): Promise<number> {
  const output = parseOutput(opts.output, io.stdoutIsTty);
  // kubectl habit: `-n payments` names the namespace when no list is given
  const namespaces = parseNamespaces(namespacesText ?? (opts.allNamespaces ? undefined : opts.namespace), !!opts.allNamespaces);
  const probeTimeoutMs = parseDuration(opts.probeTimeout, '--probe-timeout');
  const timeoutMs = parseDuration(opts.timeout, '--timeout');
  const concurrency = parseConcurrency(opts.concurrency);
  const path = parsePath(opts.path);
  if (opts.container !== undefined) validateName(opts.container, '-c/--container', 'container');
  if (opts.container !== undefined && !opts.from) {
    throw new UserError({
      message: '-c/--container needs --from',
      why: 'the container is the one probes run in, in the source pod',
      next: 'add --from NS/NAME',
    });
  }
  if (opts.from !== undefined) parseFrom(opts.from, 'default');

  const { loadKubeConfig } = await import('../cluster/kubeconfig.js');
  const { Api } = await import('../cluster/api.js');
  const { gatherSweep } = await import('../gather/sweep.js');
  const loaded = await loadKubeConfig({ kubeconfig: opts.kubeconfig, context: opts.context, namespace: opts.namespace });
  const request: SweepRequest = {
    namespaces,
    ...(opts.from !== undefined ? { from: parseFrom(opts.from, loaded.namespace) } : {}),
    ...(opts.container ? { container: opts.container } : {}),
    path,
    probeTimeoutMs,
    concurrency,
    callers: !!opts.callers,
  };
  const api = new Api(loaded.kc, Date.now() + timeoutMs);
  const spinner = await makeSpinner(io, output === 'table');
  let sf;
  try {
    spinner.text(`Connecting to ${loaded.context.server}`);
    await checkReachable(api, loaded.context.server ?? '?', loaded.context.user);
    sf = await gatherSweep({ api, context: loaded.context, request, onStep: (t) => spinner.text(t) });
  } finally {
    spinner.stop();
    api.close();
  }
  checkSource(sf, request);
  const report = analyzeSweep(sf);
  if (output === 'json') io.out(renderSweepJson(report));
  else if (output === 'markdown') io.out(renderSweepMarkdown(report));
  else io.out(renderSweepTable(report, { color: useColor(opts.color, io), verbose: !!opts.verbose }));
  return exitCodeForSweep(report);
}

/**
 * --from that cannot probe is one clear error, not the same "could not probe" on every row: a source
 * that does not exist is a usage error; one that cannot be read or exec'd into means nothing live
 * could be checked (a static sweep needs no --from).
 */
function checkSource(sf: SweepFacts, request: SweepRequest): void {
  const from = request.from;
  if (!from) return;
  const src = sf.source;
  if (src.state === 'not-found') {
    throw new UserError({
      message: `--from ${from.raw}: no pod found in namespace ${from.namespace}`,
      why: src.message,
      next: `kubectl get pods -n ${from.namespace} --show-labels`,
    });
  }
  if (src.state !== 'ok') {
    throw new ClusterError({
      kind: src.state === 'forbidden' ? 'forbidden' : 'other',
      message: `--from ${from.raw}: the source pod could not be read, so nothing could be probed`,
      why: src.message,
      next: 'drop --from for a static sweep, or ask for read access to pods there (`k8snet rbac`)',
    });
  }
  if (!src.value.tools) {
    throw new ClusterError({
      kind: 'other',
      message: `--from ${from.raw}: live probes cannot run in pod ${src.value.pod.metadata.namespace}/${src.value.pod.metadata.name}`,
      why: sf.notes.filter((n) => /exec|shell|tool/.test(n)).join('; ') || 'no container of the pod has a shell and network tools',
      next: 'drop --from for a static sweep, pick a source with a shell, or grant create/get on pods/exec there (`k8snet rbac`)',
    });
  }
}
