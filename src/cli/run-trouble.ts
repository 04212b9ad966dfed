// What kept an inconclusive run from finishing its checks, when it was the cluster's control path
// (the API server or a kubelet stopped answering mid-run) rather than a finding: said on stderr as
// an error (what, why, next) beside the report, so a script reading `-o json` is told too.

import type { ErrorParts } from '../errors.js';
import type { Facts } from '../model/facts.js';
import { execFailed } from '../checks/lib/exec-failure.js';

/** Facts fields that hold no API reads (what the user asked, the run's own records, the probes). */
const NOT_READS = new Set(['request', 'context', 'access', 'notes', 'timings', 'probes', 'requests', 'schemaVersion', 'k8snetVersion', 'gatheredAt']);

interface Unanswered {
  count: number;
  first?: string;
}

/**
 * The API reads that got no answer (timeout) or could not reach the API server. Only reads are walked:
 * an answered read's value (cluster objects, tenant-written) is never looked into, so no label or
 * annotation can pose as a failed read.
 */
export function unansweredReads(facts: Facts): Unanswered {
  const found: Unanswered = { count: 0 };
  const walk = (v: unknown, depth: number) => {
    if (depth > 8 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.state === 'string') {
      if ((o.state === 'timeout' || o.state === 'unreachable') && typeof o.message === 'string') {
        found.count += 1;
        found.first ??= o.message;
      }
      return; // a read: answered (its value is cluster data, never looked into) or failed (nothing inside)
    }
    for (const x of Object.values(o)) walk(x, depth + 1);
  };
  for (const [k, v] of Object.entries(facts)) if (!NOT_READS.has(k)) walk(v, 0);
  return found;
}

/**
 * The error to print for a run that ended inconclusive because the control path stopped answering,
 * or undefined when nothing of the kind happened (then the report alone explains what it could not
 * check: a forbidden read, a distroless pod...). `timeout` is --timeout as the user typed it.
 */
export function runTrouble(facts: Facts, timeout: string): ErrorParts | undefined {
  const reads = unansweredReads(facts);
  const exec = execFailed(facts);
  const execTrouble = exec && (exec.kind === 'no-answer' || exec.kind === 'kubelet-unreachable') ? exec : undefined;
  const cut = facts.probes.filter((p) => p.exec?.state === 'timeout');
  if (reads.count === 0 && !execTrouble && cut.length === 0) return undefined;
  const parts: string[] = [];
  if (reads.count > 0) parts.push(`${reads.count} API read${reads.count === 1 ? '' : 's'} got no answer`);
  if (execTrouble) parts.push(execTrouble.summary[0].toLowerCase() + execTrouble.summary.slice(1));
  if (cut.length > 0) parts.push(`${cut.length} probe${cut.length === 1 ? '' : 's'} got no result from the source pod before k8snet's deadline`);
  const kubelet = execTrouble?.kind === 'kubelet-unreachable' && reads.count === 0 && cut.length === 0;
  const node = facts.source.state === 'ok' ? facts.source.value.pod.spec.nodeName : undefined;
  return {
    message: `the run could not finish its checks: ${parts.join('; ')}`,
    why: reads.first ?? execTrouble?.evidence[0] ?? cut[0]?.exec?.error ?? 'the cluster stopped answering during the run',
    next: kubelet
      ? `check the kubelet${node ? ` on node ${node} (\`kubectl describe node ${node}\`)` : ''}, then run again`
      : `check that the API server answers (\`kubectl get --raw='/readyz?verbose'\`), then run again; raise --timeout (now ${timeout}) if it is only slow`,
  };
}
