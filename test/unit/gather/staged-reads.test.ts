// The reads that start ahead of need (issue 11): a workload's pods are listed as soon as the
// workload answers, the Gateway API lists are asked for beside discovery and reused only when
// discovery names the same path, and the controllers' log tails arrive after the routing facts.
// A stand-in for the Api's read/list/getText records every path and when it was asked.

import { describe, expect, it } from 'vitest';
import type { Api } from '../../../src/cluster/api.js';
import { ClusterError } from '../../../src/errors.js';
import { resolveSourcePod } from '../../../src/gather/source.js';
import { gatherGateway } from '../../../src/gather/gateway.js';
import { gatherIngress } from '../../../src/gather/ingress.js';
import type { Read } from '../../../src/model/facts.js';

type Answer = Read<unknown> | Promise<Read<unknown>>;

function fakeApi(answer: (path: string) => Answer, text: (path: string) => Promise<string> = () => Promise.reject(new Error('no logs'))) {
  const asked: string[] = [];
  const api = {
    async read<T>(path: string): Promise<Read<T>> {
      asked.push(path);
      return (await answer(path)) as Read<T>;
    },
    async list<T>(path: string): Promise<Read<T[]>> {
      const r = await api.read<{ items?: T[] }>(path);
      return r.state === 'ok' ? { state: 'ok', value: r.value.items ?? [] } : r;
    },
    async getText(path: string): Promise<string> {
      asked.push(path);
      return text(path);
    },
  };
  return { api: api as unknown as Api, asked };
}

const notFound: Read<never> = { state: 'not-found', message: 'not found' };
const ok = (value: unknown): Read<unknown> => ({ state: 'ok', value });
const later = <T>(ms: number, v: T) => new Promise<T>((r) => setTimeout(() => r(v), ms));
const pod = (name: string, labels: Record<string, string> = {}, ns = 'orders') => ({
  metadata: { name, namespace: ns, labels },
  spec: { nodeName: 'node-a', containers: [{ name: 'app' }] },
  status: { phase: 'Running', podIP: '10.244.0.9', conditions: [{ type: 'Ready', status: 'True' }] },
});

