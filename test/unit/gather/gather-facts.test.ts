// gatherFacts against a stand-in API server on loopback (no cluster): every read lands in the facts
// field named for it. Each list the server answers carries one object whose name says which read it
// is, so a result stored under the wrong name (the first reads come back by name, not by position)
// shows up here; the timings name each step with its own request count.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../../src/cluster/api.js';
import { loadKubeConfig } from '../../../src/cluster/kubeconfig.js';
import { gatherFacts, type GatherContext } from '../../../src/gather/index.js';
import type { Facts, Read } from '../../../src/model/facts.js';

const item = (kind: string, name: string, namespace?: string, extra: object = {}) => ({
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  ...extra,
});
const list = (...items: object[]) => ({ kind: 'List', metadata: {}, items });
const service = (ns: string, name: string, clusterIP: string) =>
  item('Service', name, ns, { spec: { selector: { app: name }, ports: [{ port: 80, protocol: 'TCP' }], clusterIP, type: 'ClusterIP' } });
const pod = (ns: string, name: string) =>
  item('Pod', name, ns, { spec: { nodeName: 'node-a', containers: [{ name: 'c' }] }, status: { phase: 'Running', podIP: '10.244.0.9' } });

/** Path (without the query) -> the answer. Everything else is a 404 Status. */
const ANSWERS: Record<string, object> = {
  '/api/v1/namespaces/payments/services/payments-api': service('payments', 'payments-api', '10.96.0.50'),
  '/api/v1/namespaces/payments/pods': list(pod('payments', 'from-namespace-pods')),
  '/apis/discovery.k8s.io/v1/namespaces/payments/endpointslices': list(
    item('EndpointSlice', 'from-endpoint-slices', 'payments', { addressType: 'IPv4', endpoints: [] }),
  ),
  '/api/v1/namespaces': list(item('Namespace', 'from-namespaces'), item('Namespace', 'payments')),
  '/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies': list(item('NetworkPolicy', 'from-policies', 'payments', { spec: { podSelector: {} } })),
  '/api/v1/nodes': list(item('Node', 'from-nodes')),
  '/apis/apps/v1/daemonsets': list(item('DaemonSet', 'from-daemonsets', 'kube-system', { spec: { template: { spec: { containers: [] } } } })),
  '/api/v1/namespaces/kube-system/services/kube-dns': service('kube-system', 'from-dns-service', '10.96.0.10'),
  '/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices': list(
    item('EndpointSlice', 'from-dns-slices', 'kube-system', { addressType: 'IPv4', endpoints: [] }),
  ),
  '/api/v1/namespaces/kube-system/pods': list(pod('kube-system', 'from-dns-pods')),
};

let server: http.Server;
let kubeconfig = '';
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const answer = ANSWERS[(req.url ?? '').split('?')[0]];
    res.setHeader('content-type', 'application/json');
    res.statusCode = answer ? 200 : 404;
    res.end(JSON.stringify(answer ?? { kind: 'Status', code: 404, reason: 'NotFound', message: 'not here' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  kubeconfig = path.join(mkdtempSync(path.join(tmpdir(), 'k8snet-gather-')), 'kc.yaml');
  // plain http on loopback without credentials (what `kubectl proxy` serves)
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${base}"}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`,
  );
});
afterAll(() => server.close());

const names = (r: Read<{ metadata: { name: string } }[]> | undefined) => (r?.state === 'ok' ? r.value.map((x) => x.metadata.name) : r?.state);

/** gatherFacts of payments/payments-api (no --from) against the stand-in, with the given hooks. */
async function gather(hooks: Pick<GatherContext, 'onReadsDone' | 'onProbing'> = {}): Promise<Facts> {
  const loaded = await loadKubeConfig({ kubeconfig });
  const api = new Api(loaded.kc, Date.now() + 15000);
  try {
    return await gatherFacts({
      api,
      context: loaded.context,
      request: { target: { namespace: 'payments', name: 'payments-api' }, path: '/', probeTimeoutMs: 2000, ephemeral: false },
      ...hooks,
    });
  } finally {
    api.close();
  }
}

describe('gatherFacts, every read under its own name', () => {
  it('stores each answer in the field named for its read, and times each step', async () => {
    const facts = await gather();
    expect(facts.service.state === 'ok' && facts.service.value.metadata.name).toBe('payments-api');
    expect(names(facts.namespacePods)).toEqual(['from-namespace-pods']);
    expect(names(facts.endpointSlices)).toEqual(['from-endpoint-slices']);
    expect(names(facts.namespaces)).toEqual(['from-namespaces', 'payments']);
    expect(names(facts.policies.payments)).toEqual(['from-policies']);
    expect(names(facts.nodes)).toEqual(['from-nodes']);
    expect(names(facts.daemonSets)).toEqual(['from-daemonsets']);
    expect(facts.dns.service.state === 'ok' && facts.dns.service.value.metadata.name).toBe('from-dns-service');
    expect(names(facts.dns.endpointSlices)).toEqual(['from-dns-slices']);
    expect(names(facts.dns.pods)).toEqual(['from-dns-pods']);
    // no --from: nothing was probed, and the source says why
    expect(facts.source.state).toBe('skipped');
    expect(facts.probes).toEqual([]);
    // the steps, each with its start and its own requests (the first reads: the ten above)
    const steps = Object.fromEntries(facts.timings.map((t) => [t.step, t]));
    expect(Object.keys(steps)).toEqual(expect.arrayContaining(['preflight', 'read', 'ingress', 'gateway', 'read-more', 'probes', 'node-agents']));
    expect(steps.read.requests).toBe(10);
    for (const t of facts.timings) expect(t.startMs).toBeGreaterThanOrEqual(0);
    expect(facts.requests).toBeGreaterThanOrEqual(facts.timings.reduce((n, t) => Math.max(n, t.requests), 0));
  });
});

describe('gatherFacts, the preview handed to onProbing', () => {
  it('onReadsDone comes first; onProbing is called once, and its preview is the facts read so far, without probe results, apart from the real facts', async () => {
    const previews: (() => Promise<Facts | undefined>)[] = [];
    let readsDoneFirst = 0;
    const facts = await gather({
      onReadsDone: () => void (previews.length === 0 && readsDoneFirst++),
      onProbing: (p) => void previews.push(p),
    });
    expect(readsDoneFirst).toBe(1);
    expect(previews).toHaveLength(1);
    const preview = await previews[0]();
    expect(preview).toBeDefined();
    expect(preview!.service.state === 'ok' && preview!.service.value.metadata.name).toBe('payments-api');
    expect(names(preview!.policies.payments)).toEqual(['from-policies']);
    expect(preview!.probes).toEqual([]);
    expect(preview!.nodeAgents).toBeUndefined();
    // a copy: changing the preview leaves the run's facts as they were
    preview!.notes.push('only in the preview');
    (preview!.policies as Record<string, unknown>).payments = undefined;
    expect(facts.notes).not.toContain('only in the preview');
    expect(names(facts.policies.payments)).toEqual(['from-policies']);
  });
});
