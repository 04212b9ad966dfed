// A Gateway API world grafted onto the synthetic healthy facts: Traefik's GatewayClass and Gateway,
// the HTTPRoute production/api-route -> payments/payments-api with its ReferenceGrant and the
// status Traefik writes, the gateway pod, and an HTTP probe through it. Tests mutate a copy.

import type { Facts, GatewayApiFacts } from '../../../src/model/facts.js';
import type { GatewayRoute } from '../../../src/model/gateway-api.js';
import type { ProbeFact } from '../../../src/model/probe.js';
import { loadFacts } from '../helpers.js';

const ok = <T>(value: T) => ({ state: 'ok' as const, value });
const cond = (type: string, status: string, reason: string, gen = 1) => ({ type, status, reason, observedGeneration: gen });

export function routeFixture(): GatewayRoute {
  return {
    kind: 'HTTPRoute',
    metadata: { name: 'api-route', namespace: 'production', generation: 1 },
    spec: {
      parentRefs: [{ name: 'lab-gateway', namespace: 'traefik', sectionName: 'web' }],
      hostnames: ['api.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/payments' } }], backendRefs: [{ name: 'payments-api', namespace: 'payments', port: 80 }] }],
    },
    status: {
      parents: [
        {
          parentRef: { name: 'lab-gateway', namespace: 'traefik', sectionName: 'web' },
          controllerName: 'traefik.io/gateway-controller',
          conditions: [cond('Accepted', 'True', 'Accepted'), cond('ResolvedRefs', 'True', 'ResolvedRefs')],
        },
      ],
    },
  };
}

export function gatewayProbe(status: number | 'timeout', hostHeader = 'api.example.com'): ProbeFact {
  const timeout = status === 'timeout';
  return {
    id: 'gateway/HTTPRoute/production/api-route/0/web/0',
    kind: 'http',
    label: `${hostHeader}/payments through Gateway traefik/lab-gateway listener web`,
    target: { host: '10.96.80.80', port: 8000, path: '/payments', hostHeader },
    tool: 'curl',
    exec: {
      namespace: 'orders',
      pod: 'orders-api-5c8d7f9b6-qwert',
      container: 'orders-api',
      argv: [
        'curl',
        '-v',
        '-sS',
        '-g',
        '--noproxy',
        '*',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code} %{num_connects}',
        '--connect-timeout',
        '2',
        '--max-time',
        '2',
        '-H',
        `Host: ${hostHeader}`,
        'http://10.96.80.80:8000/payments',
      ],
      state: 'completed',
      exitCode: timeout ? 28 : 0,
      stdout: timeout ? '000 1' : `${status} 1`,
      stderr: timeout
        ? '* Connected to 10.96.80.80 port 8000\ncurl: (28) Operation timed out after 2001 milliseconds with 0 bytes received\n'
        : `* Connected to 10.96.80.80 port 8000\n< HTTP/1.1 ${status} X\n`,
      elapsedMs: timeout ? 2001 : 4,
    },
  };
}

/** The synthetic healthy facts plus a healthy Gateway API world. */
export function gatewayWorld(mutate?: (g: GatewayApiFacts, f: Facts) => void): Facts {
  const f = loadFacts('healthy');
  const traefikPod = f.ingress.controllers[0].pods.state === 'ok' ? f.ingress.controllers[0].pods.value[0] : undefined;
  const traefikSvc = {
    metadata: { name: 'traefik', namespace: 'traefik' },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.80.80',
      selector: { 'app.kubernetes.io/name': 'traefik' },
      ports: [
        { name: 'web', port: 80, targetPort: 'web' },
        { name: 'gateway-web', port: 8000, targetPort: 'web' },
      ],
    },
  };
  if (f.namespaces.state === 'ok')
    f.namespaces.value.push({ metadata: { name: 'production', labels: { team: 'platform', 'kubernetes.io/metadata.name': 'production' } } });
  if (f.policies.payments?.state === 'ok') {
    f.policies.payments.value.push({
      metadata: { name: 'allow-gateway-to-payments', namespace: 'payments' },
      spec: {
        podSelector: { matchLabels: { app: 'payments-api' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } },
                podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
              },
            ],
            ports: [{ protocol: 'TCP', port: 8080 }],
          },
        ],
      },
    });
  }
  f.policies.traefik = ok([]);
  const controller = {
    controller: 'traefik.io/gateway-controller',
    product: 'traefik',
    pods: ok(traefikPod ? [traefikPod] : []),
    services: ok([traefikSvc]),
    logs: [],
  };
  const g: GatewayApiFacts = {
    discovery: ok([
      { kind: 'HTTPRoute', resource: 'httproutes', version: 'v1' },
      { kind: 'GRPCRoute', resource: 'grpcroutes', version: 'v1' },
      { kind: 'Gateway', resource: 'gateways', version: 'v1' },
      { kind: 'GatewayClass', resource: 'gatewayclasses', version: 'v1' },
      { kind: 'ReferenceGrant', resource: 'referencegrants', version: 'v1beta1' },
    ]),
    routes: [
      { kind: 'HTTPRoute', read: ok([routeFixture()]) },
      { kind: 'GRPCRoute', read: ok([]) },
    ],
    gateways: {
      'traefik/lab-gateway': ok({
        metadata: { name: 'lab-gateway', namespace: 'traefik', generation: 1 },
        spec: {
          gatewayClassName: 'traefik',
          listeners: [
            {
              name: 'web',
              protocol: 'HTTP',
              port: 8000,
              hostname: '*.example.com',
              allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'platform' } } } },
            },
          ],
        },
        status: {
          addresses: [{ type: 'Hostname', value: 'traefik.traefik.svc.cluster.local' }],
          conditions: [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'True', 'Programmed')],
          listeners: [{ name: 'web', attachedRoutes: 1, conditions: [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'True', 'Programmed')] }],
        },
      }),
    },
    classes: ok([
      {
        metadata: { name: 'traefik', generation: 1 },
        spec: { controllerName: 'traefik.io/gateway-controller' },
        status: { conditions: [cond('Accepted', 'True', 'Handled')] },
      },
    ]),
    controllers: [controller],
    dataPlanes: { 'traefik/lab-gateway': { via: 'controller', pods: controller.pods, services: controller.services } },
    referenceGrants: {
      payments: ok([
        {
          metadata: { name: 'allow-production-routes', namespace: 'payments' },
          spec: {
            from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'production' }],
            to: [{ group: '', kind: 'Service', name: 'payments-api' }],
          },
        },
      ]),
    },
    backendServices: {},
    certificates: [],
  };
  f.gateway = g;
  f.probes.push(gatewayProbe(200));
  mutate?.(g, f);
  return f;
}