describe('resolveSourcePod: reads that start as soon as their input exists', () => {
  it("lists a Deployment's pods as soon as the Deployment answers, before the pod read does", async () => {
    let podReadAnswered = false;
    let listedBeforePodAnswer: boolean | undefined;
    const { api } = fakeApi((p) => {
      if (p === '/api/v1/namespaces/orders/pods/orders-api') return later(40, notFound).then((r) => ((podReadAnswered = true), r));
      if (p === '/apis/apps/v1/namespaces/orders/deployments/orders-api')
        return ok({ metadata: { name: 'orders-api' }, spec: { selector: { matchLabels: { app: 'orders-api' } } } });
      if (p.startsWith('/api/v1/namespaces/orders/pods?')) {
        listedBeforePodAnswer ??= !podReadAnswered;
        return ok({ items: [pod('orders-api-1', { app: 'orders-api' })] });
      }
      return notFound;
    });
    const r = await resolveSourcePod(api, { namespace: 'orders', name: 'orders-api' });
    expect(r.state).toBe('ok');
    if (r.state !== 'ok') return;
    expect(r.value.resolvedVia).toBe('deployment');
    expect(r.value.pod.metadata.name).toBe('orders-api-1');
    expect(listedBeforePodAnswer).toBe(true);
  });

  it('pods labelled app=NAME are asked for beside the workload reads, and reused when the Deployment selects exactly that', async () => {
    let deploymentAnswered = false;
    let listAskedEarly: boolean | undefined;
    const { api, asked } = fakeApi((p) => {
      if (p === '/apis/apps/v1/namespaces/orders/deployments/orders-api')
        return later(30, ok({ metadata: { name: 'orders-api' }, spec: { selector: { matchLabels: { app: 'orders-api' } } } })).then(
          (r) => ((deploymentAnswered = true), r),
        );
      if (p.startsWith('/api/v1/namespaces/orders/pods?')) {
        listAskedEarly ??= !deploymentAnswered;
        return ok({ items: [pod('orders-api-1', { app: 'orders-api' })] });
      }
      return notFound;
    });
    const r = await resolveSourcePod(api, { namespace: 'orders', name: 'orders-api' });
    expect(r.state === 'ok' && [r.value.resolvedVia, r.value.pod.metadata.name]).toEqual(['deployment', 'orders-api-1']);
    expect(listAskedEarly).toBe(true);
    expect(asked.filter((p) => p.startsWith('/api/v1/namespaces/orders/pods?'))).toEqual(['/api/v1/namespaces/orders/pods?labelSelector=app%3Dorders-api']);
  });

  it('a Deployment whose selector is not app=NAME gets its own list: the app=NAME pods are not taken for its pods', async () => {
    const { api } = fakeApi((p) => {
      if (p === '/apis/apps/v1/namespaces/orders/deployments/orders-api')
        return ok({ metadata: { name: 'orders-api' }, spec: { selector: { matchLabels: { app: 'orders-api', tier: 'web' } } } });
      if (p === '/api/v1/namespaces/orders/pods?labelSelector=app%3Dorders-api') return ok({ items: [pod('wrong-1', { app: 'orders-api' })] });
      if (p === '/api/v1/namespaces/orders/pods?labelSelector=app%3Dorders-api%2Ctier%3Dweb')
        return ok({ items: [pod('right-1', { app: 'orders-api', tier: 'web' })] });
      return notFound;
    });
    const r = await resolveSourcePod(api, { namespace: 'orders', name: 'orders-api' });
    expect(r.state === 'ok' && r.value.pod.metadata.name).toBe('right-1');
  });

  it('a pod of that name still wins over a Deployment of the same name that answered first', async () => {
    const { api, asked } = fakeApi((p) => {
      if (p === '/api/v1/namespaces/orders/pods/orders-api') return later(30, ok(pod('orders-api')));
      if (p === '/apis/apps/v1/namespaces/orders/deployments/orders-api')
        return ok({ metadata: { name: 'orders-api' }, spec: { selector: { matchLabels: { app: 'other' } } } });
      if (p.startsWith('/api/v1/namespaces/orders/pods?')) return ok({ items: [pod('other-1', { app: 'other' })] });
      return notFound;
    });
    const r = await resolveSourcePod(api, { namespace: 'orders', name: 'orders-api' });
    expect(r.state === 'ok' && [r.value.resolvedVia, r.value.pod.metadata.name]).toEqual(['pod', 'orders-api']);
    // the speculative list was asked (and dropped): nothing else depends on it
    expect(asked.some((p) => p.startsWith('/api/v1/namespaces/orders/pods?labelSelector=app%3Dother'))).toBe(true);
  });

  it('the order of workload kinds decides, not which answers first', async () => {
    const { api } = fakeApi((p) => {
      if (p.includes('/deployments/x')) return later(30, ok({ metadata: { name: 'x' }, spec: { selector: { matchLabels: { app: 'deploy' } } } }));
      if (p.includes('/statefulsets/x')) return ok({ metadata: { name: 'x' }, spec: { selector: { matchLabels: { app: 'sts' } } } });
      if (p.includes('labelSelector=app%3Ddeploy')) return ok({ items: [pod('d-1', { app: 'deploy' })] });
      if (p.includes('labelSelector=app%3Dsts')) return ok({ items: [pod('s-0', { app: 'sts' })] });
      return notFound;
    });
    const r = await resolveSourcePod(api, { namespace: 'orders', name: 'x' });
    expect(r.state === 'ok' && [r.value.resolvedVia, r.value.pod.metadata.name]).toEqual(['deployment', 'd-1']);
  });

  it('without a pod or workload, asks both label selectors at once and prefers app=', async () => {
    const order: string[] = [];
    const { api } = fakeApi(async (p) => {
      if (p.includes('labelSelector=app%3Dweb')) {
        order.push('app asked');
        await later(30, 0);
        order.push('app answered');
        return ok({ items: [] });
      }
      if (p.includes('labelSelector=app.kubernetes.io%2Fname%3Dweb')) {
        order.push('name asked');
        return ok({ items: [pod('web-1', { 'app.kubernetes.io/name': 'web' })] });
      }
      return notFound;
    });
    const r = await resolveSourcePod(api, { namespace: 'orders', name: 'web' });
    expect(r.state === 'ok' && [r.value.resolvedVia, r.value.pod.metadata.name]).toEqual(['label-app.kubernetes.io/name', 'web-1']);
    expect(order.indexOf('name asked')).toBeLessThan(order.indexOf('app answered'));
  });

  it('app= wins when both selectors match pods', async () => {
    const { api } = fakeApi((p) => {
      if (p.includes('labelSelector=app%3Dweb')) return later(20, ok({ items: [pod('by-app', { app: 'web' })] }));
      if (p.includes('labelSelector=app.kubernetes.io%2Fname%3Dweb')) return ok({ items: [pod('by-name', { 'app.kubernetes.io/name': 'web' })] });
      return notFound;
    });
    const r = await resolveSourcePod(api, { namespace: 'orders', name: 'web' });
    expect(r.state === 'ok' && r.value.pod.metadata.name).toBe('by-app');
  });
});

