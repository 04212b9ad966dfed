// Step 2 with the probe ladder (issue 15): the transport probe decides, the application probe is evidence.
// Probes are recorded real tool output (test/fixtures/probes/recorded), placed on the healthy fixture.

import { describe, expect, it } from 'vitest';
import { checkClusterIP } from '../../../src/checks/clusterip.js';
import { runChecks } from '../../../src/checks/run.js';
import { diagnose } from '../../../src/diagnosis/index.js';
import { probeIdOf } from '../../../src/model/code-groups.js';
import type { Facts } from '../../../src/model/facts.js';
import type { ConnectProbeData } from '../../../src/model/finding-data.js';
import type { Finding } from '../../../src/model/finding.js';
import type { ServicePort } from '../../../src/model/k8s.js';
import type { ProbeFact } from '../../../src/model/probe.js';
import { loadFacts } from '../helpers.js';
import { recorded } from '../probes/recorded.js';

/** The data of a ClusterIP / pod-IP probe finding. */
const probeData = (f: Finding) => f.data as ConnectProbeData | undefined;

const VIP = '10.96.12.4';

/** A probe of the run, made of a recorded real tool output. */
function rec(name: string, id: string, port: ServicePort, extra: Partial<ProbeFact> = {}): ProbeFact {
  const r = recorded(name).probe;
  const role = id.startsWith('app/') ? 'app' : 'transport';
  const host = id.replace(/^app\//, '').startsWith('clusterip/') ? VIP : id.split('/').at(-2)!;
  return {
    ...r,
    id,
    label: id,
    role,
    target: { ...r.target, host, port: port.port },
    servicePort: { port: port.port, name: port.name, protocol: port.protocol ?? 'TCP' },
    ...extra,
  };
}

/** The healthy fixture with these Service ports and only these ClusterIP probes (plus its DNS probes). */
function world(ports: ServicePort[], probes: ProbeFact[], request: Partial<Facts['request']> = {}): Facts {
  const f = loadFacts('healthy');
  if (f.service.state === 'ok') f.service.value.spec.ports = ports;
  f.probes = [...probes, ...f.probes.filter((p) => p.id.startsWith('dns/'))];
  // the slices carry the same ports (named like the Service ports, on their target numbers)
  if (f.endpointSlices.state === 'ok') {
    for (const sl of f.endpointSlices.value)
      sl.ports = ports.map((p) => ({ name: p.name, port: Number(p.targetPort ?? p.port), protocol: p.protocol ?? 'TCP' }));
  }
  // no NetworkPolicy in the way: these tests are about the probes, not policy
  for (const ns of Object.keys(f.policies)) f.policies[ns] = { state: 'ok', value: [] };
  Object.assign(f.request, request);
  return f;
}

const codes = (f: Facts) => checkClusterIP(f).map((x) => `${x.code}:${x.status}`);
const verdict = (f: Facts) => {
  const d = diagnose(runChecks(f), f);
  return { verdict: d.verdict, layer: d.layer, rule: d.rule, headline: d.headline };
};

const pg: ServicePort = { port: 5432, targetPort: 5432, protocol: 'TCP' };
const smtp: ServicePort = { port: 25, targetPort: 2525, protocol: 'TCP' };
const http: ServicePort = { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' };
const guessed: ServicePort = { port: 8080, targetPort: 8080, protocol: 'TCP' };
const metrics: ServicePort = { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' };
const tlsPort: ServicePort = { name: 'tls', port: 443, targetPort: 8443, protocol: 'TCP' };
const grpc: ServicePort = { name: 'grpc', port: 50051, targetPort: 50051, protocol: 'TCP' };

describe('the transport probe decides reachability', () => {
  it('a client-first silent server (Postgres-like) from busybox: connected, healthy, no app probe', () => {
    const f = world([pg], [rec('ncexec-tcp-silent', 'clusterip/5432', pg)]);
    expect(codes(f)).toEqual(['clusterip/reachable:pass']);
    expect(checkClusterIP(f)[0].summary).toMatch(/accepted a TCP connection; postgres is not probed beyond the connect/);
    expect(verdict(f).verdict).toBe('healthy');
  });

  it('a server-first greeting server: connected, healthy', () => {
    const f = world([smtp], [rec('ncexec-tcp-greeting', 'clusterip/25', smtp)]);
    expect(codes(f)).toEqual(['clusterip/reachable:pass']);
    expect(verdict(f).verdict).toBe('healthy');
  });

  it('bash /dev/tcp and curl telnet:// transports read the same way', () => {
    expect(codes(world([pg], [rec('bash-tcp-silent', 'clusterip/5432', pg)]))).toEqual(['clusterip/reachable:pass']);
    expect(codes(world([pg], [rec('curl-tcp-silent', 'clusterip/5432', pg)]))).toEqual(['clusterip/reachable:pass']);
  });

  it('a real drop stays a drop: the connect-only probe timed out (handshake never completed)', () => {
    const f = world([pg], [rec('ncexec-tcp-timeout', 'clusterip/5432', pg)]);
    const x = checkClusterIP(f)[0];
    expect([x.code, x.status, probeData(x)?.connected]).toEqual(['clusterip/timeout', 'fail', false]);
    expect(x.summary).toMatch(/handshake never completed/);
    expect(verdict(f).verdict).toBe('fault');
  });

  it('a drop stays a drop when the HTTP probe also timed out before connecting', () => {
    const f = world([http], [rec('bash-tcp-timeout', 'clusterip/80', http), rec('curl-http-connect-timeout', 'app/clusterip/80', http, { app: 'http' })]);
    expect(codes(f)).toEqual(['clusterip/timeout:fail']);
  });

  it('refused and no-route are transport verdicts', () => {
    expect(codes(world([pg], [rec('ncexec-tcp-refused', 'clusterip/5432', pg)]))).toEqual(['clusterip/refused:fail']);
    expect(codes(world([pg], [rec('ncexec-tcp-no-route', 'clusterip/5432', pg)]))).toEqual(['clusterip/unreachable:fail']);
  });

  it('any byte received disproves "dropped": a greeting seen by the HTTP probe means connected', () => {
    const f = world(
      [guessed],
      [rec('wget-http-silent', 'clusterip/8080', guessed, { kind: 'tcp' }), rec('wget-http-greeting', 'app/clusterip/8080', guessed, { app: 'http' })],
    );
    const x = checkClusterIP(f)[0];
    expect(probeData(x)?.connected).toBe(true);
    expect(x.status).not.toBe('fail');
  });
});

describe('the application probe is application evidence', () => {
  it('declared HTTP that accepts and never answers: the app hangs (service), never the network', () => {
    const f = world([http], [rec('ncexec-tcp-silent', 'clusterip/80', http), rec('curl-http-silent', 'app/clusterip/80', http, { app: 'http' })]);
    expect(codes(f)).toEqual(['clusterip/no-response:fail']);
    const v = verdict(f);
    expect([v.verdict, v.layer, v.rule]).toEqual(['fault', 'service', 'backend-never-answers']);
    expect(v.headline).not.toMatch(/dropped/);
  });

  it('a port only guessed to be HTTP (8080) that speaks something else: a warning, the path is healthy', () => {
    const f = world(
      [guessed],
      [rec('ncexec-tcp-greeting', 'clusterip/8080', guessed), rec('curl-http-greeting', 'app/clusterip/8080', guessed, { app: 'http' })],
    );
    expect(codes(f)).toEqual(['clusterip/app-unanswered:warn']);
    expect(verdict(f).verdict).toBe('healthy');
  });

  it('a TLS port: the handshake is the answer', () => {
    const f = world(
      [tlsPort],
      [rec('ncexec-tcp-silent', 'clusterip/443', tlsPort), rec('curl-https-tls-silent', 'app/clusterip/443', tlsPort, { app: 'tls' })],
    );
    expect(codes(f)).toEqual(['clusterip/reachable:pass']);
    expect(checkClusterIP(f)[0].summary).toMatch(/answered TLS handshake/);
  });

  it('a declared TLS port that answers plain text: the application fails, not the network', () => {
    const f = world([tlsPort], [rec('ncexec-tcp-greeting', 'clusterip/443', tlsPort), rec('curl-https-not-tls', 'app/clusterip/443', tlsPort, { app: 'tls' })]);
    expect(codes(f)).toEqual(['clusterip/app-error:fail']);
    expect(verdict(f).layer).toBe('service');
  });

  it('gRPC (h2c) with curl: HTTP/2 answered; from busybox (no h2c tool): transport only, still healthy', () => {
    expect(codes(world([grpc], [rec('ncexec-tcp-silent', 'clusterip/50051', grpc), rec('curl-h2c-200', 'app/clusterip/50051', grpc, { app: 'h2c' })]))).toEqual(
      ['clusterip/reachable:pass'],
    );
    const busybox = world(
      [grpc],
      [rec('ncexec-tcp-silent', 'clusterip/50051', grpc), { ...rec('curl-h2c-200', 'app/clusterip/50051', grpc, { app: 'h2c' }), tool: null, exec: undefined }],
    );
    expect(codes(busybox)).toEqual(['clusterip/reachable:pass']);
    expect(checkClusterIP(busybox)[0].summary).toMatch(/h2c check did not run/);
  });
});

describe('multi-port Services: each port judged on its own', () => {
  const probes = [
    rec('ncexec-tcp-silent', 'clusterip/80', http),
    rec('curl-http-200', 'app/clusterip/80', http, { app: 'http' }),
    rec('ncexec-tcp-refused', 'clusterip/9090', metrics),
  ];

  it('a metrics port that refuses while http works is a warning naming the port, not a fault', () => {
    const f = world([http, metrics], probes);
    expect(codes(f)).toEqual(['clusterip/reachable:pass', 'clusterip/refused:warn']);
    expect(checkClusterIP(f)[1].summary).toMatch(/^Port metrics only: .*--port was not given/);
    expect(verdict(f).verdict).toBe('healthy');
  });

  it('asked for with --port, the same refusal is the fault', () => {
    const f = world([http, metrics], [rec('ncexec-tcp-refused', 'clusterip/9090', metrics)], { port: 'metrics' });
    expect(codes(f)).toEqual(['clusterip/refused:fail']);
    expect(verdict(f).verdict).toBe('fault');
  });

  it('every port failing is still a fault', () => {
    const f = world([http, metrics], [rec('ncexec-tcp-timeout', 'clusterip/80', http), rec('ncexec-tcp-refused', 'clusterip/9090', metrics)]);
    expect(codes(f)).toEqual(['clusterip/timeout:fail', 'clusterip/refused:fail']);
  });
});

describe('UDP ports', () => {
  const dnsUdp: ServicePort = { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' };
  const echo: ServicePort = { name: 'echo', port: 9999, targetPort: 9999, protocol: 'UDP' };

  it('a DNS port over UDP is probed with a query; any reply answers', () => {
    const f = world([dnsUdp], [rec('dig-nxdomain', 'app/clusterip/53/udp', dnsUdp, { app: 'dns' })]);
    expect(codes(f)).toEqual(['clusterip/reachable:pass']);
  });

  it('a UDP port that is not DNS: "not probed" unknown, not a fault', () => {
    const f = world([echo], []);
    expect(codes(f)).toEqual(['clusterip/udp-not-probed:unknown']);
    expect(verdict(f).verdict).toBe('healthy');
    expect(verdict(f).headline).toMatch(/UDP/);
  });
});

describe('DNS is judged on the names the application would use', () => {
  const dnsWorld = () => {
    const f = world([http], [rec('ncexec-tcp-silent', 'clusterip/80', http), rec('curl-http-200', 'app/clusterip/80', http, { app: 'http' })]);
    return f;
  };
  const setStatus = (f: Facts, id: string, status: string) => {
    const p = f.probes.find((x) => x.id === id)!;
    p.exec!.stdout = p.exec!.stdout.replace('status: NOERROR', `status: ${status}`).replace(/;; ANSWER SECTION:\n[\s\S]*?\n\n/, '');
  };
  const dnsCodes = (f: Facts) =>
    runChecks(f)
      .filter((x) => x.step === 'dns' && probeIdOf(x))
      .map((x) => `${probeIdOf(x)} ${x.code}:${x.status}`);

  it.each(['SERVFAIL', 'NXDOMAIN', 'REFUSED'])('the short name from another namespace failing with %s is an expected warning', (rcode) => {
    const f = dnsWorld();
    setStatus(f, 'dns/short/pod-resolver', rcode);
    expect(dnsCodes(f)).toContain('dns/short/pod-resolver dns/short-name-other-namespace:warn');
    expect(verdict(f).verdict).toBe('healthy');
  });

  it("from the Service's own namespace the short name must resolve, and the headline quotes it", () => {
    const f = dnsWorld();
    f.request.from = { raw: 'payments/client', namespace: 'payments', name: 'client' };
    setStatus(f, 'dns/short/pod-resolver', 'NXDOMAIN');
    expect(dnsCodes(f)).toContain('dns/short/pod-resolver dns/nxdomain:fail');
    const v = verdict(f);
    expect([v.verdict, v.layer]).toEqual(['fault', 'dns']);
    expect(v.headline).toMatch(/^DNS lookup of "payments-api" fails \(NXDOMAIN\)/);
  });

  it('a failing FQDN decides, and the headline names the FQDN, not another name', () => {
    const f = dnsWorld();
    setStatus(f, 'dns/fqdn/pod-resolver', 'SERVFAIL');
    setStatus(f, 'dns/short/pod-resolver', 'SERVFAIL');
    const v = verdict(f);
    expect(v.layer).toBe('dns');
    expect(v.headline).toMatch(/^DNS lookup of "payments-api\.payments\.svc\.cluster\.local" fails \(SERVFAIL\)/);
  });
});

describe('targets of every kind', () => {
  it('an ExternalName: its name resolving through the pod resolver is the path; healthy, and the headline says what was probed', () => {
    const f = loadFacts('healthy');
    if (f.service.state === 'ok') f.service.value.spec = { type: 'ExternalName', externalName: 'payments-api.payments.svc.cluster.local' };
    f.probes = f.probes.filter((p) => p.id === 'dns/fqdn/pod-resolver');
    const found = runChecks(f);
    expect(found.filter((x) => x.step === 'dns' && probeIdOf(x)).map((x) => `${x.code}:${x.status}`)).toEqual(['dns/resolves:pass']);
    const d = diagnose(found, f);
    expect(d.verdict).toBe('healthy');
    expect(d.headline).toMatch(/ExternalName alias for payments-api\.payments\.svc\.cluster\.local; its name resolves from/);
  });
});
