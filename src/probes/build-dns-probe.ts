// Builds the DNS probe command: dig, else getent hosts (pod resolver only), else nslookup; null when none fits.
import type { ProbeTarget, ToolSet } from '../model/probe.js';
import { has, withTimeout, type ProbeCommand } from './probe-command.js';
import { validateHost, validatePort, validateTimeout } from './validate-target.js';

/**
 * The name is resolved through the pod's search list (as the application would) unless it ends with
 * a dot; pass "name.svc.cluster.local." to ask for exactly that name.
 * - dig: header status tells NXDOMAIN/SERVFAIL/REFUSED apart, exit 9 is "no reply"; `+search` for
 *   names without a trailing dot; the only tool here that can query over TCP (`+tcp`).
 * - getent hosts: libc's own path (/etc/hosts, search list, ndots) but cannot name a server, cannot ask
 *   for AAAA reliably (glibc tries AF_INET6 first) and exits 2 for every failure.
 * - nslookup (busybox): fallback; no TCP, no timeout flag (wrapped in `timeout`), exit code unreliable
 *   with search domains (ANCHORS 16). With an explicit server busybox does not apply the search list.
 */
export function buildDnsProbe(tools: ToolSet, target: ProbeTarget, timeoutSec: number): ProbeCommand | null {
  const name = validateHost(target.host);
  const server = target.server === undefined ? undefined : validateHost(target.server, 'server');
  const t = validateTimeout(timeoutSec);
  const type = target.recordType ?? 'A';
  const tcp = target.transport === 'tcp';
  const search = !name.endsWith('.');
  // a DNS server on another port than 53 (a Service port that speaks DNS): dig -p only
  const port = target.port === undefined || target.port === 53 ? undefined : validatePort(target.port);
  if (has(tools, 'dig')) {
    const argv = ['dig', `+time=${t}`, '+tries=1'];
    if (tcp) argv.push('+tcp');
    if (search) argv.push('+search');
    if (server) argv.push(`@${server}`);
    if (port !== undefined) argv.push('-p', String(port));
    argv.push(name, type);
    return { tool: 'dig', argv };
  }
  if (tcp || port !== undefined) return null; // busybox nslookup and getent have no TCP mode and no port option
  if (!server && type === 'A' && has(tools, 'getent')) {
    return { tool: 'getent', argv: withTimeout(tools, t, ['getent', 'hosts', name]) };
  }
  if (has(tools, 'nslookup')) {
    // Older busybox (<1.28) rejects -type=; A is the default, so pass it only for AAAA.
    const argv = ['nslookup', ...(type === 'AAAA' ? ['-type=aaaa'] : []), name, ...(server ? [server] : [])];
    return { tool: 'nslookup', argv: withTimeout(tools, t, argv) };
  }
  return null;
}
