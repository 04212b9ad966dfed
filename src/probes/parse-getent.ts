// Reads a `getent hosts NAME` probe: exit 0 lists "IP name" lines; exit 2 is every kind of "not found".
import type { DnsOutcome, ExecResult } from '../model/probe.js';
import { firstLine } from './exit-status.js';

export function parseGetent(exec: ExecResult): DnsOutcome {
  const code = exec.exitCode;
  if (code === 0) {
    const rows = exec.stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f.length >= 2 && f[0] !== '');
    const addresses = [...new Set(rows.map((f) => f[0]))];
    const names = [...new Set(rows.map((f) => f[1]))];
    if (addresses.length) {
      return {
        kind: 'answer',
        addresses,
        detail: `getent hosts exit 0: ${addresses.join(', ')} as ${names.join(', ')} (libc resolver: /etc/hosts, search list, ndots)`,
      };
    }
    return { kind: 'error', addresses: [], detail: 'getent hosts exit 0 but printed no addresses' };
  }
  if (code === 2) {
    // libc returns the same "not found" for NXDOMAIN, SERVFAIL and an unreachable server.
    return {
      kind: 'not-found',
      addresses: [],
      detail: `getent hosts exit 2 after ${exec.elapsedMs} ms: not found; getent cannot tell NXDOMAIN from SERVFAIL or a timeout (a wait of seconds points at timeouts) — ask dig for the status`,
    };
  }
  const what = code === 1 ? 'missing argument or unknown database' : code === 3 ? 'enumeration not supported' : 'error';
  return { kind: 'error', addresses: [], detail: `getent exit ${code} (${what}): ${firstLine(exec.stderr)}` };
}
