// The per-port protocol decision: one line per case (appProtocol > port name > number > TCP; --probe overrides all).
import { describe, expect, it } from 'vitest';
import type { ServicePort } from '../../../src/model/k8s.js';
import { decidePortProtocol, type ProbeOverride } from '../../../src/probes/port-protocol.js';

type Row = [string, ServicePort, ProbeOverride | undefined, string, string, string];
const p = (port: number, name?: string, extra: Partial<ServicePort> = {}): ServicePort => ({ port, name, ...extra });

// case, port, --probe, expected app, expected via, expected confidence
const CASES: Row[] = [
  ['unknown port, no name: plain TCP', p(7000), undefined, 'tcp', 'default', 'default'],
  ['postgres number: TCP only, product named', p(5432), undefined, 'tcp', 'port-number', 'default'],
  ['port named "postgres" on 5432', p(5432, 'postgres'), undefined, 'tcp', 'port-name', 'declared'],
  ['mysql- prefix (Istio)', p(3306, 'mysql-primary'), undefined, 'tcp', 'port-name', 'declared'],
  ['redis name on a non-standard number', p(7777, 'redis'), undefined, 'tcp', 'port-name', 'declared'],
  ['tcp- prefix on 80 beats the number', p(80, 'tcp-web'), undefined, 'tcp', 'port-name', 'declared'],
  ['http name', p(80, 'http'), undefined, 'http', 'port-name', 'declared'],
  ['http-api prefix', p(9000, 'http-api'), undefined, 'http', 'port-name', 'declared'],
  ['https name', p(443, 'https'), undefined, 'https', 'port-name', 'declared'],
  ['https-admin prefix is https, not http', p(9443, 'https-admin'), undefined, 'https', 'port-name', 'declared'],
  ['grpc name is h2c', p(50051, 'grpc'), undefined, 'h2c', 'port-name', 'declared'],
  ['grpc-web is HTTP/1.1', p(8081, 'grpc-web'), undefined, 'http', 'port-name', 'declared'],
  ['http2 name is h2c', p(8082, 'http2-x'), undefined, 'h2c', 'port-name', 'declared'],
  ['tls name', p(9000, 'tls-db'), undefined, 'tls', 'port-name', 'declared'],
  ['"httpbin" is not "http-" (prefix needs a dash)', p(7001, 'httpbin'), undefined, 'tcp', 'default', 'default'],
  ['dns-tcp name (kube-dns)', p(53, 'dns-tcp'), undefined, 'dns', 'port-name', 'declared'],
  ['dns UDP port (kube-dns)', p(53, 'dns', { protocol: 'UDP' }), undefined, 'dns', 'port-name', 'declared'],
  ['metrics name is a guessed HTTP', p(9153, 'metrics'), undefined, 'http', 'port-name', 'guessed'],
  ['8080 unnamed is a guessed HTTP', p(8080), undefined, 'http', 'port-number', 'guessed'],
  ['443 unnamed is a guessed HTTPS', p(443), undefined, 'https', 'port-number', 'guessed'],
  ['53 unnamed is a guessed DNS', p(53), undefined, 'dns', 'port-number', 'guessed'],
  ['appProtocol beats the name', p(80, 'http', { appProtocol: 'kubernetes.io/h2c' }), undefined, 'h2c', 'appProtocol', 'declared'],
  ['appProtocol https', p(8443, 'web', { appProtocol: 'https' }), undefined, 'https', 'appProtocol', 'declared'],
  ['appProtocol kubernetes.io/ws is HTTP', p(80, undefined, { appProtocol: 'kubernetes.io/ws' }), undefined, 'http', 'appProtocol', 'declared'],
  ['appProtocol kubernetes.io/wss is HTTPS', p(443, undefined, { appProtocol: 'kubernetes.io/wss' }), undefined, 'https', 'appProtocol', 'declared'],
  ['appProtocol mysql on 80: TCP only', p(80, 'http', { appProtocol: 'mysql' }), undefined, 'tcp', 'appProtocol', 'declared'],
  ['unknown domain-prefixed appProtocol: TCP only', p(8080, 'http', { appProtocol: 'example.com/custom' }), undefined, 'tcp', 'appProtocol', 'declared'],
  ['appProtocol is case-insensitive', p(80, undefined, { appProtocol: 'HTTP' }), undefined, 'http', 'appProtocol', 'declared'],
  ['--probe tcp beats an http name', p(80, 'http'), 'tcp', 'tcp', 'probe-flag', 'declared'],
  ['--probe http on an unknown port', p(7000), 'http', 'http', 'probe-flag', 'declared'],
  ['--probe https beats appProtocol', p(80, undefined, { appProtocol: 'http' }), 'https', 'https', 'probe-flag', 'declared'],
  ['--probe dns', p(5353), 'dns', 'dns', 'probe-flag', 'declared'],
  ['UDP non-DNS port: unknown (not probed)', p(9999, 'echo', { protocol: 'UDP' }), undefined, 'tcp', 'default', 'default'],
  ['UDP port named http stays unknown', p(80, 'http', { protocol: 'UDP' }), undefined, 'tcp', 'port-name', 'declared'],
  ['--probe http on a UDP port cannot make it HTTP', p(9999, undefined, { protocol: 'UDP' }), 'http', 'tcp', 'probe-flag', 'declared'],
];

describe('decidePortProtocol', () => {
  it.each(CASES)('%s', (_name, port, override, app, via, confidence) => {
    const d = decidePortProtocol(port, override);
    expect({ app: d.app, via: d.via, confidence: d.confidence }).toEqual({ app, via, confidence });
    expect(d.why.length).toBeGreaterThan(0);
  });

  it('keeps the L4 protocol and names the product', () => {
    expect(decidePortProtocol(p(53, 'dns', { protocol: 'UDP' })).transport).toBe('UDP');
    expect(decidePortProtocol(p(5432)).product).toBe('postgres');
    expect(decidePortProtocol(p(50051, 'grpc')).product).toBe('grpc');
    expect(decidePortProtocol(p(7000)).transport).toBe('TCP');
  });
});
