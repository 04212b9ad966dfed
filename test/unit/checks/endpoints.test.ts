// Step 1 checks on mutations of the healthy fixture: Service, selector, readiness, endpoints, targetPort.

import { describe, expect, it } from 'vitest';
import { checkEndpoints } from '../../../src/checks/endpoints.js';
import { nearMisses } from '../../../src/checks/lib/labels.js';
import { closeNames, editDistance } from '../../../src/util/similar-names.js';
import type { Facts } from '../../../src/model/facts.js';
import type { Pod, Service } from '../../../src/model/k8s.js';
import { loadFacts } from '../helpers.js';

const svc = (f: Facts) => (f.service as { value: Service }).value;
const pods = (f: Facts) => (f.namespacePods as { value: Pod[] }).value;
const codes = (f: Facts) => checkEndpoints(f).map((x) => `${x.code}:${x.status}`);

describe('step 1: Service and endpoints', () => {
  const cases: [string, (f: Facts) => void, string[]][] = [
    ['healthy', () => {}, ['service/found:pass', 'service/pods-matched:pass', 'service/endpoints-ready:pass', 'service/target-port-ok:pass']],
    [
      'named targetPort not declared',
      (f) => {
        svc(f).spec.ports = [{ name: 'http', port: 80, targetPort: 'web' }];
      },
      ['service/target-port-unresolved:fail'],
    ],
    [
      'numeric targetPort undeclared',
      (f) => {
        svc(f).spec.ports = [{ port: 80, targetPort: 9090 }];
      },
      ['service/target-port-undeclared:warn'],
    ],
    [
      'protocol mismatch',
      (f) => {
        svc(f).spec.ports = [{ port: 80, targetPort: 8080, protocol: 'UDP' }];
      },
      ['service/protocol-mismatch:warn'],
    ],
    [
      'one pod not ready',
      (f) => {
        pods(f)[0].status!.conditions = [{ type: 'Ready', status: 'False' }];
      },
      ['service/pods-not-ready:warn'],
    ],
    [
      'pending pod',
      (f) => {
        for (const p of pods(f))
          p.status = {
            phase: 'Pending',
            conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.' }],
          };
      },
      ['service/pods-not-ready:fail'],
    ],
    [
      'ExternalName',
      (f) => {
        svc(f).spec = { type: 'ExternalName', externalName: 'payments.example.com' };
      },
      ['service/found:pass', 'service/external-name:info'],
    ],
    [
      'selector-less',
      (f) => {
        delete svc(f).spec.selector;
      },
      ['service/selectorless:info', 'service/endpoints-ready:pass'],
    ],
    [
      '--port not on the Service',
      (f) => {
        f.request.port = 'grpc';
      },
      ['service/port-not-found:fail'],
    ],
    [
      'internalTrafficPolicy Local, no local endpoint',
      (f) => {
        svc(f).spec.internalTrafficPolicy = 'Local';
        (f.source as { value: { pod: Pod } }).value.pod.spec.nodeName = 'lab-node-2';
      },
      ['service/no-local-endpoint:fail'],
    ],
    [
      'terminating endpoint',
      (f) => {
        const s = (f.endpointSlices as { value: { endpoints: { conditions: object }[] }[] }).value[0];
        s.endpoints[0].conditions = { ready: false, serving: true, terminating: true };
      },
      ['service/endpoints-terminating:warn'],
    ],
    [
      'slices forbidden, Endpoints fallback',
      (f) => {
        f.endpointSlices = { state: 'forbidden', message: 'forbidden' };
        f.endpoints = {
          state: 'ok',
          value: { metadata: { name: 'payments-api' }, subsets: [{ addresses: [{ ip: '10.244.0.21' }], ports: [{ port: 8080 }] }] },
        };
      },
      ['service/endpoints-ready:pass'],
    ],
    [
      'service forbidden',
      (f) => {
        f.service = { state: 'forbidden', message: 'services "payments-api" is forbidden' };
      },
      ['service/unreadable:unknown'],
    ],
  ];
  it.each(cases)('%s', (_n, mutate, want) => {
    const f = loadFacts('healthy');
    mutate(f);
    const got = codes(f);
    for (const w of want) expect(got).toContain(w);
    expect(got.filter((c) => c.endsWith(':fail')).length).toBe(want.filter((c) => c.endsWith(':fail')).length);
  });

  it('quotes the near miss as the issue asks', () => {
    const f = loadFacts('selector-typo');
    const nm = checkEndpoints(f).find((x) => x.code === 'service/no-matching-pods')!;
    expect(nm.evidence).toContain('selector app=payments-api; pod payment-api-7d9c6b5f4-abcde has app=payment-api');
  });

  it('names the readiness reasons: readiness probe and CrashLoopBackOff', () => {
    const f = loadFacts('pods-not-ready');
    const nr = checkEndpoints(f).find((x) => x.code === 'service/pods-not-ready')!;
    expect(nr.evidence[1]).toBe('payments-api-7d9c6b5f4-fghij: container payments-api: CrashLoopBackOff, 6 restarts, last exit code 2 Error');
    expect(nr.evidence[0]).toMatch(/failing its readiness probe GET \/healthz on port http/);
  });

  it('suggests close names and the same name elsewhere when the Service is missing', () => {
    const f = loadFacts('healthy');
    f.request.target.name = 'payment-api';
    f.service = { state: 'not-found' };
    f.serviceSuggestions = { sameNamespace: ['payments-api', 'payments-db'], otherNamespaces: [{ namespace: 'staging', name: 'payment-api' }] };
    const nf = checkEndpoints(f)[0];
    expect(nf.code).toBe('service/not-found');
    expect(nf.summary).toBe('Service payments/payment-api does not exist — did you mean payments/payments-api?');
    expect(nf.evidence).toContain('same name in other namespaces: staging/payment-api');
  });
});

describe('label helpers', () => {
  it.each([
    ['payments-api', 'payment-api', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['same', 'same', 0],
  ])('editDistance(%s, %s) = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
  it('closeNames ranks by distance', () => {
    expect(closeNames('payment-api', ['payments-api', 'orders-api', 'payments-db'])).toEqual(['payments-api']);
  });
  it('nearMisses: one differing value or one missing key, never two', () => {
    const pod = (name: string, labels: Record<string, string>) => ({ metadata: { name, labels }, spec: { containers: [] } }) as Pod;
    const got = nearMisses([pod('a', { app: 'payment-api', tier: 'be' }), pod('b', { apps: 'payments-api', tier: 'be' }), pod('c', { app: 'x' })], {
      app: 'payments-api',
      tier: 'be',
    });
    expect(got.map((m) => m.pod)).toEqual(['a', 'b']);
    expect(got[1].similarKey).toEqual({ key: 'apps', value: 'payments-api' });
  });
});
