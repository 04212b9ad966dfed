// Builds the transport (connect-only) probe: nc -z, else busybox nc -e true, else bash /dev/tcp, else curl telnet://, else wget.
import type { ProbeTarget, ToolSet } from '../model/probe.js';
import { CURL_WRITE_OUT } from './build-http-probe.js';
import { has, withTimeout, type ProbeCommand } from './probe-command.js';
import { urlHost, validateHost, validatePort, validateTimeout } from './validate-target.js';

/**
 * The fixed script bash runs for a /dev/tcp connect: host and port arrive as $0 and $1 (argv words,
 * never shell text), the redirection opens the connection and the shell exits at once.
 */
export const BASH_CONNECT_SCRIPT = 'exec 3<>"/dev/tcp/$0/$1"';

/**
 * The ladder, best first; every rung but the last only connects and exits, so its outcome is pure
 * transport evidence (connected / refused / timed out / no route) whatever the server speaks:
 * - nc -z (OpenBSD, traditional): returns on the handshake; `-v` names the errno.
 * - busybox nc `-w N HOST PORT -e true` (Debian's busybox nc has no -z): runs `true` on the connected
 *   socket and exits 0; "can't connect ...: <errno>" or "timed out" otherwise (exit 1).
 * - bash /dev/tcp (needs `timeout`: bash has no connect timeout of its own).
 * - curl telnet://: exact exit codes, but it waits for data until --max-time (exit 28 with
 *   num_connects 1 = connected), so an open port costs the whole timeout.
 * - wget (last): an HTTP GET; a reply or a close proves the connection, silence proves nothing.
 */
export function buildTcpProbe(tools: ToolSet, target: ProbeTarget, timeoutSec: number): ProbeCommand | null {
  const host = validateHost(target.host);
  const port = String(validatePort(target.port));
  const t = String(validateTimeout(timeoutSec));
  if (has(tools, 'nc')) {
    return { tool: 'nc', argv: ['nc', '-v', '-z', '-w', t, host, port] };
  }
  if (has(tools, 'ncexec')) {
    return { tool: 'ncexec', argv: ['nc', '-w', t, host, port, '-e', 'true'] };
  }
  if (has(tools, 'bash') && has(tools, 'timeout')) {
    return { tool: 'bash', argv: ['timeout', t, 'bash', '-c', BASH_CONNECT_SCRIPT, host, port] };
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

/** Tools whose probe only connects and exits: a timeout from them means the handshake never completed. */
export const CONNECT_ONLY_TOOLS = ['nc', 'ncexec', 'bash'] as const;
