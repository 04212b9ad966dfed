// Step 4 of diagnose on synthetic facts: verdict findings, DNS egress, lints, CNI, unknown on 403.
import { describe, expect, it } from 'vitest';
import { detectCni } from '../../../src/checks/cni.js';
import { POLICY_CODES } from '../../../src/model/codes-policy.js';
import { checkPolicy } from '../../../src/checks/policy.js';
import type { Facts, Read } from '../../../src/model/facts.js';
import type { NetworkPolicy, Pod, Workload } from '../../../src/model/k8s.js';
import { ns, pod, policy } from './world-helpers.js';

const ready = (p: Pod): Pod => ({ ...p, status: { ...p.status, conditions: [{ type: 'Ready', status: 'True' }] } });
const orders = ready(pod('orders', 'orders-api-1', { app: 'orders-api' }, { ip: '10.0.1.5' }));
const payments = ready(pod('payments', 'payments-api-1', { app: 'payments-api' }, { ip: '10.0.2.7', ports: [{ name: 'http', containerPort: 8080 }] }));
const coredns = ready(
  pod(
    'kube-system',
    'coredns-1',
    { 'k8s-app': 'kube-dns' },
    {
      ip: '10.0.0.10',
      ports: [
        { containerPort: 53, protocol: 'UDP' },
        { containerPort: 53, protocol: 'TCP' },
      ],
    },
  ),
);
const seedPolicies = [
  policy('payments', 'default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
  policy('payments', 'allow-orders-to-payments', {
    podSelector: { matchLabels: { app: 'payments-api' } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'orders' } }, podSelector: { matchLabels: { app: 'orders-api' } } }],
        ports: [{ protocol: 'TCP', port: 80 }],
      },
    ],
  }),
];
const ok = <T>(value: T): Read<T> => ({ state: 'ok', value });
const ds = (
  name: string,
  namespace: string,
  containers: Workload['spec']['template'] extends infer _ ? { name: string; image?: string; args?: string[] }[] : never,
): Workload => ({ kind: 'DaemonSet', metadata: { name, namespace }, spec: { template: { metadata: { labels: {} }, spec: { containers } } } });

function facts(
  over: { policies?: Record<string, Read<NetworkPolicy[]>>; daemonSets?: Read<Workload[]>; targetPort?: number | string; sourcePod?: Pod } = {},
): Facts {
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
      spec: { selector: { app: 'payments-api' }, ports: [{ port: 80, targetPort: over.targetPort ?? 8080 }] },
    }),
    namespacePods: ok([payments]),
    endpointSlices: ok([
      { metadata: { name: 's', namespace: 'payments' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.2.7'], conditions: { ready: true } }] },
    ]),
    source: ok({
      resolvedVia: 'deployment',
      resolvedFrom: 'deployment/orders-api',
      pod: over.sourcePod ?? orders,
      container: 'c',
      candidates: 1,
      readyCandidates: 1,
      tools: null,
      hasShell: true,
    }),
    nodes: ok([]),
    dns: {
      service: ok({ metadata: { name: 'kube-dns', namespace: 'kube-system' }, spec: { clusterIP: '10.96.0.10' } }),
      endpointSlices: ok([]),
      pods: ok([coredns]),
    },
    namespaces: ok([ns('orders'), ns('payments'), ns('kube-system')]),
    policies: over.policies ?? { orders: ok([]), payments: ok(seedPolicies) },
    daemonSets: over.daemonSets ?? ok([]),
    ingress: { ingresses: ok([]), classes: ok([]), controllers: [], tlsSecrets: [], backendServices: {} },
  };
}

const codes = (fs: { code: string; status: string }[]) => fs.map((f) => `${f.code}:${f.status}`);

