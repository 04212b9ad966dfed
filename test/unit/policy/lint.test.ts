import { describe, expect, it } from 'vitest';
import type { NetworkPolicy } from '../../../src/model/k8s.js';
import { evaluateFlow } from '../../../src/policy/evaluate.js';
import { lintDnsEgress, lintOrInsteadOfAnd, lintSelectsNothing, lintServicePort, lintVerdict } from '../../../src/policy/lint.js';
import type { Flow } from '../../../src/policy/types.js';
import { index, ns, P, pod, policy } from './world-helpers.js';

const app = pod('a', 'app', { app: 'app' }, { ip: '10.0.0.1', ports: [{ containerPort: 8080 }] });
const dns = pod(
  'kube-system',
  'coredns-1',
  { 'k8s-app': 'kube-dns' },
  {
    ip: '10.0.9.9',
    ports: [
      { containerPort: 53, protocol: 'UDP' },
      { containerPort: 53, protocol: 'TCP' },
    ],
  },
);
const toDns = (ports: { protocol?: string; port?: number }[]) => ({
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports,
});
const egress = (rules: NetworkPolicy['spec']['egress']) => policy('a', 'egress', { podSelector: {}, policyTypes: ['Egress'], egress: rules });

describe('lints never change a verdict', () => {
  it.each<[string, NetworkPolicy['spec'], number]>([
    [
      'ns-only + pod-only items: OR where AND was meant',
      { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { t: 'x' } } }, { podSelector: { matchLabels: { app: 'y' } } }] }] },
      1,
    ],
    [
      'both selectors in one item: AND, fine',
      { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { t: 'x' } }, podSelector: { matchLabels: { app: 'y' } } }] }] },
      0,
    ],
    [
      'two podSelector items: plain OR, fine',
      { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'x' } } }, { podSelector: { matchLabels: { app: 'y' } } }] }] },
      0,
    ],
    ['egress to: same shape', { podSelector: {}, egress: [{ to: [{ podSelector: { matchLabels: { app: 'y' } } }, { namespaceSelector: {} }] }] }, 1],
  ])('or-instead-of-and: %s', (_n, spec, count) => {
    expect(lintOrInsteadOfAnd(policy('a', 'p', spec))).toHaveLength(count);
  });

  it.each<[string, number, number, (number | string)[], number]>([
    ['policy names the Service port', 80, 8080, [80], 1],
    ['policy names the targetPort', 80, 8080, [8080], 0],
    ['Service port equals targetPort', 8080, 8080, [8080], 0],
  ])('service-port-not-target-port: %s', (_n, sp, tp, ports, count) => {
    expect(lintServicePort(policy('a', 'p', { podSelector: {}, ingress: [{ ports: ports.map((port) => ({ port })) }] }), sp, tp)).toHaveLength(count);
  });

  it('selects-nothing', () => {
    const idx = index({ namespaces: [ns('a')], pods: [app], policies: [] });
    expect(lintSelectsNothing(idx, policy('a', 'p', { podSelector: { matchLabels: { app: 'gone' } } }))?.code).toBe('selects-nothing');
    expect(lintSelectsNothing(idx, policy('a', 'p', { podSelector: { matchLabels: { app: 'app' } } }))).toBeUndefined();
  });

  it.each<[string, NetworkPolicy[], string | undefined]>([
    ['no egress policy: DNS not blocked', [], undefined],
    ['egress default-deny blocks UDP and TCP 53', [egress([])], 'UDP and TCP'],
    ['UDP allowed, TCP not', [egress([toDns([{ protocol: 'UDP', port: 53 }])])], 'TCP'],
    [
      'both allowed',
      [
        egress([
          toDns([
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ]),
        ]),
      ],
      undefined,
    ],
    [
      'port 53 allowed to any destination',
      [
        egress([
          {
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ]),
      ],
      undefined,
    ],
    [
      'allowed to kube-system pods but only by podSelector (same namespace!)',
      [egress([{ to: [{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }] }])],
      'UDP and TCP',
    ],
  ])('dns-egress-blocked: %s', (_n, policies, blocked) => {
    const idx = index({ namespaces: [ns('a'), ns('kube-system')], pods: [app, dns], policies });
    const l = lintDnsEgress(idx, P(app));
    if (blocked === undefined) expect(l).toBeUndefined();
    else expect(l?.message).toMatch(new RegExp(`blocks ${blocked} 53`));
  });

  it('not-enforced and host-network lints ride along, and the verdict is unchanged', () => {
    const host = pod('a', 'host', { app: 'h' }, { hostNetwork: true, ip: '192.168.1.1' });
    const policies = [policy('a', 'deny', { podSelector: { matchLabels: { app: 'app' } } })];
    const idx = index({ namespaces: [ns('a')], pods: [app, host], policies, enforced: false });
    const flow: Flow = { src: P(host), dst: P(app), port: 8080, protocol: 'TCP' };
    const v = evaluateFlow(idx, flow);
    const codes = lintVerdict(idx, flow, v).map((l) => l.code);
    expect(codes).toContain('not-enforced');
    expect(codes).toContain('host-network');
    expect(v.allowed).toBe(false);
    expect(v.notes.join(' ')).toMatch(/node IP/);
  });
});
