// parseDns over real dig/busybox nslookup/getent outputs recorded against dns-server.mjs in a private netns.
import { describe, expect, it } from 'vitest';
import type { DnsOutcomeKind } from '../../../src/model/probe.js';
import { parseDns } from '../../../src/probes/index.js';
import { recorded } from './recorded.js';

// fixture, expected kind, expected addresses, detail must match
const CASES: [string, DnsOutcomeKind, string[], RegExp][] = [
  ['dig-answer', 'answer', ['127.0.0.10'], /NOERROR.*from 127\.0\.0\.1/],
  ['dig-nxdomain', 'nxdomain', [], /NXDOMAIN/],
  ['dig-servfail', 'servfail', [], /SERVFAIL/],
  ['dig-refused', 'refused', [], /REFUSED/],
  ['dig-timeout', 'timeout', [], /exit 9/],
  ['dig-aaaa-no-answer', 'no-answer', [], /no AAAA records/],
  ['dig-tcp-answer', 'answer', ['127.0.0.10'], /NOERROR/],
  ['dig-tcp-timeout', 'timeout', [], /exit 9/],
  ['dig-search-short-name', 'answer', ['127.0.0.11'], /web\.default\.svc\.cluster\.local/],
  ['dig-search-short-nxdomain', 'nxdomain', [], /NXDOMAIN/],
  ['dig-search-fqdn-without-dot', 'answer', ['127.0.0.10'], /ok\.probe\.test/],
  ['nslookup-answer', 'answer', ['127.0.0.10'], /exit 0/],
  ['nslookup-nxdomain', 'nxdomain', [], /nx\.probe\.test: NXDOMAIN/],
  ['nslookup-servfail', 'servfail', [], /SERVFAIL/],
  ['nslookup-refused', 'refused', [], /REFUSED/],
  ['nslookup-timeout', 'timeout', [], /exit 143/],
  ['nslookup-timeout-unwrapped', 'timeout', [], /no servers could be reached/],
  ['nslookup-aaaa-no-answer', 'no-answer', [], /no AAAA records/],
  // no `timeout` in the container: k8snet's sh watchdog (busybox sh) bounds nslookup
  ['nslookup-watchdog-answer', 'answer', ['127.0.0.10'], /exit 0/],
  ['nslookup-watchdog-nxdomain', 'nxdomain', [], /nx\.probe\.test: NXDOMAIN/],
  ['nslookup-watchdog-timeout', 'timeout', [], /watchdog killed nslookup after 2 s \(exit 124\)/],
  // ANCHORS 16: resolved through the first search domain, exit 1 from the other search domains
  ['nslookup-search-short-name-exit1', 'answer', ['127.0.0.11'], /web\.default\.svc\.cluster\.local.*exit 1 ignored/],
  ['nslookup-search-short-nxdomain', 'nxdomain', [], /nothere\.svc\.cluster\.local: NXDOMAIN/],
  ['getent-answer-short-name', 'answer', ['127.0.0.11'], /web\.default\.svc\.cluster\.local/],
  ['getent-answer-fqdn', 'answer', ['127.0.0.10'], /ok\.probe\.test/],
  ['getent-nxdomain', 'not-found', [], /cannot tell NXDOMAIN/],
  ['getent-servfail', 'not-found', [], /exit 2/],
  ['getent-timeout', 'timeout', [], /exit 124/],
];

describe('parseDns on recorded tool output', () => {
  it.each(CASES)('%s -> %s', (name, kind, addresses, detail) => {
    const out = parseDns(recorded(name).probe);
    expect(out.kind).toBe(kind);
    expect(out.addresses).toEqual(addresses);
    expect(out.detail).toMatch(detail);
  });

  it('reports the answering server from dig and nslookup', () => {
    expect(parseDns(recorded('dig-answer').probe).server).toBe('127.0.0.1');
    expect(parseDns(recorded('nslookup-answer').probe).server).toBe('127.0.0.1');
  });
});

// Output shapes from other nslookup builds (not installable here): typed from their documented formats.
const base = recorded('nslookup-answer').probe;
const nslookup = (host: string, stdout: string, exitCode: number) => ({
  ...base,
  target: { host },
  exec: { ...base.exec!, argv: ['nslookup', host], stdout, stderr: '', exitCode },
});
const OTHER_BUILDS: [string, ReturnType<typeof nslookup>, DnsOutcomeKind, string[]][] = [
  [
    'busybox < 1.28 answer',
    nslookup(
      'web',
      'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web\nAddress 1: 10.96.1.2 web.default.svc.cluster.local\n',
      0,
    ),
    'answer',
    ['10.96.1.2'],
  ],
  ['busybox < 1.28 failure', nslookup('web', "Server:    10.96.0.10\nAddress 1: 10.96.0.10\n\nnslookup: can't resolve 'web'\n", 1), 'not-found', []],
  [
    'CNAME chain (ExternalName)',
    nslookup(
      'ext.default.svc.cluster.local.',
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\next.default.svc.cluster.local\tcanonical name = db.example.internal\nName:\tdb.example.internal\nAddress: 192.0.2.7\n',
      0,
    ),
    'answer',
    ['192.0.2.7'],
  ],
  [
    'answer for another name only',
    nslookup('api.', 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tother.example\nAddress: 192.0.2.9\n', 0),
    'no-answer',
    [],
  ],
];

describe('parseDns on other nslookup builds', () => {
  it.each(OTHER_BUILDS)('%s', (_name, probe, kind, addresses) => {
    const out = parseDns(probe);
    expect(out.kind).toBe(kind);
    expect(out.addresses).toEqual(addresses);
  });
});