describe('checkPolicy', () => {
  it('seed: ingress denied on targetPort 8080, names the rule, lints port 80, suggests a rule', () => {
    const out = checkPolicy(facts());
    expect(codes(out)).toEqual(expect.arrayContaining(['policy/ingress-denied:fail', 'policy/service-port-not-target-port:warn', 'policy/cni-unknown:info']));
    const denied = out.find((f) => f.code === 'policy/ingress-denied')!;
    expect(denied.step).toBe('policy');
    expect(denied.summary).toMatch(/allow-orders-to-payments ingress\[0\]\.from\[0\] ports\[0\]/);
    expect(denied.evidence.join('\n')).toMatch(/wants TCP 80; flow is TCP 8080/);
    expect(denied.next).toContain('kubectl describe networkpolicy -n payments allow-orders-to-payments');
    expect((denied.data as { suggestion: string }).suggestion).toMatch(/port: 8080/);
    expect((denied.data as { verdict: { allowed: boolean; port: number } }).verdict).toMatchObject({ allowed: false, port: 8080 });
  });

  it('allowed when the targetPort is what the rule names', () => {
    const out = checkPolicy(facts({ targetPort: 80 }));
    const f = out.find((x) => x.code === 'policy/allowed');
    expect(f?.status).toBe('pass');
    expect(codes(out)).not.toContain('policy/service-port-not-target-port:warn');
  });

  it('named targetPort resolves per pod', () => {
    const out = checkPolicy(facts({ targetPort: 'http' }));
    expect((out.find((x) => x.code === 'policy/ingress-denied')!.data as { verdict: { port: number } }).verdict.port).toBe(8080);
  });

  it('egress default-deny in the source namespace: egress denied and DNS blocked', () => {
    const out = checkPolicy(
      facts({ policies: { orders: ok([policy('orders', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] })]), payments: ok([]) } }),
    );
    expect(codes(out)).toEqual(expect.arrayContaining(['policy/egress-denied:fail', 'policy/dns-egress-blocked:fail']));
    const dns = out.find((f) => f.code === 'policy/dns-egress-blocked')!;
    expect(dns.summary).toMatch(/UDP and TCP 53/);
    expect(dns.evidence.join(' ')).toMatch(/kube-system\/coredns-1/);
  });

  it('DNS egress allowed is a pass', () => {
    const allowDns = policy('orders', 'egress', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }] },
      ],
    });
    const out = checkPolicy(facts({ policies: { orders: ok([allowDns]), payments: ok([]) } }));
    expect(codes(out)).toEqual(expect.arrayContaining(['policy/dns-egress-allowed:pass', 'policy/allowed:pass']));
  });

  it.each<[string, Read<NetworkPolicy[]>]>([
    ['forbidden', { state: 'forbidden', message: 'networkpolicies is forbidden' }],
    ['timeout', { state: 'timeout', message: 'deadline' }],
  ])('policies read %s -> unknown, never pass or fail', (_n, read) => {
    const out = checkPolicy(facts({ policies: { orders: ok([]), payments: read } }));
    expect(out.filter((f) => f.code !== 'policy/cni-unknown').map((f) => f.status)).toEqual(['unknown']);
    expect(out.find((f) => f.code === 'policy/unknown')!.evidence[0]).toMatch(/payments/);
  });

  it('flannel alone: policies exist but are not enforced; denial becomes a warning', () => {
    const out = checkPolicy(facts({ daemonSets: ok([ds('kube-flannel-ds', 'kube-flannel', [{ name: 'kube-flannel', image: 'flannel/flannel:v0.25' }])]) }));
    expect(codes(out)).toEqual(expect.arrayContaining(['policy/cni-detected:info', 'policy/not-enforced:warn', 'policy/ingress-denied:warn']));
  });

  it('host-network source: lint reported', () => {
    const host = ready(pod('orders', 'node-agent', { app: 'agent' }, { ip: '192.168.0.4', hostNetwork: true }));
    const out = checkPolicy(facts({ sourcePod: host }));
    expect(codes(out)).toContain('policy/host-network:info');
  });

  it('every code it emits is in the catalogue with layer policy', () => {
    for (const f of [
      ...checkPolicy(facts()),
      ...checkPolicy(facts({ policies: { orders: ok([policy('orders', 'd', { podSelector: {}, policyTypes: ['Egress'] })]), payments: ok(seedPolicies) } })),
    ]) {
      expect(POLICY_CODES).toHaveProperty([f.code]);
    }
    expect(Object.values(POLICY_CODES).every((c) => c.layer === 'policy')).toBe(true);
  });
});

