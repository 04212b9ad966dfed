// parseConnect over real curl/wget/nc outputs recorded on loopback, plus exec states the API reports.
import { describe, expect, it } from 'vitest';
import type { ConnectOutcomeKind, ExecResult, ProbeFact } from '../../../src/model/probe.js';
import { parseConnect } from '../../../src/probes/index.js';
import { recorded } from './recorded.js';

// fixture, expected kind, expected HTTP status, expected `connected`, detail must match
const CASES: [string, ConnectOutcomeKind, number | undefined, boolean | undefined, RegExp][] = [
  ['curl-http-200', 'ok', 200, true, /exit 0, HTTP 200/],
  ['curl-http-404', 'ok', 404, true, /HTTP 404/],
  ['curl-http-host-header', 'ok', 200, true, /HTTP 200/],
  ['curl-http-refused', 'refused', undefined, false, /exit 7.*Connection refused/],
  ['curl-http-connect-timeout', 'timeout', undefined, false, /exit 28.*before a connection/],
  ['curl-http-no-route', 'no-route', undefined, false, /No route to host.*errno decides/],
  ['curl-http-net-unreachable', 'no-route', undefined, false, /Network is unreachable/],
  ['curl-http-empty-reply', 'reset', undefined, true, /exit 52/],
  ['curl-http-reset', 'reset', undefined, true, /exit 56.*reset/i],
  ['curl-http-nxdomain', 'dns-failure', undefined, false, /exit 6/],
  ['curl-http-ipv6-refused', 'refused', undefined, false, /Connection refused/],
  ['wget-http-200', 'ok', 200, true, /HTTP 200/],
  ['wget-http-404', 'ok', 404, true, /exit 1, -S shows HTTP 404/],
  ['wget-http-refused', 'refused', undefined, false, /Connection refused/],
  ['wget-http-timeout', 'timeout', undefined, undefined, /SIGTERM \(exit 143\)/],
  ['wget-http-timeout-coreutils', 'timeout', undefined, undefined, /exit 124/],
  ['wget-http-no-route', 'no-route', undefined, false, /No route to host/],
  ['wget-http-nxdomain', 'dns-failure', undefined, false, /bad address/],
  ['wget-http-empty-reply', 'reset', undefined, true, /error getting response.*closed/],
  ['wget-http-reset', 'reset', undefined, true, /reset/],
  ['wget-http-no-timeout-tool-200', 'ok', 200, true, /HTTP 200/],
  // no `timeout` in the container: k8snet's sh watchdog (busybox sh) bounds wget, statuses pass through
  ['wget-http-watchdog-200', 'ok', 200, true, /HTTP 200/],
  ['wget-http-watchdog-404', 'ok', 404, true, /exit 1, -S shows HTTP 404/],
  ['wget-http-watchdog-timeout', 'timeout', undefined, undefined, /watchdog killed wget after 2 s \(exit 124\)/],
  ['wget-http-watchdog-silent', 'timeout', undefined, undefined, /watchdog killed wget after 2 s \(exit 124\)/],
  ['wget-T-segfault', 'crashed', undefined, undefined, /SIGSEGV \(exit 139\)/],
  ['wget-gnu-http-404', 'ok', 404, true, /exit 8, -S shows HTTP 404/],
  ['nc-tcp-open', 'ok', undefined, true, /handshake completed/],
  ['nc-tcp-refused', 'refused', undefined, false, /Connection refused/],
  ['nc-tcp-timeout', 'timeout', undefined, false, /timed out/],
  ['nc-tcp-no-route', 'no-route', undefined, false, /No route to host/],
  ['nc-busybox-debian-no-z', 'tool-missing', undefined, undefined, /invalid option/],
  ['curl-tcp-open', 'ok', undefined, true, /exit 28 after connecting/],
  ['curl-tcp-refused', 'refused', undefined, false, /Connection refused/],
  ['curl-tcp-timeout', 'timeout', undefined, false, /before a connection/],
  ['wget-tcp-closed-after-connect', 'ok', undefined, true, /accepted the connection/],
  ['wget-tcp-refused', 'refused', undefined, false, /Connection refused/],
  // transport (connect-only) probes: busybox nc -e true and bash /dev/tcp
  ['ncexec-tcp-silent', 'ok', undefined, true, /nc -e true exit 0/],
  ['ncexec-tcp-greeting', 'ok', undefined, true, /handshake completed/],
  ['ncexec-tcp-refused', 'refused', undefined, false, /Connection refused/],
  ['ncexec-tcp-timeout', 'timeout', undefined, false, /timed out/],
  ['ncexec-tcp-no-route', 'no-route', undefined, false, /No route to host/],
  ['bash-tcp-silent', 'ok', undefined, true, /bash \/dev\/tcp exit 0/],
  ['bash-tcp-refused', 'refused', undefined, false, /Connection refused/],
  ['bash-tcp-timeout', 'timeout', undefined, false, /exit 124/],
  ['bash-tcp-no-route', 'no-route', undefined, false, /No route to host/],
  ['curl-tcp-silent', 'ok', undefined, true, /exit 28 after connecting/],
  ['curl-tcp-greeting', 'ok', undefined, true, /exit 28 after connecting/],
  // HTTP to servers that do not speak HTTP: connected, never "dropped"
  ['curl-http-silent', 'timeout', undefined, true, /after connecting/],
  ['curl-http-greeting', 'error', undefined, true, /exit 1/],
  ['wget-http-silent', 'timeout', undefined, undefined, /exit 143/],
  ['wget-http-greeting', 'timeout', undefined, true, /220 probe-test ESMTP ready.*connection works/],
  ['curl-https-200', 'ok', 200, true, /HTTP 200/],
  ['curl-https-tls-silent', 'timeout', undefined, true, /after connecting/],
  ['curl-https-plain-silent', 'timeout', undefined, true, /after connecting/],
  ['curl-https-not-tls', 'error', undefined, true, /exit 35/],
  ['wget-https-200', 'ok', 200, true, /HTTP 200/],
  ['curl-h2c-200', 'ok', 200, true, /HTTP 200/],
  ['curl-http-to-h2c', 'error', undefined, true, /exit 1/],
];

