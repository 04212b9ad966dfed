// Builds the HTTP probe command: curl when present, else wget (busybox-safe flags), else null.
import type { ProbeTarget, ToolSet } from '../model/probe.js';
import { has, withTimeout, type ProbeCommand } from './probe-command.js';
import { urlHost, validateHost, validateHostHeader, validatePath, validatePort, validateTimeout } from './validate-target.js';

/** curl's -w output for every connect probe: "<http_code> <num_connects>", e.g. "404 1" or "000 0". */
export const CURL_WRITE_OUT = '%{http_code} %{num_connects}';

/**
 * curl: exact exit codes, `-v` so stderr names the errno ("Connection refused" vs "No route to host":
 * both are exit 7), `-g` so brackets in IPv6 hosts and paths are not globbed, `--noproxy *` so a
 * proxy in the container's env does not stand in for the path under test.
 * wget: busybox `-T` segfaults (busybox-static 1.35, exit 139), so the deadline comes from `timeout N`
 * when present; `-S` prints the status line to stderr, the only place busybox reports it (it exits 1 for
 * any error, including HTTP 404). `-Y off` disables proxies.
 */
export function buildHttpProbe(tools: ToolSet, target: ProbeTarget, timeoutSec: number): ProbeCommand | null {
  const host = validateHost(target.host);
  const port = validatePort(target.port, 80);
  const path = validatePath(target.path);
  const hostHeader = target.hostHeader === undefined ? undefined : validateHostHeader(target.hostHeader);
  const t = String(validateTimeout(timeoutSec));
  const url = `http://${urlHost(host)}:${port}${path}`;
  if (has(tools, 'curl')) {
    const argv = ['curl', '-v', '-sS', '-g', '--noproxy', '*', '-o', '/dev/null', '-w', CURL_WRITE_OUT];
    argv.push('--connect-timeout', t, '--max-time', t);
    if (hostHeader) argv.push('-H', `Host: ${hostHeader}`);
    argv.push(url);
    return { tool: 'curl', argv };
  }
  if (has(tools, 'wget')) {
    const argv = ['wget', '-q', '-S', '-Y', 'off', '-O', '/dev/null'];
    if (hostHeader) argv.push('--header', `Host: ${hostHeader}`);
    argv.push(url);
    return { tool: 'wget', argv: withTimeout(tools, Number(t), argv) };
  }
  return null;
}