describe('detectCni', () => {
  it.each<[string, Workload[], string, boolean | null]>([
    ['nothing: unknown (kube-router as a host process)', [], 'unknown', null],
    ['calico-node', [ds('calico-node', 'kube-system', [{ name: 'calico-node', image: 'docker.io/calico/node:v3.28' }])], 'calico', true],
    ['cilium', [ds('cilium', 'kube-system', [{ name: 'cilium-agent', image: 'quay.io/cilium/cilium:v1.16' }])], 'cilium', true],
    ['flannel alone', [ds('kube-flannel-ds', 'kube-flannel', [{ name: 'kube-flannel', image: 'flannel/flannel:v0.25' }])], 'flannel', false],
    [
      'flannel + calico policy (canal)',
      [
        ds('kube-flannel-ds', 'kube-system', [{ name: 'f', image: 'flannel/flannel:v0.25' }]),
        ds('canal', 'kube-system', [{ name: 'calico-node', image: 'calico/node:v3' }]),
      ],
      'canal',
      true,
    ],
    ['aws-node without policy agent', [ds('aws-node', 'kube-system', [{ name: 'aws-node', image: 'amazon-k8s-cni:v1.18' }])], 'aws-vpc-cni', false],
    [
      'aws-node with policy agent enabled',
      [
        ds('aws-node', 'kube-system', [
          { name: 'aws-node', image: 'amazon-k8s-cni:v1.18' },
          { name: 'aws-eks-nodeagent', image: 'amazon/aws-network-policy-agent:v1.1', args: ['--enable-network-policy=true'] },
        ]),
      ],
      'aws-vpc-cni',
      true,
    ],
    [
      'aws-node with policy agent disabled',
      [ds('aws-node', 'kube-system', [{ name: 'aws-eks-nodeagent', image: 'amazon/aws-network-policy-agent:v1.1', args: ['--enable-network-policy=false'] }])],
      'aws-vpc-cni',
      false,
    ],
    [
      'kindnet without the flag: version-dependent',
      [ds('kindnet', 'kube-system', [{ name: 'kindnet-cni', image: 'kindest/kindnetd:v20240202' }])],
      'kindnet',
      null,
    ],
    [
      'kindnet --network-policy=true',
      [ds('kindnet', 'kube-system', [{ name: 'kindnet-cni', image: 'ghcr.io/aojea/kindnetd:stable', args: ['--network-policy=true'] }])],
      'kindnet',
      true,
    ],
    ['weave', [ds('weave-net', 'kube-system', [{ name: 'weave' }])], 'weave', true],
    ['antrea', [ds('antrea-agent', 'kube-system', [{ name: 'antrea-agent' }])], 'antrea', true],
    ['kube-router DaemonSet', [ds('kube-router', 'kube-system', [{ name: 'kube-router' }])], 'kube-router', true],
    ['kube-router without firewall', [ds('kube-router', 'kube-system', [{ name: 'kube-router', args: ['--run-firewall=false'] }])], 'kube-router', false],
  ])('%s', (_n, list, name, enforces) => {
    const c = detectCni(facts({ daemonSets: ok(list) }));
    expect([c.name, c.enforcesPolicy]).toEqual([name, enforces]);
    expect(c.evidence.length).toBeGreaterThan(0);
  });

  it('falls back to node annotations', () => {
    const f = facts();
    f.nodes = ok([{ metadata: { name: 'n1', annotations: { 'projectcalico.org/IPv4Address': '10.0.0.1/24' } } }]);
    expect(detectCni(f)).toMatchObject({ name: 'calico', enforcesPolicy: true });
  });
});
