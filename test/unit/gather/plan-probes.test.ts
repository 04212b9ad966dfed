// planProbes (pure): which probes run for which port — the ladder's plan, per protocol and per source's tools.
import { describe, expect, it } from 'vitest';
import { planProbes } from '../../../src/gather/probes.js';
import type { EndpointSlice, Service } from '../../../src/model/k8s.js';
import type { ToolSet } from '../../../src/model/probe.js';

const svc = (ports: NonNullable<Service['spec']['ports']>, extra: Partial<Service['spec']> = {}): Service => ({
  metadata: { name: 'api', namespace: 'shop' },
  spec: { clusterIP: '10.96.0.50', selector: { app: 'api' }, ports, ...extra },
});
const slice = (ports: { name?: string; port: number; protocol?: string }[], hostname?: string): EndpointSlice => ({
  metadata: { name: 'api-x', namespace: 'shop' },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.244.0.9'], conditions: { ready: true }, hostname, targetRef: { kind: 'Pod', name: 'api-0' } }],
  ports,
});
const BUSYBOX: ToolSet = { wget: true, nc: false, ncexec: true, nslookup: true, timeout: true, cat: true };
const NETSHOOT: ToolSet = { ...BUSYBOX, curl: true, dig: true, getent: true };

function plan(service: Service, slices: EndpointSlice[], tools: ToolSet, probe?: 'tcp' | 'http' | 'https' | 'dns') {
  return planProbes({
    service,
    ports: service.spec.ports ?? [],
    slices,
    path: '/',
    tools,
    timeoutSec: 2,
    clusterDomain: 'cluster.local',
    sourceNamespace: 'web',
    kubeDnsIP: '10.96.0.10',
    probe,
    ingressProbes: [],
  });
}

describe('planProbes: the probe ladder per port', () => {
  const ports = [
    { port: 5432, targetPort: 5432 },
    { name: 'http', port: 80, targetPort: 8080 },
    { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
    { name: 'echo', port: 9999, targetPort: 9999, protocol: 'UDP' },
  ];
  const slices = [
    slice([{ port: 5432 }, { name: 'http', port: 8080 }, { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'echo', port: 9999, protocol: 'UDP' }]),
  ];

  it('busybox source: connect-only transport for every TCP port, HTTP only where declared, DNS over UDP, nothing for UDP echo', () => {
    const p = plan(svc(ports), slices, BUSYBOX);
    const rows = p.filter((x) => !x.id.startsWith('dns/')).map((x) => `${x.id} ${x.role} ${x.command?.tool ?? '-'}`);
    expect(rows).toEqual([
      'clusterip/5432 transport ncexec',
      'endpoint/10.244.0.9/5432 transport ncexec',
      'clusterip/80 transport ncexec',
      'app/clusterip/80 app wget',
      'endpoint/10.244.0.9/8080 transport ncexec',
      'app/endpoint/10.244.0.9/8080 app wget',
      // the MTU probe: one 4000-byte HTTP request per node hosting an endpoint (first HTTP port)
      'endpoint-large/10.244.0.9/8080 undefined wget',
      'app/clusterip/53/udp app nslookup',
      'app/endpoint/10.244.0.9/53/udp app nslookup',
    ]);
    // busybox nslookup sends dotted names as is: no name.namespace probe from it
    expect(p.map((x) => x.id)).not.toContain('dns/namespaced/pod-resolver');
  });

  it('curl/dig source: the same transports, HTTP by curl, DNS by dig, name.namespace probed', () => {
    const p = plan(svc(ports), slices, NETSHOOT);
    expect(p.find((x) => x.id === 'app/clusterip/80')!.command!.tool).toBe('curl');
    expect(p.find((x) => x.id === 'app/clusterip/53/udp')!.command!.argv).toEqual([
      'dig',
      '+time=2',
      '+tries=1',
      '@10.96.0.50',
      'api.shop.svc.cluster.local.',
      'A',
    ]);
    expect(p.map((x) => x.id)).toContain('dns/namespaced/pod-resolver');
  });

  it('--probe tcp: transport only, no application probe on the http port', () => {
    const p = plan(svc(ports), slices, NETSHOOT, 'tcp');
    expect(p.filter((x) => x.role === 'app' && !x.id.endsWith('/udp'))).toEqual([]);
  });

  it('gRPC from busybox: the app probe is planned but has no command (wget cannot speak h2c)', () => {
    const grpc = svc([{ name: 'grpc', port: 50051, targetPort: 50051 }]);
    const p = plan(grpc, [slice([{ name: 'grpc', port: 50051 }])], BUSYBOX);
    expect(p.find((x) => x.id === 'app/clusterip/50051')!.command).toBeNull();
    expect(p.find((x) => x.id === 'clusterip/50051')!.command!.tool).toBe('ncexec');
  });

  it("headless StatefulSet: endpoints only, and each pod's own name is resolved", () => {
    const hl = svc([{ name: 'http', port: 8080, targetPort: 8080 }], { clusterIP: 'None' });
    const p = plan(hl, [slice([{ name: 'http', port: 8080 }], 'api-0')], NETSHOOT);
    expect(p.some((x) => x.id.startsWith('clusterip/'))).toBe(false);
    expect(p.find((x) => x.id === 'dns/pod/api-0')!.target.host).toBe('api-0.api.shop.svc.cluster.local');
  });

  it('ExternalName: only the alias name is resolved', () => {
    const ext = svc([], { type: 'ExternalName', externalName: 'db.example.internal', clusterIP: undefined });
    expect(plan(ext, [], NETSHOOT).map((x) => x.id)).toEqual(['dns/fqdn/pod-resolver']);
  });
});
