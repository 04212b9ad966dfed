// The whole pure pipeline (checks -> diagnosis) on every recorded-facts fixture: layer, rule, key codes.

import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../src/checks/run.js';
import { diagnose, exitCodeFor } from '../../../src/diagnosis/index.js';
import { SYNTHETIC_FACT_FIXTURES, loadFacts } from '../helpers.js';

type Row = [situation: string, verdict: string, layer: string | null, rule: string, codes: string[], headline: RegExp, exit: number];

const TABLE: Row[] = [
  ['healthy', 'healthy', null, 'healthy', ['clusterip/reachable', 'endpoint/reachable', 'dns/resolves', 'policy/allowed'], /reaches payments\/payments-api/, 0],
  [
    'selector-typo',
    'fault',
    'service',
    'selector-matches-nothing',
    ['service/no-matching-pods', 'service/no-endpoints', 'clusterip/refused'],
    /selector app=payments-api matches no pods; pod payment-api-7d9c6b5f4-abcde has app=payment-api/,
    1,
  ],
  [
    'wrong-target-port',
    'fault',
    'service',
    'undeclared-target-port-fails',
    ['service/target-port-undeclared', 'endpoint/refused'],
    /targetPort 8081 .* not a port the pods declare/,
    1,
  ],
  ['pods-not-ready', 'fault', 'service', 'pods-not-ready', ['service/pods-not-ready', 'service/no-endpoints'], /failing its readiness probe GET \/healthz/, 1],
  [
    'coredns-down',
    'fault',
    'dns',
    'cluster-dns-down',
    ['dns/timeout', 'dns/kube-dns-no-endpoints', 'clusterip/reachable'],
    /Cluster DNS is down: kube-dns \(10\.96\.0\.10\) has no ready endpoints/,
    1,
  ],
  [
    'default-deny-no-allow',
    'fault',
    'policy',
    'policy-denies-path',
    ['policy/ingress-denied', 'clusterip/timeout', 'endpoint/timeout', 'crosscheck/agree'],
    /NetworkPolicy blocks orders\/orders-api-\S+ -> payments\/payments-api:8080: ingress is isolated by payments\/default-deny-ingress and no rule admits the flow/,
    1,
  ],
  [
    'egress-deny-dns',
    'fault',
    'policy',
    'egress-policy-blocks-dns',
    ['policy/dns-egress-blocked', 'dns/timeout', 'clusterip/reachable'],
    /orders\/default-deny-egress.* DNS from orders\/orders-api/,
    1,
  ],
  [
    'pod-network-broken',
    'fault',
    'pod-network',
    'pod-network-drops',
    ['crosscheck/dropped-despite-allow', 'clusterip/timeout', 'endpoint/timeout'],
    /dropped below NetworkPolicy/,
    1,
  ],
  ['kube-proxy-down', 'fault', 'service', 'clusterip-broken-pods-answer', ['clusterip/timeout', 'endpoint/reachable'], /kube-proxy rules/, 1],
  ['ingress-no-controller', 'fault', 'ingress', 'ingress-broken', ['ingress/no-controller'], /No controller serves IngressClass nginx/, 1],
  ['ingress-class-mismatch', 'fault', 'ingress', 'ingress-broken', ['ingress/class-not-found'], /asks for IngressClass "nginx", which does not exist/, 1],
  [
    'ingress-backend-other-namespace',
    'fault',
    'ingress',
    'ingress-broken',
    ['ingress/backend-other-namespace', 'ingress/controller-log-errors'],
    /cannot route across namespaces/,
    1,
  ],
  ['distroless-source', 'inconclusive', null, 'inconclusive', ['source/no-shell', 'clusterip/not-probed', 'dns/not-probed'], /not probed/, 3],
  [
    'forbidden-reads',
    'inconclusive',
    null,
    'inconclusive',
    ['service/pods-unreadable', 'service/endpoints-unreadable', 'clusterip/not-probed'],
    /pods\/exec/,
    3,
  ],
];

describe('diagnosis on recorded facts', () => {
  it('covers every fixture', () => {
    expect(TABLE.map((r) => r[0]).sort()).toEqual([...SYNTHETIC_FACT_FIXTURES].sort());
  });

  it.each(TABLE)('%s -> %s %s (%s)', (name, verdict, layer, rule, codes, headline, exit) => {
    const facts = loadFacts(name);
    const findings = runChecks(facts);
    const d = diagnose(findings, facts);
    expect({ verdict: d.verdict, layer: d.layer, rule: d.rule }).toEqual({ verdict, layer, rule });
    expect(d.headline).toMatch(headline);
    for (const c of codes) expect(findings.map((f) => f.code)).toContain(c);
    expect(exitCodeFor(d)).toBe(exit);
  });

  it('the healthy path raises no failure, and its only warning is the cross-namespace short name', () => {
    const facts = loadFacts('healthy');
    const findings = runChecks(facts);
    expect(findings.filter((f) => f.status === 'fail' || f.status === 'unknown')).toEqual([]);
    const d = diagnose(findings, facts);
    expect(d.confidence).toBe('high');
    expect(d.warnings.map((f) => f.code)).toEqual(['dns/short-name-other-namespace']);
  });

  it('faults confirmed by a probe are high confidence; forbidden reads are named, never passed', () => {
    const facts = loadFacts('forbidden-reads');
    const findings = runChecks(facts);
    const pods = findings.find((f) => f.code === 'service/pods-unreadable')!;
    expect(pods.status).toBe('unknown');
    expect(pods.summary).toBe('list pods in namespace payments: forbidden — grant list on pods in namespace payments');
    expect(findings.some((f) => f.code === 'service/no-endpoints' || f.code === 'service/no-matching-pods')).toBe(false);
    const d = diagnose(findings, facts);
    expect(d.confidence).toBe('low');
    expect(d.unknowns.length).toBeGreaterThanOrEqual(4);
  });

  it('next commands are concrete kubectl lines', () => {
    const cases: [string, string][] = [
      ['selector-typo', 'kubectl get endpointslices -n payments -l kubernetes.io/service-name=payments-api'],
      ['default-deny-no-allow', 'kubectl describe networkpolicy -n payments default-deny-ingress'],
      ['coredns-down', 'kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide'],
      ['kube-proxy-down', 'kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide'],
    ];
    for (const [name, cmd] of cases) {
      const facts = loadFacts(name);
      expect(diagnose(runChecks(facts), facts).next).toContain(cmd);
    }
  });
});
