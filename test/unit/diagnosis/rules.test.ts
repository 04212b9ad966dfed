// Diagnosis rules on hand-written Finding[] lists (independent of the checks and the policy engine).

import { describe, expect, it } from 'vitest';
import { diagnose, exitCodeFor, RULES } from '../../../src/diagnosis/index.js';
import type { Code } from '../../../src/model/codes.js';
import type { Finding } from '../../../src/model/finding.js';
import { loadFacts } from '../helpers.js';

// hand-written findings carry only the data fields the rules read
const f = (code: Code, step: Finding['step'], status: Finding['status'], data: Record<string, unknown> = {}, summary: string = code): Finding =>
  ({ code, step, status, summary, evidence: [], data }) as unknown as Finding;
const verdict = (allowed: boolean, names: string[] = []) => ({
  verdict: {
    allowed,
    port: 8080,
    ingress: { allowed, selectedBy: names.map((n) => ({ namespace: n.split('/')[0], name: n.split('/')[1] })) },
    egress: { allowed: true, selectedBy: [] },
  },
});
const ready = f('service/endpoints-ready', 'endpoints', 'pass');
// connected: what the probe tool could tell (curl can; busybox wget cannot: undefined)
const connectedFor = (outcome: string) => (outcome === 'ok' || outcome === 'no-response' ? true : outcome === 'timeout-unsure' ? undefined : false);
const norm = (outcome: string) => (outcome === 'timeout-unsure' ? 'timeout' : outcome);
const vip = (outcome: string) =>
  f(`clusterip/${outcome === 'ok' ? 'reachable' : norm(outcome)}` as Code, 'clusterip', outcome === 'ok' ? 'pass' : 'fail', {
    outcome: norm(outcome),
    connected: connectedFor(outcome),
  });
const pod = (outcome: string) =>
  f(`endpoint/${outcome === 'ok' ? 'reachable' : norm(outcome)}` as Code, 'clusterip', outcome === 'ok' ? 'pass' : 'fail', {
    outcome: norm(outcome),
    connected: connectedFor(outcome),
    target: '10.244.0.21:8080',
  });

const facts = loadFacts('healthy');

