// Static reach of a Service (who its ingress policies let in), callers, and the dead-peer lint.
import { describe, expect, it } from 'vitest';
import { checkPolicyReach } from '../../../src/checks/policy-reach.js';
import type { Facts, Read } from '../../../src/model/facts.js';
import type { NetworkPolicy, Pod } from '../../../src/model/k8s.js';
import { callersOf, reachOf, workloadOf } from '../../../src/policy/callers.js';
import { lintPeersMatchNothing } from '../../../src/policy/lint.js';
import { index, ns, pod, policy } from './world-helpers.js';

const ok = <T>(value: T): Read<T> => ({ state: 'ok', value });
const ready = (p: Pod): Pod => ({ ...p, status: { ...p.status, conditions: [{ type: 'Ready', status: 'True' }] } });
const payments = ready(pod('payments', 'payments-api-1', { app: 'payments-api' }, { ip: '10.0.2.7', ports: [{ name: 'http', containerPort: 8080 }] }));
const orders = ready(pod('orders', 'orders-api-1', { app: 'orders-api' }, { ip: '10.0.1.5' }));
const denyAll = policy('payments', 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
const fromOrders = (port: number | string, app = 'orders-api', nsLabel = 'orders') =>
  policy('payments', 'allow-orders', {
    podSelector: { matchLabels: { app: 'payments-api' } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': nsLabel } }, podSelector: { matchLabels: { app } } }],
        ports: [{ protocol: 'TCP', port }],
      },
    ],
  });

