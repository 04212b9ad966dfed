// Gateway API semantics, one line per case: hostname intersection, ReferenceGrant admission,
// listener attachment (sectionName/port, allowedRoutes, kinds, hostnames), probe request choice.

import { describe, expect, it } from 'vitest';
import { attachRoute } from '../../../src/gateway/attachment.js';
import { effectiveHostnames, hostnamesIntersect, probeHostname } from '../../../src/gateway/hostnames.js';
import { dataPlaneEndpoint, httpProbeRequest } from '../../../src/gateway/probe-target.js';
import { admittingGrants, closestGrantMiss, suggestGrant } from '../../../src/gateway/reference-grant.js';
import { backendRefsOf, parentRefsOf, routesToService } from '../../../src/gateway/routes.js';
import type { Gateway, GatewayRoute, ReferenceGrant } from '../../../src/model/gateway-api.js';
import type { Namespace } from '../../../src/model/k8s.js';

describe('hostname intersection', () => {
  it.each([
    [undefined, 'api.example.com', true],
    ['api.example.com', 'api.example.com', true],
    ['API.example.com', 'api.example.com', true],
    ['*.example.com', 'api.example.com', true],
    ['*.example.com', 'a.b.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'api.example.org', false],
    ['api.example.com', '*.example.com', true],
    ['*.example.com', '*.foo.example.com', true],
    ['*.example.com', '*.example.org', false],
    ['web.example.com', 'api.example.com', false],
  ] as const)('listener %s vs route %s -> %s', (l, r, want) => {
    expect(hostnamesIntersect(l, r)).toBe(want);
  });
  it('effective hostnames: listener hostname when the route names none; narrowed wildcard', () => {
    expect(effectiveHostnames('*.example.com', undefined)).toEqual(['*.example.com']);
    expect(effectiveHostnames('api.example.com', ['*.example.com'])).toEqual(['api.example.com']);
    expect(effectiveHostnames('*.example.com', ['api.example.org', 'api.example.com'])).toEqual(['api.example.com']);
    expect(effectiveHostnames('*.example.com', ['api.example.org'])).toEqual([]);
  });
  it('probe Host: a concrete name, else the wildcard with a probe label', () => {
    expect(probeHostname(['*.example.com', 'api.example.com'])).toBe('api.example.com');
    expect(probeHostname(['*.example.com'])).toBe('k8snet-probe.example.com');
    expect(probeHostname(['*'])).toBeUndefined();
  });
});

const grant = (ns: string, from: ReferenceGrant['spec']['from'], to: ReferenceGrant['spec']['to'], name = 'g'): ReferenceGrant => ({
  metadata: { name, namespace: ns },
  spec: { from, to },
});
const HR = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'production' };
const SVC = { group: '', kind: 'Service', name: 'payments-api', namespace: 'payments' };

describe('ReferenceGrant admission', () => {
  it.each([
    ['exact from and to', grant('payments', [HR], [{ group: '', kind: 'Service', name: 'payments-api' }]), true],
    ['to without a name admits every Service', grant('payments', [HR], [{ group: '', kind: 'Service' }]), true],
    ['"core" group spelled out', grant('payments', [HR], [{ group: 'core', kind: 'Service' }]), true],
    ['other Service name', grant('payments', [HR], [{ group: '', kind: 'Service', name: 'orders-api' }]), false],
    ['from another namespace', grant('payments', [{ ...HR, namespace: 'orders' }], [{ group: '', kind: 'Service' }]), false],
    ['from GRPCRoute only', grant('payments', [{ ...HR, kind: 'GRPCRoute' }], [{ group: '', kind: 'Service' }]), false],
    ["grant in the route's namespace (wrong side)", grant('production', [HR], [{ group: '', kind: 'Service' }]), false],
    ['to a Secret', grant('payments', [HR], [{ group: '', kind: 'Secret' }]), false],
  ] as const)('%s -> %s', (_name, g, want) => {
    expect(admittingGrants([g], HR, SVC).length > 0).toBe(want);
  });
  it('names the closest miss and suggests the exact grant', () => {
    const g = grant('payments', [HR], [{ group: '', kind: 'Service', name: 'orders-api' }], 'allow-prod');
    expect(closestGrantMiss([g], HR, SVC)).toMatch(/payments\/allow-prod admits HTTPRoute from production but its spec.to lists Service orders-api/);
    const y = suggestGrant(HR, SVC);
    expect(y).toContain('namespace: payments');
    expect(y).toContain('kind: HTTPRoute');
    expect(y).toContain('name: payments-api');
  });
});