describe('parseConnect reads the TLS handshake from curl time_appconnect', () => {
  it.each([
    ['curl-https-200', true],
    ['curl-https-tls-silent', true],
    ['curl-https-plain-silent', false],
    ['curl-https-not-tls', false],
  ] as const)('%s -> tlsHandshake %s', (name, tls) => {
    expect(parseConnect(recorded(name).probe).tlsHandshake).toBe(tls);
  });
});

describe('parseConnect on recorded tool output', () => {
  it.each(CASES)('%s -> %s', (name, kind, httpStatus, connected, detail) => {
    const out = parseConnect(recorded(name).probe);
    expect(out.kind).toBe(kind);
    expect(out.httpStatus).toBe(httpStatus);
    expect(out.connected).toBe(connected);
    expect(out.detail).toMatch(detail);
  });
});

function withExec(name: string, patch: Partial<ExecResult>): ProbeFact {
  const p = recorded(name).probe;
  return { ...p, exec: { ...p.exec!, ...patch } };
}

// exec-level states come from the exec API, not the tool: same rules for every tool
const EXEC_CASES: [string, ProbeFact, ConnectOutcomeKind, RegExp][] = [
  ['no tool', { ...recorded('curl-http-200').probe, tool: null, exec: undefined }, 'tool-missing', /no tool/],
  [
    'binary not found',
    withExec('curl-http-200', {
      state: 'exec-failed',
      exitCode: null,
      errorKind: 'not-found-binary',
      error: 'exec: "curl": executable file not found in $PATH',
    }),
    'tool-missing',
    /executable file not found/,
  ],
  [
    'forbidden',
    withExec('curl-http-200', { state: 'exec-failed', exitCode: null, errorKind: 'forbidden', error: 'pods/exec is forbidden' }),
    'exec-failed',
    /forbidden/,
  ],
  ['k8snet deadline', withExec('nc-tcp-open', { state: 'timeout', exitCode: null, elapsedMs: 10000 }), 'deadline', /could not tell.*10000 ms/], // issue 16 item 5: unknown, not a network timeout
  [
    'exit 127 from a shell',
    withExec('wget-http-200', { exitCode: 127, stdout: '', stderr: "timeout: can't execute 'wget': No such file or directory" }),
    'tool-missing',
    /exit 127/,
  ],
  ['SIGKILL without timeout wrapper (OOM)', withExec('curl-http-200', { exitCode: 137 }), 'crashed', /SIGKILL/],
  ['SIGABRT', withExec('nc-tcp-open', { exitCode: 134 }), 'crashed', /SIGABRT/],
  ['completed without exit code', withExec('curl-http-200', { exitCode: null }), 'error', /no exit code/],
  ['curl exit 7 with no errno in stderr', withExec('curl-http-refused', { stderr: 'curl: (7) Failed to connect' }), 'error', /names no reason/],
  [
    'curl exit 35 TLS',
    withExec('curl-http-200', { exitCode: 35, stdout: '000 1', stderr: 'curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL' }),
    'error',
    /TLS handshake failed/,
  ],
];

describe('parseConnect on exec states', () => {
  it.each(EXEC_CASES)('%s', (_name, probe, kind, detail) => {
    const out = parseConnect(probe);
    expect(out.kind).toBe(kind);
    expect(out.detail).toMatch(detail);
  });
});
