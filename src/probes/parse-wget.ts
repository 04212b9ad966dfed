// Reads a wget probe. Fallback only: busybox wget exits 1 for every failure, so its stderr text is all there is.
import type { ConnectOutcome, ExecResult } from '../model/probe.js';
import { errnoOutcome, firstLine } from './exit-status.js';

/**
 * Busybox wget prints the status line under -S ("  HTTP/1.1 404 Not Found") and exits 1 for HTTP >= 400,
 * refused, unreachable, bad address and resets alike; GNU wget uses exit 4 (network) and 8 (HTTP error).
 * So the message decides: the first status line (before redirects) means a working connection.
 */
export function parseWget(exec: ExecResult, kind: 'http' | 'tcp'): ConnectOutcome {
  const code = exec.exitCode;
  const text = `${exec.stderr}\n${exec.stdout}`;
  const status = /^\s*HTTP\/\d(?:\.\d)?\s+(\d{3})\b/m.exec(text);
  if (status) {
    const httpStatus = Number(status[1]);
    return {
      kind: 'ok',
      httpStatus,
      connected: true,
      detail: `wget exit ${code}, -S shows HTTP ${httpStatus}: the connection works (wget exits non-zero for HTTP >= 400)`,
    };
  }
  if (code === 0) return { kind: 'ok', connected: true, detail: 'wget exit 0 (no status line seen)' };
  const msg = firstLine(exec.stderr);
  if (/bad address|unable to resolve|name or service not known|temporary failure in name resolution/i.test(text)) {
    return { kind: 'dns-failure', connected: false, detail: `wget exit ${code}: "${msg}" (read from stderr; wget's exit code is shared)` };
  }
  if (/error getting response|connection closed|server closed/i.test(text)) {
    const reset = errnoOutcome(text) === 'reset';
    if (kind === 'tcp') {
      return { kind: 'ok', connected: true, detail: `wget exit ${code}: "${msg}": the port accepted the connection (not an HTTP server, or it closed)` };
    }
    return {
      kind: 'reset',
      connected: true,
      detail: `wget exit ${code}: "${msg}": connected, then the server ${reset ? 'reset' : 'closed'} the connection without an HTTP response`,
    };
  }
  const errno = errnoOutcome(text);
  if (errno === 'refused' || errno === 'no-route' || errno === 'timeout' || errno === 'reset') {
    return { kind: errno, connected: errno === 'reset' ? true : false, detail: `wget exit ${code}: "${msg}" (read from stderr; wget's exit code is shared)` };
  }
  return { kind: 'error', detail: `wget exit ${code}: ${msg}` };
}
