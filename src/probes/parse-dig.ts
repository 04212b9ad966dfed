// Reads a dig probe: exit 9 = no reply, 10 = internal error; otherwise the header status and ANSWER records.
import type { DnsOutcome, ExecResult, ProbeTarget } from '../model/probe.js';
import { firstLine } from './exit-status.js';

export function parseDig(exec: ExecResult, target: ProbeTarget): DnsOutcome {
  const code = exec.exitCode;
  const server = /^;; SERVER: ([^#\s]+)/m.exec(exec.stdout)?.[1];
  if (code === 9) {
    return { kind: 'timeout', addresses: [], server, detail: `dig exit 9: no reply from the server (${firstLine(exec.stdout + '\n' + exec.stderr)})` };
  }
  if (code !== 0) {
    const what = code === 10 ? 'internal error' : code === 1 ? 'usage error' : code === 8 ? 'could not open batch file' : 'error';
    return { kind: 'error', addresses: [], server, detail: `dig exit ${code} (${what}): ${firstLine(exec.stderr || exec.stdout)}` };
  }
  const statuses = [...exec.stdout.matchAll(/->>HEADER<<- opcode: \w+, status: ([A-Z]+)/g)].map((m) => m[1]);
  const status = statuses.at(-1);
  if (!status) return { kind: 'error', addresses: [], server, detail: 'dig exit 0 but no header status in its output' };
  const type = target.recordType ?? 'A';
  const addresses = answerRecords(exec.stdout)
    .filter((r) => r.type === type)
    .map((r) => r.data);
  const asked = /^;; QUESTION SECTION:\n;(\S+)/m.exec(exec.stdout)?.[1] ?? target.host;
  const base = `dig status ${status} for ${asked.replace(/\.$/, '')}${server ? ` from ${server}` : ''}`;
  switch (status) {
    case 'NOERROR':
      return addresses.length
        ? { kind: 'answer', addresses, server, detail: `${base}: ${type} ${addresses.join(', ')}` }
        : { kind: 'no-answer', addresses, server, detail: `${base} but no ${type} records (the name exists without this type)` };
    case 'NXDOMAIN':
      return { kind: 'nxdomain', addresses, server, detail: `${base}: the name does not exist` };
    case 'SERVFAIL':
      return { kind: 'servfail', addresses, server, detail: `${base}: the server could not answer (upstream or plugin failure)` };
    case 'REFUSED':
      return { kind: 'refused', addresses, server, detail: `${base}: the server refused the query` };
    default:
      return { kind: 'error', addresses, server, detail: base };
  }
}

/** A/AAAA/CNAME records between ";; ANSWER SECTION:" and the next blank line. */
function answerRecords(stdout: string): { name: string; type: string; data: string }[] {
  // the section runs to the next blank line (a CNAME chain puts the target's A record on a later line;
  // a multiline `$` here used to stop at the first record)
  const start = stdout.indexOf(';; ANSWER SECTION:\n');
  if (start < 0) return [];
  const rest = stdout.slice(start + ';; ANSWER SECTION:\n'.length);
  const end = rest.indexOf('\n\n');
  return (end < 0 ? rest : rest.slice(0, end))
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 5)
    .map((f) => ({ name: f[0], type: f[3], data: f[4] }));
}
