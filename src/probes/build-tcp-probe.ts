// Builds the TCP connect probe command: nc -z, else curl telnet://, else wget; null when none exists.
import type { ProbeTarget, ToolSet } from '../model/probe.js';
import { CURL_WRITE_OUT } from './build-http-probe.js';
import { has, withTimeout, type ProbeCommand } from './probe-command.js';
import { urlHost, validateHost, validatePort, validateTimeout } from './validate-target.js';

/**
 * nc first: `-z` returns as soon as the handshake completes, and `-v` makes it name the errno.
 * Debian's busybox build has no -z/-v (it prints usage); the parser reads that as tool-missing, and a
 * caller can rebuild with `{ ...tools, nc: false }`.
 * curl telnet:// next: precise exit codes, but on success it waits for data until --max-time
 * (exit 28 with num_connects=1), so an open port costs the whole timeout.
 * wget last: an HTTP GET to the port; any reply, even garbage or a close, proves the connection.
 */
export function buildTcpProbe(tools: ToolSet, target: ProbeTarget, timeoutSec: number): ProbeCommand | null {
  const host = validateHost(target.host);
  const port = String(validatePort(target.port));
  const t = String(validateTimeout(timeoutSec));
  if (has(tools, 'nc')) {
    return { tool: 'nc', argv: ['nc', '-v', '-z', '-w', t, host, port] };
  }
  if (has(tools, 'curl')) {
    const argv = ['curl', '-v', '-sS', '-g', '--noproxy', '*', '-o', '/dev/null', '-w', CURL_WRITE_OUT];
    argv.push('--connect-timeout', t, '--max-time', t, `telnet://${urlHost(host)}:${port}`);
    return { tool: 'curl', argv };
  }
  if (has(tools, 'wget')) {
    const argv = ['wget', '-q', '-S', '-Y', 'off', '-O', '/dev/null', `http://${urlHost(host)}:${port}/`];
    return { tool: 'wget', argv: withTimeout(tools, Number(t), argv) };
  }
  return null;
}