const G = '/apis/gateway.networking.k8s.io';
const route = (name: string) => ({
  metadata: { name, namespace: 'payments' },
  spec: { parentRefs: [{ name: 'gw', namespace: 'payments' }], rules: [{ backendRefs: [{ name: 'payments-api', port: 80 }] }] },
});
const resources = (...names: [string, string][]) => ok({ resources: names.map(([name, kind]) => ({ name, kind, namespaced: name !== 'gatewayclasses' })) });

describe('Gateway API reads asked for beside discovery', () => {
  it('reuses the lists asked ahead when discovery names the same paths: each path is asked once', async () => {
    let versionAnswered = false;
    let routesAskedEarly: boolean | undefined;
    const { api, asked } = fakeApi((p) => {
      if (p === `${G}/v1/httproutes`) routesAskedEarly ??= !versionAnswered;
      if (p === G) return ok({ versions: [{ groupVersion: 'gateway.networking.k8s.io/v1', version: 'v1' }], preferredVersion: { version: 'v1' } });
      if (p === `${G}/v1`)
        return later(30, resources(['httproutes', 'HTTPRoute'], ['grpcroutes', 'GRPCRoute'], ['gatewayclasses', 'GatewayClass'], ['gateways', 'Gateway'])).then(
          (r) => ((versionAnswered = true), r),
        );
      if (p === `${G}/v1/httproutes`) return ok({ items: [route('r1')] });
      if (p === `${G}/v1/grpcroutes`) return ok({ items: [] });
      if (p === `${G}/v1/gatewayclasses`) return ok({ items: [{ metadata: { name: 'c' }, spec: { controllerName: 'example.com/none' } }] });
      return notFound;
    });
    const g = await gatherGateway(api, { namespace: 'payments', name: 'payments-api' });
    await g.logs;
    const routes = g.facts.routes.find((r) => r.kind === 'HTTPRoute')?.read;
    expect(routes?.state === 'ok' && routes.value.map((r) => r.metadata.name)).toEqual(['r1']);
    for (const p of [`${G}/v1`, `${G}/v1/httproutes`, `${G}/v1/grpcroutes`, `${G}/v1/gatewayclasses`]) expect(asked.filter((a) => a === p)).toHaveLength(1);
    expect(routesAskedEarly).toBe(true); // beside discovery, not after it
  });

  it('never uses a list asked ahead when discovery serves the kind at another version', async () => {
    const { api, asked } = fakeApi((p) => {
      if (p === G)
        return ok({ versions: [{ groupVersion: 'gateway.networking.k8s.io/v1beta1', version: 'v1beta1' }], preferredVersion: { version: 'v1beta1' } });
      if (p === `${G}/v1beta1`) return resources(['httproutes', 'HTTPRoute'], ['gateways', 'Gateway']);
      if (p === `${G}/v1beta1/httproutes`) return ok({ items: [route('from-v1beta1')] });
      // a stale answer at v1 (not served per discovery) must not be used
      if (p === `${G}/v1/httproutes`) return ok({ items: [route('stale-v1')] });
      return notFound;
    });
    const g = await gatherGateway(api, { namespace: 'payments', name: 'payments-api' });
    const routes = g.facts.routes.find((r) => r.kind === 'HTTPRoute')?.read;
    expect(routes?.state === 'ok' && routes.value.map((r) => r.metadata.name)).toEqual(['from-v1beta1']);
    expect(g.facts.routes.map((r) => r.kind)).toEqual(['HTTPRoute']);
    expect(asked).toContain(`${G}/v1beta1/httproutes`);
  });

  it('Gateway API not installed: discovery says so; the lists asked ahead change nothing', async () => {
    const { api } = fakeApi(() => notFound);
    const g = await gatherGateway(api, { namespace: 'payments', name: 'payments-api' });
    expect(g.facts.discovery.state).toBe('not-found');
    expect(g.facts.routes).toEqual([]);
  });
});

