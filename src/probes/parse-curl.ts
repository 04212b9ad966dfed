// Reads a curl probe (http:// or telnet://) from curl's exit code, its -w line and, for exit 7, its -v stderr.
import type { ConnectOutcome, ExecResult } from '../model/probe.js';
import { errnoOutcome, firstLine } from './exit-status.js';

/** Parses stdout "<http_code> <num_connects>[ <time_appconnect>| size=<bytes>]" written by CURL_WRITE_OUT(_TLS|_SIZE). */
function writeOut(stdout: string): { httpStatus?: number; connects?: number; tls?: boolean; bodyBytes?: number } {
  const m = /(\d{3}) (\d+)(?: (\d+(?:\.\d+)?)| size=(\d+))?\s*$/.exec(stdout.trim());
  if (!m) return {};
  const code = Number(m[1]);
  return {
    httpStatus: code === 0 ? undefined : code,
    connects: Number(m[2]),
    tls: m[3] === undefined ? undefined : Number(m[3]) > 0,
    bodyBytes: m[4] === undefined ? undefined : Number(m[4]),
  };
}

/** Names for curl exit codes (cilium-cli names the same ones). */
const CURL_EXIT: Record<number, string> = {
  1: 'unsupported protocol',
  3: 'malformed URL',
  5: 'could not resolve proxy',
  6: 'could not resolve host',
  7: 'failed to connect',
  28: 'timed out',
  35: 'TLS handshake failed',
  47: 'too many redirects',
  52: 'empty reply from server',
  56: 'failure receiving data',
  60: 'TLS certificate not trusted',
};

export function parseCurl(exec: ExecResult, kind: 'http' | 'tcp'): ConnectOutcome {
  const o = parseCurlOutcome(exec, kind);
  const { tls, bodyBytes } = writeOut(exec.stdout);
  if (tls !== undefined) o.tlsHandshake = tls;
  if (bodyBytes !== undefined) o.bodyBytes = bodyBytes;
  return o;
}

function parseCurlOutcome(exec: ExecResult, kind: 'http' | 'tcp'): ConnectOutcome {
  const code = exec.exitCode ?? -1;
  const { httpStatus, connects } = writeOut(exec.stdout);
  const connected = connects !== undefined ? connects > 0 : undefined;
  const name = CURL_EXIT[code] ?? 'see stderr';
  const stderrLine = curlErrorLine(exec.stderr);
  switch (code) {
    case 0:
      if (httpStatus !== undefined) {
        return { kind: 'ok', httpStatus, connected: true, detail: `curl exit 0, HTTP ${httpStatus}: the connection works (any status counts)` };
      }
      return { kind: 'ok', connected: true, detail: 'curl exit 0: connected, and the server closed the connection' };
    case 6:
      return { kind: 'dns-failure', connected: false, detail: `curl exit 6 (could not resolve host): ${stderrLine}` };
    case 7: {
      // Exit 7 covers refused, unreachable and kernel connect timeouts; only -v stderr names the errno.
      const errno = /connect to .* failed: (.*)$/im.exec(exec.stderr)?.[1]?.trim();
      const why = errnoOutcome(errno ?? '');
      if (why === 'refused' || why === 'no-route' || why === 'timeout') {
        return { kind: why, connected: false, detail: `curl exit 7 (failed to connect); -v stderr says "${errno}" (exit 7 is shared, the errno decides)` };
      }
      return { kind: 'error', connected: false, detail: `curl exit 7 (failed to connect) and stderr names no reason: ${stderrLine}` };
    }
    case 28:
      if (kind === 'tcp' && connected) {
        return {
          kind: 'ok',
          connected: true,
          detail: 'curl exit 28 after connecting: the port accepted the connection and sent nothing before --max-time (normal for client-first protocols)',
        };
      }
      if (connected) {
        return {
          kind: 'timeout',
          connected: true,
          detail: 'curl exit 28 (timed out) after connecting: the server accepted the connection but sent no HTTP response in time',
        };
      }
      return { kind: 'timeout', connected: false, detail: `curl exit 28 (timed out) before a connection was made: ${stderrLine}` };
    case 52:
      return { kind: 'reset', connected: true, detail: 'curl exit 52 (empty reply): the server accepted the connection and closed it without a response' };
    case 56:
      return {
        kind: errnoOutcome(exec.stderr) === 'reset' ? 'reset' : 'error',
        connected: connected ?? true,
        detail: `curl exit 56 (failure receiving data): ${stderrLine}`,
      };
    case 35:
    case 60:
      return { kind: 'error', connected: true, detail: `curl exit ${code} (${name}): ${stderrLine}` };
    default:
      return { kind: 'error', httpStatus, connected, detail: `curl exit ${code} (${name}): ${stderrLine}` };
  }
}

/** The "curl: (N) ..." line, else the first stderr line. */
function curlErrorLine(stderr: string): string {
  return (
    /^curl: \(\d+\).*$/m.exec(stderr)?.[0] ??
    firstLine(
      stderr
        .split('\n')
        .filter((l) => !/^[*<>{}]/.test(l))
        .join('\n'),
    )
  );
}
