// Issue 16 item 13: NetworkPolicy on a Service's endpoint ADDRESSES (policies see them after DNAT, never
// the ClusterIP). Facts recorded from the lab (scenarios 34 and 35: a selector-less Service whose
// manual EndpointSlice lists the payments-api pod IPs; flannel + kube-router), modified minimally per case.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkPolicy } from '../../../src/checks/policy.js';
import { addressesToLookUp } from '../../../src/gather/endpoint-pods.js';
import { analyzeFacts, validateFacts } from '../../../src/pipeline.js';
import type { Facts } from '../../../src/model/facts.js';
import type { NetworkPolicy } from '../../../src/model/k8s.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
function recorded(name: string): Facts {
  const file = path.join(root, 'test/fixtures/recorded', name, 'facts.json');
  return validateFacts(JSON.parse(readFileSync(file, 'utf8')), file);
}
const FAULT = '34-selectorless-egress-service-cidr';
const HEALTHY = '35-selectorless-egress-allows-endpoint';

const codes = (fs: { code: string; status: string }[]) => fs.map((f) => `${f.code}:${f.status}`);

/** Replace the source namespace's (orders) policies. */
function withOrdersPolicies(f: Facts, policies: NetworkPolicy[]): Facts {
  return { ...f, policies: { ...f.policies, orders: { state: 'ok', value: policies } } };
}
const DNS_RULE = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};
const egressTo = (name: string, to: NetworkPolicy['spec']['egress']): NetworkPolicy => ({
  metadata: { name, namespace: 'orders' },
  spec: { podSelector: { matchLabels: { app: 'orders-api' } }, policyTypes: ['Egress'], egress: [...(to ?? []), DNS_RULE] },
});
/** The manual slice's addresses replaced (an external backend, a pod elsewhere). */
function withAddresses(f: Facts, addresses: string[]): Facts {
  if (f.endpointSlices.state !== 'ok') throw new Error('fixture without slices');
  const [s] = f.endpointSlices.value;
  return { ...f, endpointSlices: { state: 'ok', value: [{ ...s, endpoints: addresses.map((a) => ({ addresses: [a], conditions: { ready: true } })) }] } };
}
/** No CNI k8snet recognises: no DaemonSets, no CNI node annotations (a CNI running as a host process). */
const noCni = (f: Facts): Facts => ({
  ...f,
  daemonSets: { state: 'ok', value: [] },
  nodes: f.nodes.state === 'ok' ? { state: 'ok', value: f.nodes.value.map((n) => ({ ...n, metadata: { ...n.metadata, annotations: {} } })) } : f.nodes,
});