describe('Ingress facts in two stages', () => {
  it("answers with the routing facts before the controller's log tail, then fills the log in", async () => {
    let releaseLog: (s: string) => void = () => undefined;
    const log = new Promise<string>((r) => (releaseLog = r));
    const traefik = pod('traefik-1', { 'app.kubernetes.io/name': 'traefik' }, 'traefik');
    const { api } = fakeApi(
      (p) => {
        if (p === '/apis/networking.k8s.io/v1/namespaces/payments/ingresses')
          return ok({
            items: [
              {
                metadata: { name: 'api', namespace: 'payments' },
                spec: {
                  ingressClassName: 'traefik',
                  rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'payments-api', port: { number: 80 } } } }] } }],
                },
              },
            ],
          });
        if (p === '/apis/networking.k8s.io/v1/ingressclasses')
          return ok({ items: [{ metadata: { name: 'traefik' }, spec: { controller: 'traefik.io/ingress-controller' } }] });
        if (p.startsWith('/api/v1/pods?')) return ok({ items: [traefik] });
        if (p === '/api/v1/namespaces/traefik/services')
          return ok({
            items: [{ metadata: { name: 'traefik', namespace: 'traefik' }, spec: { selector: { 'app.kubernetes.io/name': 'traefik' }, ports: [] } }],
          });
        return notFound;
      },
      () => log,
    );
    const g = await gatherIngress(api, { namespace: 'payments', name: 'payments-api' });
    const ctl = g.facts.controllers[0];
    expect(ctl.services.state === 'ok' && ctl.services.value.map((s) => s.metadata.name)).toEqual(['traefik']);
    expect(ctl.logs).toEqual([]); // not read yet: the probes do not wait for it
    releaseLog('line one\nline two\n');
    await g.logs;
    expect(g.facts.controllers[0].logs.map((l) => [l.pod, l.lines])).toEqual([['traefik-1', { state: 'ok', value: ['line one', 'line two'] }]]);
  });

  it('a log read that fails becomes a Read failure in the facts, and `logs` still settles', async () => {
    const traefik = pod('traefik-1', { 'app.kubernetes.io/name': 'traefik' }, 'traefik');
    const { api } = fakeApi(
      (p) => {
        if (p.endsWith('/ingresses/api'))
          return ok({
            metadata: { name: 'api', namespace: 'payments' },
            spec: { ingressClassName: 'traefik', defaultBackend: { service: { name: 'payments-api' } } },
          });
        if (p === '/apis/networking.k8s.io/v1/ingressclasses')
          return ok({ items: [{ metadata: { name: 'traefik' }, spec: { controller: 'traefik.io/ingress-controller' } }] });
        if (p.startsWith('/api/v1/pods?')) return ok({ items: [traefik] });
        if (p === '/api/v1/namespaces/traefik/services') return ok({ items: [] });
        return notFound;
      },
      () => Promise.reject(new ClusterError({ kind: 'forbidden', message: 'GET log failed with HTTP 403', why: 'no', next: 'ask' })),
    );
    const g = await gatherIngress(api, { namespace: 'payments', name: 'payments-api' }, { namespace: 'payments', name: 'api' });
    await g.logs;
    expect(g.facts.controllers[0].logs[0].lines.state).toBe('forbidden');
  });
});
