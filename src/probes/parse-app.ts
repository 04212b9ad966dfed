// Reads an application probe (HTTP, HTTPS/TLS, h2c, DNS) as application evidence: did the server answer what we sent?
import type { ConnectOutcome, DnsOutcome, ProbeFact } from '../model/probe.js';
import { parseConnect } from './parse-connect.js';
import { parseDns } from './parse-dns.js';

/**
 * - answered: the server spoke the protocol (any HTTP status, a completed TLS handshake for `tls`, any DNS rcode)
 * - silent: connected (or, for DNS over UDP, sent) and got nothing back in time
 * - closed: connected, then closed or reset without an answer in the protocol
 * - protocol-error: the server sent something that is not the protocol (HTTP/0.9 garbage, a TLS alert/wrong version)
 * - not-connected: the application probe could not connect (the transport probe is the judge of that)
 * - not-run: no tool here speaks this protocol, or the exec failed
 * - unclear: the tool's output says nothing certain
 */
export type AppOutcomeKind = 'answered' | 'silent' | 'closed' | 'protocol-error' | 'not-connected' | 'not-run' | 'unclear';

export interface AppOutcome {
  kind: AppOutcomeKind;
  /** What answered: "HTTP 404", "TLS handshake", "DNS NXDOMAIN". */
  answer?: string;
  httpStatus?: number;
  /** true when the probe itself shows the TCP handshake completed (so bytes or silence came from the app). */
  connected?: boolean;
  detail: string;
}

const NOT_RUN = new Set(['tool-missing', 'exec-failed', 'crashed', 'deadline']);

export function parseApp(probe: ProbeFact): AppOutcome {
  if (probe.kind === 'dns') return fromDns(parseDns(probe), probe);
  return fromConnect(parseConnect(probe), probe);
}

function fromDns(o: DnsOutcome, probe: ProbeFact): AppOutcome {
  if (NOT_RUN.has(o.kind)) return { kind: 'not-run', detail: o.detail };
  if (['answer', 'nxdomain', 'servfail', 'refused', 'no-answer'].includes(o.kind)) {
    return { kind: 'answered', answer: `DNS ${o.kind === 'answer' ? 'answer' : o.kind.toUpperCase()}`, detail: o.detail };
  }
  if (o.kind === 'timeout') {
    const udp = probe.target.transport !== 'tcp';
    return { kind: 'silent', detail: `${o.detail}${udp ? ' (over UDP, no reply cannot tell a drop from a silent server)' : ''}` };
  }
  return { kind: 'unclear', detail: o.detail };
}

function fromConnect(o: ConnectOutcome, probe: ProbeFact): AppOutcome {
  const scheme = probe.target.scheme ?? 'http';
  const base = { httpStatus: o.httpStatus, connected: o.connected };
  if (NOT_RUN.has(o.kind)) return { kind: 'not-run', ...base, detail: o.detail };
  if (o.kind === 'ok' && o.httpStatus !== undefined) {
    return {
      kind: 'answered',
      ...base,
      answer: `HTTP ${o.httpStatus}${scheme === 'https' ? ' over TLS' : scheme === 'h2c' ? ' over HTTP/2' : ''}`,
      detail: o.detail,
    };
  }
  // a TLS-only port: the handshake is the answer, whatever follows it
  if (probe.app === 'tls' && o.tlsHandshake === true) {
    return {
      kind: 'answered',
      ...base,
      connected: true,
      answer: 'TLS handshake',
      detail: `${o.detail}; the TLS handshake completed (curl time_appconnect > 0)`,
    };
  }
  // busybox wget's own TLS speaks few cipher suites and versions: when it gets no HTTP answer over TLS,
  // that says more about wget than about the server
  if (scheme === 'https' && probe.tool === 'wget') {
    return { kind: 'unclear', ...base, detail: `${o.detail} (busybox wget's built-in TLS supports few ciphers and versions: not evidence against the server)` };
  }
  if (o.kind === 'ok') return { kind: 'closed', ...base, connected: true, detail: `${o.detail}; no HTTP status line came back` };
  if (o.received) return { kind: 'protocol-error', ...base, detail: `${o.detail}` };
  if (o.kind === 'timeout') {
    if (o.connected === true) return { kind: 'silent', ...base, detail: o.detail };
    if (o.connected === false) return { kind: 'not-connected', ...base, detail: o.detail };
    return { kind: 'unclear', ...base, detail: `${o.detail} (the tool cannot say whether it connected)` };
  }
  if (o.kind === 'reset') return { kind: 'closed', ...base, detail: o.detail };
  if (o.kind === 'refused' || o.kind === 'no-route' || o.kind === 'dns-failure') return { kind: 'not-connected', ...base, detail: o.detail };
  if (o.connected === true) return { kind: 'protocol-error', ...base, detail: o.detail };
  return { kind: 'unclear', ...base, detail: o.detail };
}
