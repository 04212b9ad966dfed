// Reads an nslookup probe (busybox >= 1.28, busybox < 1.28, bind) from its answer blocks, never its exit code.
import type { DnsOutcome, ExecResult, ProbeTarget } from '../model/probe.js';
import { bareName, isAskedName, ofType } from './dns-names.js';

/**
 * Busybox nslookup exits 1 when any search-domain query fails, even though the name resolved
 * (gridctl/gridctl#1092, ANCHORS 16): "web" resolves as web.default.svc.cluster.local and then
 * "can't find web.svc.cluster.local: NXDOMAIN" sets the exit code. So: addresses owned by the name asked
 * (or the name plus a search suffix, or a CNAME target of those) decide; failures are read only for those names.
 */
export function parseNslookup(exec: ExecResult, target: ProbeTarget): DnsOutcome {
  const text = `${exec.stdout}\n${exec.stderr}`;
  const lines = text.split(/\r?\n/);
  const type = target.recordType ?? 'A';
  let server: string | undefined;
  let current: string | undefined;
  const owned = new Map<string, string[]>();
  const cnames = new Map<string, string>();
  const failures = new Map<string, string>();
  for (const raw of lines) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if (server === undefined && (m = /^Server:\s*(\S+)/.exec(line))) server = m[1];
    else if ((m = /^Name:\s*(\S+)/.exec(line))) current = bareName(m[1]);
    else if (current && (m = /^Address(?:\s+\d+)?:\s*([0-9A-Fa-f:.]+)/.exec(line))) {
      owned.set(current, [...(owned.get(current) ?? []), m[1]]);
    } else if ((m = /^(\S+)\s+canonical name = (\S+)$/.exec(line))) cnames.set(bareName(m[1]), bareName(m[2]));
    else if ((m = /can't find ([^:\s]+): (.+)$/i.exec(line))) failures.set(bareName(m[1]), m[2].trim());
    else if ((m = /can't resolve '([^']+)'/i.exec(line))) failures.set(bareName(m[1]), 'unresolved');
  }
  const asked = [...new Set([...owned.keys(), ...failures.keys(), ...cnames.keys()])].filter((n) => isAskedName(target.host, n));
  if (asked.length === 0 && !target.host.endsWith('.')) asked.push(bareName(target.host));
  // Follow CNAMEs from the names asked.
  const names = new Set(asked);
  for (const n of [...names]) {
    let c = cnames.get(n);
    while (c && !names.has(c)) {
      names.add(c);
      c = cnames.get(c);
    }
  }
  const addresses = ofType(
    [...names].flatMap((n) => owned.get(n) ?? []),
    type,
  );
  const exitNote = exec.exitCode === 0 ? 'exit 0' : `exit ${exec.exitCode} ignored: busybox exits non-zero when any search domain fails`;
  if (addresses.length) {
    const owner = [...names].find((n) => (owned.get(n) ?? []).some((a) => addresses.includes(a)));
    return { kind: 'answer', addresses, server, detail: `nslookup answered ${owner}: ${type} ${addresses.join(', ')} (${exitNote})` };
  }
  if (/connection timed out|no servers could be reached/i.test(text)) {
    return { kind: 'timeout', addresses, server, detail: 'nslookup: connection timed out; no servers could be reached' };
  }
  const seen = [...names].map((n) => [n, failures.get(n)] as const).filter((e): e is readonly [string, string] => e[1] !== undefined);
  const list = seen.map(([n, s]) => `${n}: ${s}`).join('; ');
  const any = (re: RegExp) => seen.some(([, s]) => re.test(s));
  if (any(/SERVFAIL/i)) return { kind: 'servfail', addresses, server, detail: `nslookup: ${list}` };
  if (any(/REFUSED/i)) return { kind: 'refused', addresses, server, detail: `nslookup: ${list}` };
  if (seen.length && seen.every(([, s]) => /NXDOMAIN/i.test(s))) {
    return { kind: 'nxdomain', addresses, server, detail: `nslookup: ${list}` };
  }
  if (any(/unresolved/)) {
    return { kind: 'not-found', addresses, server, detail: `nslookup (busybox < 1.28) says only "can't resolve": NXDOMAIN, SERVFAIL and timeout look alike` };
  }
  if (any(/no answer/i) || exec.exitCode === 0) {
    return { kind: 'no-answer', addresses, server, detail: `nslookup found no ${type} records for ${target.host} (${list || exitNote})` };
  }
  return { kind: 'error', addresses, server, detail: `nslookup exit ${exec.exitCode} without an answer or a known error for ${target.host}` };
}
