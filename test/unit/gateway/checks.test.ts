// Gateway API checks and diagnosis on a Gateway world grafted onto the synthetic healthy facts, one
// mutation per fault (the lab scenarios 1xx-gateway-* exercise the same faults on real Traefik).

import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../src/checks/run.js';
import { checkGateway } from '../../../src/checks/gateway/index.js';
import { diagnose, exitCodeFor } from '../../../src/diagnosis/index.js';
import type { Facts, GatewayApiFacts } from '../../../src/model/facts.js';
import type { GatewayRoute } from '../../../src/model/gateway-api.js';
import { validateFacts } from '../../../src/pipeline.js';
import { gatewayProbe, gatewayWorld } from './world.js';

const route = (g: GatewayApiFacts): GatewayRoute => (g.routes[0].read as { value: GatewayRoute[] }).value[0];
const setStatus = (g: GatewayApiFacts, type: string, status: string, reason: string) => {
  const c = route(g).status!.parents![0].conditions!.find((x) => x.type === type)!;
  Object.assign(c, { status, reason });
};
const replaceProbe = (f: Facts, p: ReturnType<typeof gatewayProbe>) => {
  f.probes = f.probes.filter((x) => !x.id.startsWith('gateway/'));
  f.probes.push(p);
};

type Row = [name: string, mutate: (g: GatewayApiFacts, f: Facts) => void, verdict: string, layer: string | null, codes: string[], headline: RegExp];

const TABLE: Row[] = [
  [
    'healthy',
    () => {},
    'healthy',
    null,
    [
      'gateway/controller-ready:pass',
      'gateway/gateway-ok:pass',
      'gateway/attached:pass',
      'gateway/route-accepted:pass',
      'gateway/backend-ok:pass',
      'gateway/probe-ok:pass',
      'gateway/hop-allowed:pass',
    ],
    /reaches payments\/payments-api/,
  ],
  [
    'ReferenceGrant missing',
    (g, f) => {
      g.referenceGrants.payments = { state: 'ok', value: [] };
      setStatus(g, 'ResolvedRefs', 'False', 'RefNotPermitted');
      replaceProbe(f, gatewayProbe(500));
    },
    'fault',
    'gateway',
    ['gateway/backend-not-permitted:fail', 'gateway/refs-not-resolved:fail', 'gateway/backend-error:fail'],
    /no ReferenceGrant in payments allows HTTPRoutes from production/,
  ],
  [
    'namespace not allowed',
    (g) => {
      route(g).metadata.namespace = 'orders';
      setStatus(g, 'Accepted', 'False', 'NotAllowedByListeners');
      g.referenceGrants.payments = {
        state: 'ok',
        value: [
          {
            metadata: { name: 'o', namespace: 'payments' },
            spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'orders' }], to: [{ group: '', kind: 'Service' }] },
          },
        ],
      };
    },
    'fault',
    'gateway',
    ['gateway/not-allowed-by-listener:fail', 'gateway/route-not-accepted:fail'],
    /does not admit HTTPRoute orders\/api-route/,
  ],
  [
    'hostname matches no listener',
    (g, f) => {
      route(g).spec.hostnames = ['api.example.org'];
      setStatus(g, 'Accepted', 'False', 'NoMatchingListenerHostname');
      replaceProbe(f, gatewayProbe(404, 'api.example.org'));
    },
    'fault',
    'gateway',
    ['gateway/hostname-mismatch:fail', 'gateway/route-not-matched:fail'],
    /api\.example\.org match no listener hostname/,
  ],
  [
    'parent Gateway missing',
    (g) => {
      route(g).spec.parentRefs![0].name = 'lab-gatewy';
      route(g).status = { parents: [] };
      g.gateways = { 'traefik/lab-gatewy': { state: 'not-found', message: 'gateways "lab-gatewy" not found' } };
    },
    'fault',
    'gateway',
    ['gateway/gateway-missing:fail'],
    /lab-gatewy, which does not exist/,
  ],
  [
    'wrong sectionName',
    (g) => {
      route(g).spec.parentRefs![0].sectionName = 'websecure';
      route(g).status!.parents![0].parentRef.sectionName = 'websecure';
      setStatus(g, 'Accepted', 'False', 'NoMatchingParent');
    },
    'fault',
    'gateway',
    ['gateway/no-matching-listener:fail', 'gateway/route-not-accepted:fail'],
    /sectionName websecure matches no listener/,
  ],
  [
    'backend port not on the Service',
    (g) => {
      route(g).spec.rules![0].backendRefs![0].port = 8080;
      setStatus(g, 'ResolvedRefs', 'False', 'BackendNotFound');
    },
    'fault',
    'gateway',
    ['gateway/backend-port-missing:fail', 'gateway/refs-not-resolved:fail'],
    /port 8080, which the Service does not expose/,
  ],
  [
    'GatewayClass without a controller',
    (g) => {
      g.classes = {
        state: 'ok',
        value: [
          {
            metadata: { name: 'traefik' },
            spec: { controllerName: 'example.com/edge' },
            status: { conditions: [{ type: 'Accepted', status: 'Unknown', reason: 'Pending' }] },
          },
        ],
      };
      g.controllers = [
        {
          controller: 'example.com/edge',
          product: 'unknown',
          pods: { state: 'skipped', message: 'k8snet does not know the labels of controller example.com/edge' },
          services: { state: 'skipped', message: 'no controller pods' },
          logs: [],
        },
      ];
    },
    'fault',
    'gateway',
    ['gateway/class-not-accepted:fail'],
    /No controller has accepted GatewayClass traefik/,
  ],
  [
    'known controller with no pods',
    (g) => {
      g.controllers[0].pods = { state: 'ok', value: [] };
    },
    'fault',
    'gateway',
    ['gateway/no-controller:fail'],
    /No controller runs for GatewayClass traefik/,
  ],
  [
    'policy blocks the gateway pods',
    (_g, f) => {
      if (f.policies.payments?.state === 'ok')
        f.policies.payments.value = f.policies.payments.value.filter((p) => p.metadata.name !== 'allow-gateway-to-payments');
      replaceProbe(f, gatewayProbe('timeout'));
    },
    'fault',
    'policy',
    ['gateway/hop-denied:fail', 'gateway/probe-failed:fail', 'policy/allowed:pass'],
    /NetworkPolicy blocks the Gateway's data plane: traefik\/traefik-\S+ -> payments\/payments-api-\S+ on TCP 8080 is denied by payments\/default-deny-ingress/,
  ],
  [
    'status stale, data plane fine',
    (g) => {
      route(g).metadata.generation = 2;
    },
    'healthy',
    null,
    ['gateway/route-status-stale:warn', 'gateway/probe-ok:pass'],
    /reaches payments\/payments-api/,
  ],
  [
    'Gateway API not installed',
    (_g, f) => {
      f.gateway = { ...f.gateway!, discovery: { state: 'not-found', message: 'the server could not find the requested resource' }, routes: [] };
      f.probes = f.probes.filter((x) => !x.id.startsWith('gateway/'));
    },
    'healthy',
    null,
    ['gateway/not-installed:info'],
    /reaches/,
  ],
];