function facts(policies: NetworkPolicy[], over: { peerPods?: Record<string, Read<Pod[]>>; namespaces?: Read<{ metadata: { name: string } }[]> } = {}): Facts {
  return {
    schemaVersion: 1,
    k8snetVersion: 't',
    gatheredAt: '',
    context: {},
    access: [],
    probes: [],
    timings: [],
    requests: 0,
    notes: [],
    request: { target: { namespace: 'payments', name: 'payments-api' }, path: '/', probeTimeoutMs: 1000, ephemeral: false },
    service: ok({
      metadata: { name: 'payments-api', namespace: 'payments' },
      spec: { selector: { app: 'payments-api' }, ports: [{ port: 80, targetPort: 8080 }] },
    }),
    namespacePods: ok([payments]),
    endpointSlices: ok([
      { metadata: { name: 's', namespace: 'payments' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.2.7'], conditions: { ready: true } }] },
    ]),
    source: { state: 'skipped', message: 'no --from' },
    nodes: ok([]),
    dns: { service: ok({ metadata: { name: 'kube-dns', namespace: 'kube-system' }, spec: { clusterIP: '10.96.0.10' } }), endpointSlices: ok([]), pods: ok([]) },
    namespaces: over.namespaces ?? ok([ns('orders'), ns('payments')]),
    policies: { payments: ok(policies) },
    daemonSets: ok([]),
    ingress: { ingresses: ok([]), classes: ok([]), controllers: [], tlsSecrets: [], backendServices: {} },
    ...(over.peerPods ? { peerPods: over.peerPods } : {}),
  };
}
const codes = (fs: { code: string; status: string }[]) => fs.map((f) => `${f.code}:${f.status}`);
const peers = { orders: ok([orders]), payments: ok([payments]) };

describe('checkPolicyReach', () => {
  it.each<[string, NetworkPolicy[], Record<string, Read<Pod[]>> | undefined, string]>([
    ['no policy: open', [], undefined, 'policy/reach-open:info'],
    ['default deny only: nobody', [denyAll], undefined, 'policy/no-callers:fail'],
    ['allow on the Service port, not the targetPort: nobody', [denyAll, fromOrders(80)], peers, 'policy/no-callers:fail'],
    ['allow on the targetPort from a pod that exists: restricted', [denyAll, fromOrders(8080)], peers, 'policy/reach-restricted:pass'],
    ['allow by named port: restricted', [denyAll, fromOrders('http')], peers, 'policy/reach-restricted:pass'],
    ['peer podSelector typo, orders read: nobody right now (warn)', [denyAll, fromOrders(8080, 'orders-apii')], peers, 'policy/callers-match-nothing:warn'],
    ['peer typo but orders pods not read: may match, restricted', [denyAll, fromOrders(8080, 'orders-apii')], undefined, 'policy/reach-restricted:pass'],
    [
      'namespaceSelector for a namespace that does not exist: nobody right now',
      [denyAll, fromOrders(8080, 'orders-api', 'ordres')],
      peers,
      'policy/callers-match-nothing:warn',
    ],
  ])('%s', (_name, pols, peerPods, want) => {
    expect(codes(checkPolicyReach(facts(pols, { peerPods })))).toEqual([want]);
  });

  it('names the isolating policies and what each refused', () => {
    const [f] = checkPolicyReach(facts([denyAll, fromOrders(80)], { peerPods: peers }));
    expect(f.summary).toMatch(/payments\/default-deny-ingress, payments\/allow-orders and no rule admits TCP 8080/);
    expect(f.evidence.join('\n')).toMatch(/allow-orders ingress\[0\]: wants TCP 80; flow is TCP 8080/);
    expect(f.evidence.join('\n')).toMatch(/default-deny-ingress: no ingress rules/);
  });

  it('namespaces not listable: a namespaceSelector is "may match", never nobody', () => {
    const out = checkPolicyReach(
      facts([denyAll, fromOrders(8080, 'orders-api', 'ordres')], { peerPods: peers, namespaces: { state: 'forbidden', message: 'no' } }),
    );
    expect(codes(out)).toEqual(['policy/reach-restricted:pass']);
  });

  it('unreadable policies: nothing (checkPolicy reports policy/unknown)', () => {
    const f = facts([]);
    f.policies = { payments: { state: 'forbidden', message: 'no' } };
    expect(checkPolicyReach(f)).toEqual([]);
  });
});

describe('callers', () => {
  const idx = index({
    namespaces: [ns('orders'), ns('payments'), ns('web')],
    pods: [
      payments,
      orders,
      {
        ...pod('web', 'web-7d-x', { app: 'web', 'pod-template-hash': '7d' }),
        metadata: {
          name: 'web-7d-x',
          namespace: 'web',
          labels: { app: 'web', 'pod-template-hash': '7d' },
          ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d', controller: true }],
        },
      },
    ],
    policies: [denyAll, fromOrders(8080)],
  });

  it('reachOf lists the admitting peer with its namespace and pod count', () => {
    const r = reachOf(idx, [payments], [{ port: 8080, protocol: 'TCP' }], { podsKnown: () => true, namespacesKnown: true });
    expect(r.isolated).toBe(true);
    expect(r.ports[0].peers).toMatchObject([{ namespaces: ['orders'], pods: 1, unread: [] }]);
  });

  it('callersOf: only orders-api is let in; egress of the caller judged too', () => {
    const all = [orders, ...idx.podsIn('web')];
    expect(callersOf(idx, payments, 8080, 'TCP', all)).toEqual([{ namespace: 'orders', workload: 'pod/orders-api-1', pods: 1, egressBlocked: false }]);
    const denyEgress = policy('orders', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
    const idx2 = index({ namespaces: idx.world.namespaces, pods: idx.world.pods, policies: [denyAll, fromOrders(8080), denyEgress] });
    expect(callersOf(idx2, payments, 8080, 'TCP', all)[0]).toMatchObject({ namespace: 'orders', egressBlocked: true });
  });

  it('workloadOf strips the ReplicaSet hash', () => {
    expect(workloadOf(idx.podsIn('web')[0])).toBe('deployment/web');
  });
});

describe('lintPeersMatchNothing', () => {
  const know = { podsKnown: () => true, namespacesKnown: true };
  it('names the rule of a podSelector typo and of a namespaceSelector no namespace has', () => {
    const idx = index({
      namespaces: [ns('orders'), ns('payments')],
      pods: [payments, orders],
      policies: [fromOrders(8080, 'orders-apii'), fromOrders(8080, 'orders-api', 'ordres')],
    });
    const [a] = lintPeersMatchNothing(idx, idx.world.policies[0], know);
    expect(a).toMatchObject({ code: 'peer-matches-nothing', path: 'spec.ingress[0].from[0]' });
    expect(a.message).toMatch(/podSelector matches no pod in namespace orders/);
    const [b] = lintPeersMatchNothing(idx, idx.world.policies[1], know);
    expect(b.message).toMatch(/no namespace has the labels/);
  });
  it("silent when the peer matches, or when the namespace's pods were not read", () => {
    const idx = index({ namespaces: [ns('orders'), ns('payments')], pods: [payments, orders], policies: [fromOrders(8080), fromOrders(8080, 'orders-apii')] });
    expect(lintPeersMatchNothing(idx, idx.world.policies[0], know)).toEqual([]);
    expect(lintPeersMatchNothing(idx, idx.world.policies[1], { podsKnown: (n) => n !== 'orders', namespacesKnown: true })).toEqual([]);
  });
});