describe('diagnosis rules', () => {
  const cases: [string, Finding[], string, string | null, string][] = [
    [
      'policy denies, probes time out',
      [ready, vip('timeout'), pod('timeout'), f('policy/ingress-denied', 'policy', 'fail', verdict(false, ['payments/deny-all']))],
      'policy-denies-path',
      'policy',
      'high',
    ],
    [
      'policy denies, probes not run',
      [ready, f('clusterip/not-probed', 'clusterip', 'unknown'), f('policy/ingress-denied', 'policy', 'fail', verdict(false, ['payments/deny-all']))],
      'policy-denies-path',
      'policy',
      'low',
    ],
    [
      'policy allows, everything times out',
      [ready, vip('timeout'), pod('timeout'), f('policy/allowed', 'policy', 'pass', verdict(true))],
      'pod-network-drops',
      'pod-network',
      'high',
    ],
    [
      'policy allows, everything times out, tool cannot tell connect from no answer',
      [ready, vip('timeout-unsure'), pod('timeout-unsure'), f('policy/allowed', 'policy', 'pass', verdict(true))],
      'pod-network-drops',
      'pod-network',
      'medium',
    ],
    [
      'connected, then no response (app hangs)',
      [ready, vip('no-response'), pod('no-response'), f('policy/allowed', 'policy', 'pass', verdict(true))],
      'backend-never-answers',
      'service',
      'high',
    ],
    ['vip times out, pods answer', [ready, vip('timeout'), pod('ok')], 'clusterip-broken-pods-answer', 'service', 'high'],
    ['refused with ready endpoints', [ready, vip('refused'), pod('refused')], 'refused-with-endpoints', 'service', 'high'],
    ['no endpoints', [f('service/no-endpoints', 'endpoints', 'fail'), vip('refused')], 'no-ready-endpoints', 'service', 'high'],
    ['dns fails, clusterip works', [ready, vip('ok'), f('dns/nxdomain', 'dns', 'fail', { probeId: 'dns/fqdn/pod-resolver' })], 'dns-fails', 'dns', 'high'],
    [
      'egress blocks dns',
      [
        ready,
        vip('ok'),
        f('dns/timeout', 'dns', 'fail'),
        f('policy/dns-egress-blocked', 'policy', 'fail', {
          dnsVerdict: { allowed: false, egress: { allowed: false, selectedBy: [{ namespace: 'orders', name: 'deny-egress' }] } },
        }),
      ],
      'egress-policy-blocks-dns',
      'policy',
      'high',
    ],
    ['ingress without controller', [ready, vip('ok'), f('ingress/no-controller', 'ingress', 'fail')], 'ingress-broken', 'ingress', 'high'],
    ['unmatched failure', [ready, vip('ok'), f('service/protocol-mismatch', 'endpoints', 'fail')], 'first-failure', 'service', 'medium'],
  ];
  it.each(cases)('%s -> %s', (_name, findings, rule, layer, confidence) => {
    const d = diagnose(findings, facts);
    expect(d.rule).toBe(rule);
    expect(d.layer).toBe(layer);
    expect(d.verdict).toBe('fault');
    expect(d.confidence).toBe(confidence);
    expect(exitCodeFor(d)).toBe(1);
  });

  it('a ClusterIP failing seconds after the Service changed is not yet blamed on kube-proxy', () => {
    const at = Date.parse(facts.gatheredAt);
    const withChange = (secondsBefore: number) => {
      const copy = structuredClone(facts);
      if (copy.service.state !== 'ok') throw new Error('fixture has no Service');
      copy.service.value.metadata.creationTimestamp = new Date(at - 3600_000).toISOString();
      if (copy.endpointSlices.state !== 'ok') throw new Error('fixture has no EndpointSlices');
      for (const s of copy.endpointSlices.value) {
        s.metadata.creationTimestamp = new Date(at - 3600_000).toISOString();
        s.metadata.annotations = {
          ...s.metadata.annotations,
          'endpoints.kubernetes.io/last-change-trigger-time': new Date(at - secondsBefore * 1000).toISOString(),
        };
      }
      return copy;
    };
    const fresh = diagnose([ready, vip('timeout'), pod('ok')], withChange(2));
    expect(fresh.rule).toBe('clusterip-broken-pods-answer');
    expect(fresh.headline).toMatch(/changed 2 s before this run: kube-proxy may still have been programming them; run again/);
    expect(fresh.confidence).toBe('medium');
    const old = diagnose([ready, vip('timeout'), pod('ok')], withChange(120));
    expect(old.headline).toMatch(/kube-proxy rules for the Service are missing or stale$/);
    expect(old.confidence).toBe('high');
  });

  it('egress policy is named in the headline', () => {
    const d = diagnose(
      [
        ready,
        vip('ok'),
        f('dns/timeout', 'dns', 'fail'),
        f('policy/dns-egress-blocked', 'policy', 'fail', {
          dnsVerdict: { allowed: false, egress: { allowed: false, selectedBy: [{ namespace: 'orders', name: 'deny-egress' }] } },
        }),
      ],
      facts,
    );
    expect(d.headline).toBe('Egress NetworkPolicy orders/deny-egress blocks DNS from orders/orders-api-5c8d7f9b6-qwert: lookups of payments-api time out');
  });

  it('policy denies but packets pass: healthy, with the not-enforced warning kept', () => {
    const warn = f('crosscheck/not-enforced', 'policy', 'warn');
    const d = diagnose([ready, vip('ok'), pod('ok'), f('policy/ingress-denied', 'policy', 'warn', verdict(false, ['payments/deny-all'])), warn], facts);
    expect(d.verdict).toBe('healthy');
    expect(d.warnings).toContain(warn);
  });

  it('a forbidden Service read is inconclusive, not missing', () => {
    const d = diagnose(
      [
        f(
          'service/unreadable',
          'endpoints',
          'unknown',
          {},
          'get services payments-api in namespace payments: forbidden — grant get on services in namespace payments',
        ),
      ],
      facts,
    );
    expect(d.verdict).toBe('inconclusive');
    expect(exitCodeFor(d)).toBe(3);
  });

  it('secondary problems and unknowns are listed apart from the evidence', () => {
    const extra = f('ingress/tls-secret-missing', 'ingress', 'warn');
    const unk = f('dns/not-probed', 'dns', 'unknown');
    const d = diagnose([ready, vip('timeout'), pod('ok'), extra, unk], facts);
    expect(d.warnings).toEqual([extra]);
    expect(d.unknowns).toEqual([unk]);
    expect(d.evidence).not.toContain(extra);
  });

  it('every rule has a name and a one-line reason', () => {
    for (const r of RULES) {
      expect(r.name).toMatch(/^[a-z-]+$/);
      expect(r.why.length).toBeGreaterThan(20);
    }
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
  });
});