describe('Gateway API checks on facts', () => {
  it.each(TABLE)('%s', (_name, mutate, verdict, layer, codes, headline) => {
    const facts = gatewayWorld(mutate);
    expect(validateFacts(JSON.parse(JSON.stringify(facts)), 'world.json')).toBeDefined();
    const findings = runChecks(facts);
    const d = diagnose(findings, facts);
    expect({ verdict: d.verdict, layer: d.layer }).toEqual({ verdict, layer });
    expect(d.headline).toMatch(headline);
    const got = findings.map((f) => `${f.code}:${f.status}`);
    for (const c of codes) expect(got).toContain(c.includes(':') ? c : `${c}:fail`);
    expect(exitCodeFor(d)).toBe(verdict === 'healthy' ? 0 : 1);
  });

  it('the healthy world has no gateway failure, warning or unknown', () => {
    const bad = checkGateway(gatewayWorld()).filter((f) => f.status !== 'pass' && f.status !== 'info');
    expect(bad).toEqual([]);
  });

  it('a missing ReferenceGrant prints the grant to add, in the backend namespace, for review', () => {
    const facts = gatewayWorld((g) => {
      g.referenceGrants.payments = { state: 'ok', value: [] };
    });
    const f = checkGateway(facts).find((x) => x.code === 'gateway/backend-not-permitted')!;
    expect(f.data?.suggestion).toMatch(
      /kind: ReferenceGrant\n[\s\S]*namespace: payments[\s\S]*kind: HTTPRoute\n\s+namespace: production[\s\S]*name: payments-api/,
    );
    expect(f.data?.suggestionTitle).toMatch(/ReferenceGrant .*never applied/);
  });

  it("the controller's fresh Accepted=True turns k8snet's own listener doubt into a warning, never a fault", () => {
    const facts = gatewayWorld((g) => {
      route(g).spec.hostnames = ['api.example.org'];
    });
    const f = checkGateway(facts).find((x) => x.code === 'gateway/hostname-mismatch')!;
    expect(f.status).toBe('warn');
  });

  it('forbidden reads are unknown, never "no route" or pass', () => {
    const facts = gatewayWorld((g) => {
      g.routes = [{ kind: 'HTTPRoute', read: { state: 'forbidden', message: 'httproutes.gateway.networking.k8s.io is forbidden' } }];
    });
    const fs = checkGateway(facts);
    expect(fs.map((x) => `${x.code}:${x.status}`)).toEqual(['gateway/unreadable:unknown']);
    expect(fs[0].summary).toMatch(/forbidden — grant list on httproutes.gateway.networking.k8s.io/);
    const grants = checkGateway(
      gatewayWorld((g) => {
        g.referenceGrants.payments = { state: 'forbidden', message: 'no' };
      }),
    );
    expect(grants.find((x) => x.code === 'gateway/backend-ok')).toBeUndefined();
    expect(grants.some((x) => x.code === 'gateway/unreadable' && x.status === 'unknown')).toBe(true);
  });

  it('without the ReferenceGrant CRD nothing admits a cross-namespace backend', () => {
    const facts = gatewayWorld((g) => {
      g.referenceGrants.payments = { state: 'not-found', message: 'ReferenceGrant is not served by this cluster' };
      setStatus(g, 'ResolvedRefs', 'False', 'RefNotPermitted');
    });
    expect(checkGateway(facts).find((x) => x.code === 'gateway/backend-not-permitted')?.status).toBe('fail');
  });

  it('facts saved before Gateway API support produce no gateway findings', () => {
    const facts = gatewayWorld((_g, f) => {
      delete f.gateway;
    });
    expect(checkGateway(facts)).toEqual([]);
  });
});