const gateway = (listeners: Gateway['spec']['listeners']): Gateway => ({
  metadata: { name: 'gw', namespace: 'infra' },
  spec: { gatewayClassName: 'c', listeners },
});
const route = (over: Partial<GatewayRoute['spec']> = {}, ns = 'production', kind: GatewayRoute['kind'] = 'HTTPRoute'): GatewayRoute => ({
  kind,
  metadata: { name: 'r', namespace: ns, generation: 1 },
  spec: {
    parentRefs: [{ name: 'gw', namespace: 'infra' }],
    hostnames: ['api.example.com'],
    rules: [{ backendRefs: [{ name: 'payments-api', namespace: 'payments', port: 80 }] }],
    ...over,
  },
});
const nss: Namespace[] = [
  { metadata: { name: 'production', labels: { team: 'platform' } } },
  { metadata: { name: 'orders', labels: { team: 'orders' } } },
  { metadata: { name: 'infra' } },
];
const web = {
  name: 'web',
  port: 8000,
  protocol: 'HTTP',
  hostname: '*.example.com',
  allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'platform' } } } },
};

describe('route attachment to listeners', () => {
  const attach = (r: GatewayRoute, g: Gateway, namespaces: Namespace[] | undefined = nss) => attachRoute(r, parentRefsOf(r)[0], g, namespaces);
  it.each([
    ['selector admits production', route(), [web], undefined],
    ['selector refuses orders', route({}, 'orders'), [web], 'NotAllowedByListeners'],
    ['From Same refuses another namespace', route(), [{ ...web, allowedRoutes: {} }], 'NotAllowedByListeners'],
    ['From All admits it', route(), [{ ...web, allowedRoutes: { namespaces: { from: 'All' } } }], undefined],
    [
      'kinds list without HTTPRoute',
      route(),
      [{ ...web, allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'GRPCRoute' }] } }],
      'NotAllowedByListeners',
    ],
    ['TCP listener does not carry HTTPRoute', route(), [{ ...web, protocol: 'TCP', allowedRoutes: { namespaces: { from: 'All' } } }], 'NotAllowedByListeners'],
    ['hostname outside the listener', route({ hostnames: ['api.example.org'] }), [web], 'NoMatchingListenerHostname'],
    ['sectionName of no listener', route({ parentRefs: [{ name: 'gw', namespace: 'infra', sectionName: 'websecure' }] }), [web], 'NoMatchingParent'],
    ['port of no listener', route({ parentRefs: [{ name: 'gw', namespace: 'infra', port: 443 }] }), [web], 'NoMatchingParent'],
    ['sectionName and port both match', route({ parentRefs: [{ name: 'gw', namespace: 'infra', sectionName: 'web', port: 8000 }] }), [web], undefined],
  ] as const)('%s -> %s', (_n, r, listeners, reason) => {
    const a = attach(r, gateway([...listeners] as Gateway['spec']['listeners']));
    expect(a.reason).toBe(reason);
    if (!reason) expect(a.attached.length).toBeGreaterThan(0);
  });
  it('unreadable namespace labels make a Selector listener unknown, not refused', () => {
    const r = route();
    const a = attachRoute(r, parentRefsOf(r)[0], gateway([web]), undefined);
    expect(a.reason).toBeUndefined();
    expect(a.unknown).toBe(true);
  });
});

