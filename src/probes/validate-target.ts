// Validation of everything user-supplied that ends up in a probe's argv (host, port, path, headers).
import { isIP, isIPv6 } from '../util/ip.js';
import { ProbeInputError } from './probe-input-error.js';

const LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`);
// Printable ASCII except space, quotes, backtick, backslash, angle brackets and '#'.
const PATH_CHARS = /^\/[!$%&()*+,\-./0-9:;=?@A-Z[\]^_a-z{|}~]*$/;

/** Host to connect to or name to resolve: an IP literal or an RFC 1123 name; never starts with '-'. */
export function validateHost(host: string, field: 'host' | 'server' = 'host'): string {
  if (typeof host !== 'string' || host.length === 0) throw new ProbeInputError(field, host, 'is empty');
  if (isIP(host) !== 0) return host;
  if (field === 'server') throw new ProbeInputError(field, host, 'is not an IP address (a DNS server must be an IP)');
  if (host.length > 254 || !HOSTNAME.test(host)) {
    throw new ProbeInputError(field, host, 'is not an IP address or a DNS name (letters, digits, "-", "_", "." only)');
  }
  return host;
}

export function validatePort(port: number | undefined, fallback?: number): number {
  const p = port ?? fallback;
  if (p === undefined) throw new ProbeInputError('port', port, 'is required for this probe');
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new ProbeInputError('port', p, 'is not a port in 1-65535');
  return p;
}

/** URL path (with optional query): must start with "/", no spaces, quotes, backslashes or control characters. */
export function validatePath(path: string | undefined): string {
  const p = path ?? '/';
  if (p.length > 2048 || !PATH_CHARS.test(p)) {
    throw new ProbeInputError('path', p, 'must start with "/" and hold only printable ASCII without spaces, quotes, backslashes or "#"');
  }
  return p;
}

/** Host header value: a name or IP, optionally with ":port"; IPv6 in brackets. */
export function validateHostHeader(value: string): string {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value);
  if (m) {
    const h = m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
    const okHost = m[1].startsWith('[') ? isIPv6(h) : isIP(h) === 4 || (HOSTNAME.test(h) && h.length <= 254);
    const okPort = m[2] === undefined || (Number(m[2]) >= 1 && Number(m[2]) <= 65535);
    if (okHost && okPort) return value;
  }
  throw new ProbeInputError('hostHeader', value, 'is not a host name or IP with an optional :port');
}

/** The longest probe timeout; --probe-timeout is refused above it where the flag is parsed. */
export const MAX_PROBE_TIMEOUT_SEC = 600;

export function validateTimeout(timeoutSec: number): number {
  if (!Number.isInteger(timeoutSec) || timeoutSec < 1 || timeoutSec > MAX_PROBE_TIMEOUT_SEC) {
    throw new ProbeInputError('timeoutSec', timeoutSec, `is not a whole number of seconds in 1-${MAX_PROBE_TIMEOUT_SEC}`);
  }
  return timeoutSec;
}

/** Host as it goes into a URL: IPv6 literals in brackets. */
export function urlHost(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}
