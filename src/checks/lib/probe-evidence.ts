// Reading probes for checks: finding them by id, parsing them (via src/probes), and quoting them as evidence.

import type { Facts } from '../../model/facts.js';
import type { ConnectOutcome, DnsOutcome, ProbeFact } from '../../model/probe.js';
import { parseConnect, parseDns, parseResolvConf } from '../../probes/index.js';
import { isBounded } from '../../probes/exit-status.js';

export { parseResolvConf };

export function probesWithPrefix(facts: Facts, prefix: string): ProbeFact[] {
  return facts.probes.filter((p) => p.id.startsWith(prefix));
}

export function connectOutcome(p: ProbeFact): ConnectOutcome {
  return parseConnect(p);
}

export function dnsOutcome(p: ProbeFact): DnsOutcome {
  return parseDns(p);
}

function trim(text: string, max = 160): string {
  const one = text.trim().split('\n').slice(0, 3).join(' | ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** "$ kubectl exec ...", "curl exit 28 after 3004 ms", "stderr: curl: (28) ..." */
export function probeEvidence(p: ProbeFact, detail?: string): string[] {
  const out: string[] = [];
  if (p.kubectl) out.push(`$ ${p.kubectl}`);
  const e = p.exec;
  if (!p.tool) out.push('no suitable tool in the source container');
  if (e) {
    const exit =
      e.state === 'completed' ? `exit ${e.exitCode ?? '?'}` : e.state === 'timeout' ? 'k8snet deadline reached' : `exec failed${e.error ? `: ${e.error}` : ''}`;
    out.push(`${p.tool ?? 'exec'} ${exit} after ${e.elapsedMs} ms`);
    if (e.stdout.trim()) out.push(`stdout: ${trim(e.stdout)}`);
    if (e.stderr.trim()) out.push(`stderr: ${trim(e.stderr)}`);
  }
  if (e && UNBOUNDED_WITHOUT_TIMEOUT.has(e.argv[0] ?? '') && !isBounded(e.argv)) {
    out.push(
      `unbounded inside the container: it has neither \`timeout\` nor \`sleep\` (for k8snet's sh watchdog), and ${e.argv[0]} has no working deadline flag of its own; k8snet's exec deadline bounds how long k8snet waits, but the process may keep running in the pod`,
    );
  }
  if (detail) out.push(detail);
  return out;
}

/**
 * Tools k8snet can only bound with `timeout N` or its sh watchdog (probe-command.ts): busybox wget's
 * -T segfaults (busybox-static 1.35, exit 139), busybox nslookup (before the 1.28 rewrite, and
 * without FEATURE_NSLOOKUP_BIG after it) and getent have no timeout flag. curl, dig and nc use their
 * own flags.
 */
const UNBOUNDED_WITHOUT_TIMEOUT = new Set(['wget', 'nslookup', 'getent']);

/** Outcomes that mean "the probe did not tell us anything about the network". */
export function isNotRun(kind: string): boolean {
  return kind === 'tool-missing' || kind === 'exec-failed' || kind === 'crashed' || kind === 'deadline';
}

/** True when the probe could not run because the API server refused pods/exec (403). */
export function execForbidden(p: ProbeFact): boolean {
  return p.exec?.state === 'exec-failed' && p.exec.errorKind === 'forbidden';
}
