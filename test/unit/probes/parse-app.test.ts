// parseApp: application probes read as application evidence, on recorded real tool output (issue 15).
import { describe, expect, it } from 'vitest';
import type { ProbeFact } from '../../../src/model/probe.js';
import { parseApp, type AppOutcomeKind } from '../../../src/probes/index.js';
import { recorded } from './recorded.js';

const as = (name: string, app: ProbeFact['app']): ProbeFact => ({ ...recorded(name).probe, role: 'app', app });

// fixture, protocol spoken, expected application outcome, answer text (when answered)
const CASES: [string, ProbeFact['app'], AppOutcomeKind, string | undefined][] = [
  ['curl-http-200', 'http', 'answered', 'HTTP 200'],
  ['curl-http-404', 'http', 'answered', 'HTTP 404'],
  ['wget-http-404', 'http', 'answered', 'HTTP 404'],
  // an HTTP GET to a client-first database port: connected, then silence = the app did not answer
  ['curl-http-silent', 'http', 'silent', undefined],
  // busybox wget cannot say whether it connected: unclear, never "dropped"
  ['wget-http-silent', 'http', 'unclear', undefined],
  // a server-first protocol answers with its greeting: bytes came back
  ['curl-http-greeting', 'http', 'protocol-error', undefined],
  ['wget-http-greeting', 'http', 'protocol-error', undefined],
  ['curl-http-empty-reply', 'http', 'closed', undefined],
  ['curl-http-reset', 'http', 'closed', undefined],
  ['curl-http-refused', 'http', 'not-connected', undefined],
  ['curl-http-connect-timeout', 'http', 'not-connected', undefined],
  ['curl-https-200', 'https', 'answered', 'HTTP 200 over TLS'],
  ['wget-https-200', 'https', 'answered', 'HTTP 200 over TLS'],
  ['curl-https-tls-silent', 'tls', 'answered', 'TLS handshake'],
  ['curl-https-tls-silent', 'https', 'silent', undefined],
  ['curl-https-plain-silent', 'tls', 'silent', undefined],
  ['curl-https-not-tls', 'tls', 'protocol-error', undefined],
  ['wget-https-tls-silent', 'https', 'unclear', undefined],
  ['curl-h2c-200', 'h2c', 'answered', 'HTTP 200 over HTTP/2'],
  ['curl-http-to-h2c', 'http', 'protocol-error', undefined],
  ['dig-answer', 'dns', 'answered', 'DNS answer'],
  ['dig-nxdomain', 'dns', 'answered', 'DNS NXDOMAIN'],
  ['dig-servfail', 'dns', 'answered', 'DNS SERVFAIL'],
  ['nslookup-refused', 'dns', 'answered', 'DNS REFUSED'],
  ['dig-timeout', 'dns', 'silent', undefined],
  ['nslookup-timeout', 'dns', 'silent', undefined],
];

describe('parseApp on recorded tool output', () => {
  it.each(CASES)('%s as %s -> %s', (name, app, kind, answer) => {
    const out = parseApp(as(name, app));
    expect(out.kind).toBe(kind);
    expect(out.answer).toBe(answer);
    expect(out.detail.length).toBeGreaterThan(0);
  });

  it('a probe that could not run is not-run', () => {
    expect(parseApp({ ...as('curl-http-200', 'http'), tool: null, exec: undefined }).kind).toBe('not-run');
  });
});

describe('dig answers with a CNAME chain (recorded in the lab: an ExternalName alias)', () => {
  it('reads the A record after the CNAME line', async () => {
    const { parseDns } = await import('../../../src/probes/index.js');
    const out = parseDns(recorded('lab-dig-cname-chain').probe);
    expect(out.kind).toBe('answer');
    expect(out.addresses).toHaveLength(1);
  });
});
