// Builds the HTTP probe command: curl when present, else wget (busybox-safe flags), else null.
import type { ProbeTarget, ToolSet } from '../model/probe.js';
import { has, withTimeout, type ProbeCommand } from './probe-command.js';
import { urlHost, validateHost, validateHostHeader, validatePath, validatePort, validateTimeout } from './validate-target.js';

/** curl's -w output for every connect probe: "<http_code> <num_connects>", e.g. "404 1" or "000 0". */
export const CURL_WRITE_OUT = '%{http_code} %{num_connects}';
/** HTTPS probes add the TLS handshake time: "<http_code> <num_connects> <time_appconnect>"; > 0 = handshake done. */
export const CURL_WRITE_OUT_TLS = '%{http_code} %{num_connects} %{time_appconnect}';
/** The large-response probe adds the body bytes that arrived: "<http_code> <num_connects> size=<size_download>". */
export const CURL_WRITE_OUT_SIZE = '%{http_code} %{num_connects} size=%{size_download}';

/**
 * curl: exact exit codes, `-v` so stderr names the errno ("Connection refused" vs "No route to host":
 * both are exit 7), `-g` so brackets in IPv6 hosts and paths are not globbed, `--noproxy *` so a
 * proxy in the container's env does not stand in for the path under test.
 * wget: busybox `-T` segfaults (busybox-static 1.35, exit 139), so the deadline comes from `timeout N`
 * when present; `-S` prints the status line to stderr, the only place busybox reports it (it exits 1 for
 * any error, including HTTP 404). `-Y off` disables proxies.
 */
/**
 * scheme https: curl `-k` (k8snet checks that TLS is spoken, not who signed the certificate) and the
 * handshake time in -w; busybox wget `--no-check-certificate`. scheme h2c: curl `--http2-prior-knowledge`
 * (gRPC and h2c servers do not speak HTTP/1.1); wget cannot, so null.
 */
export function buildHttpProbe(tools: ToolSet, target: ProbeTarget, timeoutSec: number): ProbeCommand | null {
  const host = validateHost(target.host);
  const scheme = target.scheme ?? 'http';
  const port = validatePort(target.port, scheme === 'https' ? 443 : 80);
  const path = validatePath(target.path);
  const hostHeader = target.hostHeader === undefined ? undefined : validateHostHeader(target.hostHeader);
  const t = String(validateTimeout(timeoutSec));
  const url = `${scheme === 'https' ? 'https' : 'http'}://${urlHost(host)}:${port}${path}`;
  const pad = padHeader(target.padBytes);
  if (has(tools, 'curl')) {
    const writeOut = scheme === 'https' ? CURL_WRITE_OUT_TLS : target.measureBody ? CURL_WRITE_OUT_SIZE : CURL_WRITE_OUT;
    const argv = ['curl', '-v', '-sS', '-g', '--noproxy', '*', '-o', '/dev/null', '-w', writeOut];
    if (scheme === 'https') argv.push('-k');
    if (scheme === 'h2c') argv.push('--http2-prior-knowledge');
    argv.push('--connect-timeout', t, '--max-time', t);
    if (hostHeader) argv.push('-H', `Host: ${hostHeader}`);
    if (pad) argv.push('-H', pad);
    argv.push(url);
    return { tool: 'curl', argv };
  }
  if (has(tools, 'wget') && scheme !== 'h2c') {
    const argv = ['wget', '-q', '-S', '-Y', 'off', '-O', '/dev/null'];
    if (scheme === 'https') argv.push('--no-check-certificate');
    if (hostHeader) argv.push('--header', `Host: ${hostHeader}`);
    if (pad) argv.push('--header', pad);
    argv.push(url);
    return { tool: 'wget', argv: withTimeout(tools, Number(t), argv) };
  }
  return null;
}

/** Largest padding header: well under the 8 KB per-header limit common servers (nginx, Envoy) enforce. */
export const MAX_PAD_BYTES = 6000;

/**
 * The MTU probe's padding: one header of n bytes ("X-K8snet-Pad: xxx..."), so the request's first
 * TCP segment is full-size and a path that drops large packets never delivers the request.
 */
export function padHeader(n: number | undefined): string | undefined {
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < 64 || n > MAX_PAD_BYTES) throw new RangeError(`pad size ${n} is not an integer in 64..${MAX_PAD_BYTES}`);
  const name = 'X-K8snet-Pad: ';
  return name + 'x'.repeat(n - name.length);
}