describe('selector-less Service: policy on the endpoint addresses (recorded lab facts)', () => {
  it('egress allows only the Service CIDR: egress denied per endpoint pod, the ipBlock flagged (before the fix: "not evaluated")', () => {
    const out = checkPolicy(recorded(FAULT));
    expect(codes(out)).toEqual(
      expect.arrayContaining(['policy/egress-denied:fail', 'policy/egress-ipblock-cluster-ip:warn', 'policy/dns-egress-allowed:pass']),
    );
    expect(codes(out)).not.toContain('policy/unknown:unknown');
    const denied = out.filter((f) => f.code === 'policy/egress-denied');
    expect(denied.map((f) => (f.data as { verdict: { dst: { ip: string } } }).verdict.dst.ip).sort()).toEqual(['10.244.0.11', '10.244.1.9']);
    expect(denied[0].summary).toMatch(/on TCP 8080 \(Service port 80\)/); // the slice's port, not the Service's targetPort 80
    const flag = out.find((f) => f.code === 'policy/egress-ipblock-cluster-ip')!;
    expect(flag.summary).toMatch(/orders-egress-service-cidr spec\.egress\[0\]\.to\[0\] \(ipBlock 10\.96\.0\.0\/16\) covers the ClusterIP 10\.96\.4\.99/);
    expect(flag.summary).toMatch(/does not admit 10\.244\.0\.11, 10\.244\.1\.9/);
  });

  it('the diagnosis names policy and the ipBlock mistake, never the pod network', () => {
    const { diagnosis } = analyzeFacts(recorded(FAULT));
    expect([diagnosis.verdict, diagnosis.layer]).toEqual(['fault', 'policy']);
    expect(diagnosis.headline).toMatch(/orders-egress-service-cidr.*covers the ClusterIP, but NetworkPolicy sees the endpoint address after DNAT/);
  });

  it('egress allows the endpoint addresses (ipBlock /32, kube-router matches pod IPs by address): allowed, nothing flagged', () => {
    const out = checkPolicy(recorded(HEALTHY));
    expect(codes(out)).toEqual(expect.arrayContaining(['policy/allowed:pass']));
    expect(out.filter((f) => f.status === 'fail' || f.status === 'warn' || f.status === 'unknown')).toEqual([]);
  });

  it('the same ipBlock /32 on a CNI k8snet does not recognise: unknown (could not tell), never denied; the path stays healthy', () => {
    const f = noCni(recorded(HEALTHY));
    const out = checkPolicy(f);
    expect(codes(out)).toContain('policy/unknown:unknown');
    expect(codes(out).filter((c) => c.endsWith(':fail'))).toEqual([]);
    expect(out.find((x) => x.code === 'policy/unknown')!.summary).toMatch(/only an ipBlock would admit it \(ipBlock 10\.244\.\d+\.\d+\/32 contains pod IP/);
    const { diagnosis } = analyzeFacts(f);
    expect(diagnosis.verdict).toBe('healthy');
  });

  it('an ipBlock for the Service CIDR next to a rule that admits the endpoints: only a remark (info), the flow allowed', () => {
    const f = withOrdersPolicies(recorded(FAULT), [
      egressTo('both', [
        { to: [{ ipBlock: { cidr: '10.96.0.0/16' } }] },
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }] },
      ]),
    ]);
    const out = checkPolicy(f);
    expect(codes(out)).toEqual(expect.arrayContaining(['policy/allowed:pass', 'policy/egress-ipblock-cluster-ip:info']));
    expect(out.filter((x) => x.status === 'fail' || x.status === 'warn')).toEqual([]);
  });

  it('without --from: not evaluated because there is no source, not because the Service has no selector', () => {
    const f = { ...recorded(FAULT), source: { state: 'not-found' as const, message: 'no source' }, request: { ...recorded(FAULT).request, from: undefined } };
    const u = checkPolicy(f as Facts).find((x) => x.code === 'policy/unknown');
    expect(u?.summary).toMatch(/no source pod was found/);
    expect(u?.summary).not.toMatch(/has no selector/);
  });

  it('an ipBlock covering both the Service CIDR and the endpoints is fine (not flagged)', () => {
    const f = withOrdersPolicies(recorded(FAULT), [egressTo('wide', [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }])]);
    const out = checkPolicy(f);
    expect(codes(out)).toContain('policy/allowed:pass');
    expect(codes(out)).not.toContain('policy/egress-ipblock-cluster-ip:warn');
  });

  it('an external backend (address outside every pod CIDR): judged under ipBlock rules; ingress not evaluated', () => {
    const f = withAddresses(recorded(FAULT), ['192.168.50.10']);
    const denied = checkPolicy(f);
    expect(codes(denied)).toEqual(expect.arrayContaining(['policy/egress-denied:fail', 'policy/egress-ipblock-cluster-ip:warn']));
    expect(denied.find((x) => x.code === 'policy/egress-denied')!.summary).toMatch(/192\.168\.50\.10 \(outside the pod network\)/);
    const allowed = checkPolicy(
      withOrdersPolicies(f, [egressTo('db', [{ to: [{ ipBlock: { cidr: '192.168.50.0/24' } }], ports: [{ protocol: 'TCP', port: 8080 }] }])]),
    );
    expect(codes(allowed)).toContain('policy/allowed:pass');
    const v = (allowed.find((x) => x.code === 'policy/allowed')!.data as { verdict: { ingress: { evaluated: boolean } } }).verdict;
    expect(v.ingress.evaluated).toBe(false);
    // except carves the backend out: denied again
    const carved = checkPolicy(withOrdersPolicies(f, [egressTo('db', [{ to: [{ ipBlock: { cidr: '192.168.50.0/24', except: ['192.168.50.10/32'] } }] }])]));
    expect(codes(carved)).toContain('policy/egress-denied:fail');
  });

  it('an address in a node pod CIDR that no read pod has: unknown, not "outside the cluster"', () => {
    const out = checkPolicy(withAddresses(recorded(FAULT), ['10.244.0.250']));
    const u = out.find((x) => x.code === 'policy/unknown');
    expect(u?.summary).toMatch(/10\.244\.0\.250 is in node pod CIDR 10\.244\.0\.0\/24/);
    expect(codes(out)).not.toContain('policy/egress-denied:fail');
  });

  it('no lookup and no node pod CIDRs to rule a pod out (VPC-style CNIs, nodes unreadable): unknown, never judged as external', () => {
    const f0 = withAddresses(recorded(FAULT), ['172.20.3.4']);
    const f: Facts = { ...f0, nodes: { state: 'forbidden', message: 'nodes is forbidden' } };
    const out = checkPolicy(f);
    expect(out.find((x) => x.code === 'policy/unknown')?.summary).toMatch(/cannot tell a pod address from an outside one/);
    expect(codes(out)).not.toContain('policy/egress-denied:fail');
    // the same address outside every known node pod CIDR: an outside address, judged by ipBlock
    expect(codes(checkPolicy(f0))).toContain('policy/egress-denied:fail');
  });

  it('policies of the source namespace unreadable while everything times out: the headline says NetworkPolicy was not evaluated, the pod network is not named', () => {
    const f = recorded(FAULT);
    const { diagnosis } = analyzeFacts({ ...f, policies: { ...f.policies, orders: { state: 'forbidden', message: 'networkpolicies is forbidden' } } });
    expect(diagnosis.layer).not.toBe('pod-network');
    expect(diagnosis.headline).toMatch(/NetworkPolicy could not be evaluated .*a policy may be what drops them/);
  });

  it("a pod in another namespace, found by the cluster-wide lookup: judged as that pod; its namespace's policies unread -> unknown unless egress denies", () => {
    const base = withAddresses(recorded(FAULT), ['10.244.0.77']);
    const other = {
      metadata: { name: 'ledger-1', namespace: 'ledger', labels: { app: 'ledger' } },
      spec: { containers: [{ name: 'c' }] },
      status: { podIP: '10.244.0.77', podIPs: [{ ip: '10.244.0.77' }] },
    };
    const f: Facts = { ...base, endpointPods: { state: 'ok', value: [other] } };
    // egress (Service CIDR only) denies: a failure whatever ledger's ingress says
    expect(codes(checkPolicy(f))).toContain('policy/egress-denied:fail');
    const open = withOrdersPolicies(f, [
      egressTo('to-ledger', [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ledger' } } }] }]),
    ]);
    const u = checkPolicy(open).find((x) => x.code === 'policy/unknown');
    expect(u?.summary).toMatch(/NetworkPolicies of namespace ledger were not read/);
    const read: Facts = { ...open, policies: { ...open.policies, ledger: { state: 'ok', value: [] } } };
    expect(codes(checkPolicy(read))).toContain('policy/allowed:pass');
  });

  it('a Service WITH a selector whose slices add a non-pod address: the pods by selector, the address by ipBlock', () => {
    const f0 = recorded(FAULT);
    if (f0.service.state !== 'ok') throw new Error('fixture');
    const f = withOrdersPolicies(
      withAddresses(
        {
          ...f0,
          service: {
            state: 'ok',
            value: {
              ...f0.service.value,
              spec: { ...f0.service.value.spec, selector: { app: 'payments-api' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 8080 }] },
            },
          },
        },
        ['10.244.0.11', '10.244.1.9', '192.168.50.10'],
      ),
      [egressTo('pods-only', [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }] }])],
    );
    const out = checkPolicy(f);
    expect(codes(out)).toEqual(expect.arrayContaining(['policy/allowed:pass', 'policy/egress-denied:fail']));
    expect(out.find((x) => x.code === 'policy/egress-denied')!.summary).toMatch(/192\.168\.50\.10/);
  });
});

