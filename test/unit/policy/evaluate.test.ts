import { describe, expect, it } from 'vitest';
import type { NetworkPolicy } from '../../../src/model/k8s.js';
import { evaluateFlow, isFlowAllowed } from '../../../src/policy/evaluate.js';
import { index, ns, P, pod, policy } from './world-helpers.js';

const namespaces = [ns('a', { team: 'alpha' }), ns('b', { team: 'beta' })];
const web = pod('a', 'web', { app: 'web' }, { ip: '10.0.0.1', ports: [{ name: 'http', containerPort: 8080 }] });
const client = pod('a', 'client', { app: 'client' }, { ip: '10.0.0.2' });
const remote = pod('b', 'remote', { app: 'client' }, { ip: '10.0.1.2' });
const pods = [web, client, remote];

type Spec = NetworkPolicy['spec'];
const ING = (spec: Partial<Spec>): NetworkPolicy => policy('a', 'p', { podSelector: { matchLabels: { app: 'web' } }, ...spec });
const EGR = (spec: Partial<Spec>, on = 'a'): NetworkPolicy => policy(on, 'e', { podSelector: { matchLabels: { app: 'client' } }, ...spec });

function allowed(policies: NetworkPolicy[], src = client, dst = web, port = 8080, protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP'): boolean {
  const idx = index({ namespaces, pods, policies });
  const v = evaluateFlow(idx, { src: P(src), dst: P(dst), port, protocol });
  // The fast path used by matrices must agree with the explaining path.
  expect(isFlowAllowed(idx, P(src), P(dst), port, protocol)).toBe(v.allowed);
  return v.allowed;
}

describe('isolation and policyTypes', () => {
  it.each<[string, NetworkPolicy[], boolean]>([
    ['no policy: allowed', [], true],
    ['policy selecting another pod: not isolated', [policy('a', 'x', { podSelector: { matchLabels: { app: 'db' } } })], true],
    ['policy in another namespace does not isolate', [policy('b', 'x', { podSelector: {} })], true],
    ['policyTypes omitted, no rules: Ingress isolated (deny)', [ING({})], false],
    ['policyTypes omitted with egress rules only: still Ingress', [ING({ egress: [{}] })], false],
    ['policyTypes [Egress] only on the destination: ingress open', [ING({ policyTypes: ['Egress'] })], true],
    ['ingress: [] denies everything', [ING({ policyTypes: ['Ingress'], ingress: [] })], false],
    ['ingress: [{}] allows everything', [ING({ ingress: [{}] })], true],
    [
      'union: deny-all plus an allow rule',
      [ING({}), policy('a', 'allow', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }] })],
      true,
    ],
    ['egress isolated by inference (egress rules, no policyTypes)', [EGR({ egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }] }] })], false],
    ['egress isolated by explicit policyTypes, no rules', [EGR({ policyTypes: ['Egress'] })], false],
    ['egress allowed to the destination pod', [EGR({ policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }] }] })], true],
    ['egress allows, ingress denies: denied (both must allow)', [EGR({ policyTypes: ['Egress'], egress: [{}] }), ING({})], false],
    ['egress denies, ingress allows: denied', [EGR({ policyTypes: ['Egress'] }), ING({ ingress: [{}] })], false],
  ])('%s', (_n, policies, expected) => {
    expect(allowed(policies)).toBe(expected);
  });
});

describe('peers', () => {
  const from = (peers: NonNullable<Spec['ingress']>[number]['from']) => [ING({ ingress: [{ from: peers }] })];
  it.each<[string, NetworkPolicy[], typeof client, boolean]>([
    ['podSelector alone = same namespace, hit', from([{ podSelector: { matchLabels: { app: 'client' } } }]), client, true],
    ['podSelector alone excludes other namespaces', from([{ podSelector: { matchLabels: { app: 'client' } } }]), remote, false],
    ['namespaceSelector alone = every pod of the namespace', from([{ namespaceSelector: { matchLabels: { team: 'beta' } } }]), remote, true],
    ['namespaceSelector alone, other namespace', from([{ namespaceSelector: { matchLabels: { team: 'beta' } } }]), client, false],
    [
      'both in ONE peer = AND, hit',
      from([{ namespaceSelector: { matchLabels: { team: 'beta' } }, podSelector: { matchLabels: { app: 'client' } } }]),
      remote,
      true,
    ],
    [
      'both in ONE peer = AND, pod label miss',
      from([{ namespaceSelector: { matchLabels: { team: 'beta' } }, podSelector: { matchLabels: { app: 'other' } } }]),
      remote,
      false,
    ],
    [
      'two items = OR (pod-only item matches same-namespace client)',
      from([{ namespaceSelector: { matchLabels: { team: 'beta' } } }, { podSelector: { matchLabels: { app: 'client' } } }]),
      client,
      true,
    ],
    ['empty podSelector {} = every pod of the policy namespace', from([{ podSelector: {} }]), client, true],
    ['empty podSelector {} excludes other namespaces', from([{ podSelector: {} }]), remote, false],
    ['empty namespaceSelector {} = every namespace', from([{ namespaceSelector: {} }]), remote, true],
    ['from missing = all peers', [ING({ ingress: [{ ports: [{ port: 8080 }] }] })], remote, true],
    ['from: [] = all peers', [ING({ ingress: [{ from: [] }] })], remote, true],
    ['kubernetes.io/metadata.name is always present', from([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } } }]), remote, true],
    [
      'namespace NotIn matches a namespace lacking the key',
      from([{ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } }]),
      remote,
      true,
    ],
    ['ipBlock does not admit a pod (pod traffic judged by selectors)', from([{ ipBlock: { cidr: '10.0.0.0/8' } }]), remote, false],
  ])('%s', (_n, policies, src, expected) => {
    expect(allowed(policies, src)).toBe(expected);
  });
});