describe('route references', () => {
  it('defaults: parent in the route namespace, backend group core, kind Service, weight 1', () => {
    const r = route({
      parentRefs: [{ name: 'gw' }],
      rules: [
        {
          backendRefs: [
            { name: 'a', port: 80 },
            { name: 'payments-api', namespace: 'payments', port: 80, weight: 0 },
          ],
        },
      ],
    });
    expect(parentRefsOf(r)[0]).toMatchObject({ namespace: 'production', kind: 'Gateway', group: 'gateway.networking.k8s.io' });
    expect(backendRefsOf(r).map((b) => [b.namespace, b.kind, b.weight, b.crossNamespace])).toEqual([
      ['production', 'Service', 1, false],
      ['payments', 'Service', 0, true],
    ]);
    expect(routesToService(r, { namespace: 'payments', name: 'payments-api' })).toBe(true);
    expect(routesToService(r, { namespace: 'production', name: 'payments-api' })).toBe(false);
  });
});

describe('probe request and data-plane endpoint', () => {
  it.each([
    ['PathPrefix value', [{ path: { type: 'PathPrefix', value: '/payments' } }], '/', '/payments'],
    ['--path inside the prefix wins', [{ path: { type: 'PathPrefix', value: '/payments' } }], '/payments/health', '/payments/health'],
    ['--path outside the prefix is not used', [{ path: { type: 'PathPrefix', value: '/payments' } }], '/paymentsX', '/payments'],
    ['Exact', [{ path: { type: 'Exact', value: '/v1/pay' } }], '/', '/v1/pay'],
    ['no matches: /', undefined, '/', '/'],
  ] as const)('%s', (_n, matches, requested, want) => {
    const r = route({ rules: [{ matches: matches as never, backendRefs: [{ name: 'payments-api', namespace: 'payments', port: 80 }] }] });
    const q = httpProbeRequest(r, 0, ['api.example.com'], requested);
    expect(q).toEqual({ hostHeader: 'api.example.com', path: want });
  });
  it('a header match or a regex path is not faked', () => {
    const r = route({ rules: [{ matches: [{ path: { type: 'RegularExpression', value: '/p.*' } }, { headers: [{ name: 'x', value: 'y' }] }] }] });
    expect(httpProbeRequest(r, 0, ['api.example.com'], '/')).toHaveProperty('why');
  });
  it('a status address that is the data-plane Service maps the listener port to the Service port', () => {
    const g: Gateway = { ...gateway([web]), status: { addresses: [{ type: 'Hostname', value: 'traefik.traefik.svc.cluster.local' }] } };
    const svc = {
      metadata: { name: 'traefik', namespace: 'traefik' },
      spec: { clusterIP: '10.96.5.5', ports: [{ name: 'web', port: 80, targetPort: 'web' }] },
    };
    const pod = {
      metadata: { name: 't', namespace: 'traefik' },
      spec: { containers: [{ name: 't', ports: [{ name: 'web', containerPort: 8000 }] }] },
      status: { podIP: '10.244.0.9', conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const dp = { via: 'controller' as const, pods: { state: 'ok' as const, value: [pod] }, services: { state: 'ok' as const, value: [svc] } };
    expect(dataPlaneEndpoint(g, web, dp, 'cluster.local')).toMatchObject({ host: '10.96.5.5', port: 80 });
    // no address: the Service port that forwards to the listener port; no Service: a Ready pod on the listener port
    expect(dataPlaneEndpoint(gateway([web]), web, dp, 'cluster.local')).toMatchObject({ host: '10.96.5.5', port: 80 });
    expect(dataPlaneEndpoint(gateway([web]), web, { ...dp, services: { state: 'ok', value: [] } }, 'cluster.local')).toMatchObject({
      host: '10.244.0.9',
      port: 8000,
    });
    // the address is the data-plane Service, but it has no port for the listener: the pod, not the name
    const noPort = {
      ...dp,
      services: { state: 'ok' as const, value: [{ ...svc, spec: { ...svc.spec, ports: [{ name: 'admin', port: 9000, targetPort: 9000 }] } }] },
    };
    expect(dataPlaneEndpoint(g, web, noPort, 'cluster.local')).toMatchObject({ host: '10.244.0.9', port: 8000 });
  });
});