describe('endpoints in another namespace (recorded lab facts of scenario 36)', () => {
  const OTHER = '36-selectorless-endpoints-in-other-namespace';
  it('the cluster-wide lookup found the payments pods: allowed by the namespaceSelector rule, as the probes showed', () => {
    const f = recorded(OTHER);
    expect(f.endpointPods?.state).toBe('ok');
    const out = checkPolicy(f);
    expect(codes(out)).toContain('policy/allowed:pass');
    expect(out.filter((x) => x.status === 'fail' || x.status === 'unknown')).toEqual([]);
  });
  it('without the lookup (forbidden: a namespaced grant) the addresses are "could not tell", never denied as external', () => {
    const f: Facts = { ...recorded(OTHER), endpointPods: { state: 'forbidden', message: 'list pods in all namespaces: forbidden (preflight)' } };
    const out = checkPolicy(f);
    expect(codes(out)).toContain('policy/unknown:unknown');
    expect(codes(out).filter((c) => c.endsWith(':fail'))).toEqual([]);
    expect(out.find((x) => x.code === 'policy/unknown')!.summary).toMatch(/cluster-wide pod lookup failed: forbidden/);
    expect(analyzeFacts(f).diagnosis.verdict).toBe('healthy');
  });
});

describe('addressesToLookUp (gather): slice addresses that are no pod of the target namespace', () => {
  it('skips known pod IPs, not-ready endpoints, FQDN slices and non-addresses; deduplicates', () => {
    const known = [{ metadata: { name: 'p', namespace: 'payments' }, spec: {}, status: { podIP: '10.244.0.11' } }];
    const slices = [
      {
        metadata: { name: 'a' },
        addressType: 'IPv4',
        endpoints: [
          { addresses: ['10.244.0.11'] },
          { addresses: ['10.244.0.77'] },
          { addresses: ['10.244.0.78'], conditions: { ready: false } },
          { addresses: ['10.244.0.77'] },
        ],
      },
      { metadata: { name: 'b' }, addressType: 'FQDN', endpoints: [{ addresses: ['db.example.internal'] }] },
      { metadata: { name: 'c' }, addressType: 'IPv4', endpoints: [{ addresses: ['not-an-ip'] }] },
    ];
    expect(addressesToLookUp(slices, known as never)).toEqual(['10.244.0.77']);
  });
});

describe('ipBlock against a pod IP depends on the CNI', () => {
  it.each<[string, string, boolean | null, boolean | null]>([
    ['Calico', 'calico', true, true],
    ['kube-router next to flannel', 'flannel + kube-router', true, true],
    ['Cilium: pods only by identity', 'cilium', true, false],
    ['Antrea: not known to k8snet', 'antrea', true, null],
    ['unknown CNI', 'unknown', null, null],
    ['a CNI that does not enforce at all', 'flannel', false, null],
  ])('%s', async (_n, name, enforcesPolicy, expected) => {
    const { ipBlockMatchesPodIPs } = await import('../../../src/checks/cni.js');
    expect(ipBlockMatchesPodIPs({ name, enforcesPolicy })).toBe(expected);
  });
});