describe('ports in rules', () => {
  const withPorts = (ports: NonNullable<Spec['ingress']>[number]['ports']) => [ING({ ingress: [{ ports }] })];
  it.each<[string, NetworkPolicy[], number, 'TCP' | 'UDP' | 'SCTP', boolean]>([
    ['numeric', withPorts([{ port: 8080 }]), 8080, 'TCP', true],
    ['named resolves on the destination pod', withPorts([{ port: 'http' }]), 8080, 'TCP', true],
    ['range', withPorts([{ port: 8000, endPort: 9000 }]), 8443, 'TCP', true],
    ['UDP rule, TCP flow', withPorts([{ protocol: 'UDP', port: 8080 }]), 8080, 'TCP', false],
    ['SCTP', withPorts([{ protocol: 'SCTP', port: 8080 }]), 8080, 'SCTP', true],
    ['ports: [] = all ports', withPorts([]), 1234, 'UDP', true],
    ['rules union: second rule opens the port', [ING({ ingress: [{ ports: [{ port: 1 }] }, { ports: [{ port: 8080 }] }] })], 8080, 'TCP', true],
  ])('%s', (_n, policies, port, proto, expected) => {
    expect(allowed(policies, client, web, port, proto)).toBe(expected);
  });

  it('egress named ports resolve against the destination (peer) pod', () => {
    expect(allowed([EGR({ policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }] })], client, web, 8080)).toBe(true);
    expect(allowed([EGR({ policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }] })], client, remote, 8080)).toBe(false);
  });
});

describe('explanations', () => {
  it('names the rule, peer and port that allowed', () => {
    const idx = index({
      namespaces,
      pods,
      policies: [
        ING({
          ingress: [
            {
              from: [{ podSelector: { matchLabels: { app: 'x' } } }, { podSelector: { matchLabels: { app: 'client' } } }],
              ports: [{ port: 1 }, { port: 8080 }],
            },
          ],
        }),
      ],
    });
    const v = evaluateFlow(idx, { src: P(client), dst: P(web), port: 8080, protocol: 'TCP' });
    expect(v.ingress.allowedBy).toEqual([{ policy: { namespace: 'a', name: 'p' }, ruleIndex: 0, peerIndex: 1, portIndex: 1, matchedBy: 'podSelector' }]);
    expect(v.egress).toMatchObject({ evaluated: true, isolated: false, allowed: true });
  });

  it('for every selecting policy, gives the closest peer and what it lacked', () => {
    const idx = index({
      namespaces,
      pods,
      policies: [
        policy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }),
        ING({
          ingress: [
            { from: [{ ipBlock: { cidr: '192.0.2.0/24' } }] },
            { from: [{ namespaceSelector: { matchLabels: { team: 'alpha' } }, podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 80 }] },
          ],
        }),
      ],
    });
    const v = evaluateFlow(idx, { src: P(remote), dst: P(web), port: 8080, protocol: 'TCP' });
    expect(v.allowed).toBe(false);
    expect(v.ingress.selectedBy.map((p) => p.name)).toEqual(['deny', 'p']);
    const [deny, p] = v.ingress.misses;
    expect(deny).toMatchObject({ ruleIndex: null });
    expect(deny.lacks[0]).toMatch(/no ingress rules/);
    expect(p).toMatchObject({ ruleIndex: 1, peerIndex: 0, portIndex: 0 });
    expect(p.lacks).toEqual([
      'namespaceSelector wants team=alpha; namespace b has {team: beta, kubernetes.io/metadata.name: b}',
      'wants TCP 80; flow is TCP 8080',
    ]);
  });

  it('host-network destination: ingress not evaluated, reported', () => {
    const host = pod('a', 'host', { app: 'web' }, { ip: '192.168.0.10', hostNetwork: true });
    const idx = index({ namespaces, pods: [...pods, host], policies: [ING({})] });
    const v = evaluateFlow(idx, { src: P(client), dst: P(host), port: 8080, protocol: 'TCP' });
    expect(v.allowed).toBe(true);
    expect(v.ingress.evaluated).toBe(false);
    expect(v.ingress.skippedReason).toMatch(/host network/);
  });

  it('pod without an IP: selectors still apply, and the output says so', () => {
    const noIp = pod('a', 'pending', { app: 'client' });
    const idx = index({ namespaces, pods: [...pods, noIp], policies: [ING({ ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }] })] });
    const v = evaluateFlow(idx, { src: P(noIp), dst: P(web), port: 8080, protocol: 'TCP' });
    expect(v.allowed).toBe(true);
    expect(v.notes.join(' ')).toMatch(/has no IP yet/);
  });

  it('an ipBlock containing a pod IP is flagged implementation-dependent', () => {
    const idx = index({ namespaces, pods, policies: [ING({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16' } }] }] })] });
    const v = evaluateFlow(idx, { src: P(remote), dst: P(web), port: 8080, protocol: 'TCP' });
    expect(v.allowed).toBe(false);
    expect(v.ingress.notes[0]).toMatch(/contains pod IP 10\.0\.1\.2: implementation-dependent/);
  });
});
