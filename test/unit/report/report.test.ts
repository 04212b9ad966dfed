// Report building and the three renderers, on the synthetic facts fixtures: schema, step status, colors, golden strings.

import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../src/checks/run.js';
import { diagnose } from '../../../src/diagnosis/index.js';
import { buildReport, renderJson, renderMarkdown, renderTable, worstStatus, type Report } from '../../../src/report/index.js';
import { loadFacts } from '../helpers.js';

function reportFor(name: string): Report {
  const facts = loadFacts(name);
  const findings = runChecks(facts);
  return buildReport(facts, findings, diagnose(findings, facts));
}
const ANSI = /\u001b\[/;

describe('buildReport', () => {
  it('is versioned and lists the six steps in order', () => {
    const r = reportFor('healthy');
    expect(r.schema).toBe('k8snet.diagnose/v1');
    expect(r.steps.map((s) => s.id)).toEqual(['source', 'endpoints', 'clusterip', 'dns', 'policy', 'ingress']);
    expect(r.source).toMatchObject({ namespace: 'orders', pod: 'orders-api-5c8d7f9b6-qwert', container: 'orders-api' });
    expect(r.target).toMatchObject({ namespace: 'payments', name: 'payments-api', type: 'ClusterIP', clusterIP: '10.96.12.4' });
    expect(r.requests).toBe(20);
  });

  it.each([
    [['pass', 'info', 'warn'], 'warn'],
    [['pass', 'unknown', 'warn'], 'unknown'],
    [['unknown', 'fail'], 'fail'],
    [[], 'info'],
    [['info', 'pass'], 'pass'],
  ] as const)('worst of %j is %s', (xs, want) => {
    expect(worstStatus([...xs])).toBe(want);
  });

  it('step status is the worst of its findings', () => {
    const r = reportFor('default-deny-no-allow');
    const by = Object.fromEntries(r.steps.map((s) => [s.id, s.status]));
    expect(by).toMatchObject({ source: 'pass', endpoints: 'pass', clusterip: 'fail', dns: 'warn', policy: 'fail', ingress: 'info' });
  });

  it('findings carry their layer and title from the catalogue', () => {
    const f = reportFor('selector-typo').steps[1].findings.find((x) => x.code === 'service/no-matching-pods')!;
    expect([f.layer, f.title]).toEqual(['service', 'Selector matches no pods']);
  });
});

describe('renderers', () => {
  it('json round-trips the report', () => {
    const r = reportFor('coredns-down');
    expect(JSON.parse(renderJson(r))).toEqual(JSON.parse(JSON.stringify(r)));
  });

  it('table: no ANSI codes without color, ANSI with color', () => {
    const r = reportFor('default-deny-no-allow');
    expect(renderTable(r, { color: false, verbose: false })).not.toMatch(ANSI);
    expect(renderTable(r, { color: false, verbose: true })).not.toMatch(ANSI);
    expect(renderTable(r, { color: true, verbose: false })).toMatch(ANSI);
  });

  it('table: the DIAGNOSIS block names layer, headline, confidence and next commands (golden lines)', () => {
    const out = renderTable(reportFor('default-deny-no-allow'), { color: false, verbose: false });
    expect(out).toContain(
      'DIAGNOSIS\n  Verdict:    FAULT  layer: NetworkPolicy\n  NetworkPolicy blocks orders/orders-api-5c8d7f9b6-qwert -> payments/payments-api:8080: ingress is isolated by payments/default-deny-ingress and no rule admits the flow\n  Confidence: high',
    );
    expect(out).toContain('  $ kubectl describe networkpolicy -n payments default-deny-ingress');
    expect(out).toContain('2. ClusterIP reachability');
    expect(out).not.toContain('Probes\n'); // the probe list only with -v
  });

  it('table verbose: every probe with its kubectl line and exit code, and timings', () => {
    const out = renderTable(reportFor('kube-proxy-down'), { color: false, verbose: true });
    expect(out).toContain('clusterip/80  ClusterIP 10.96.12.4:80  curl exit 28 2016 ms');
    expect(out).toMatch(/\$ kubectl exec -n orders orders-api-5c8d7f9b6-qwert -c orders-api -- curl -v -sS -g --noproxy '\*'/);
    expect(out).toContain('total API requests: 20');
    expect(out).toContain('rule: clusterip-broken-pods-answer');
  });

  it('table: inconclusive runs list what could not be checked', () => {
    const out = renderTable(reportFor('forbidden-reads'), { color: false, verbose: false });
    expect(out).toContain('INCONCLUSIVE');
    expect(out).toContain('Could not check\n');
    expect(out).toContain('list pods in namespace payments: forbidden — grant list on pods in namespace payments');
  });

  it('markdown: verdict, step table, evidence and a sh block of next commands', () => {
    const md = renderMarkdown(reportFor('selector-typo'));
    expect(md).toMatch(/^## k8snet: orders\/orders-api-5c8d7f9b6-qwert → payments\/payments-api\n/);
    expect(md).toContain('**Verdict:** FAULT in **Service** (confidence high)');
    expect(md).toContain('| 1. Service and endpoints | FAIL |');
    expect(md).toContain('```sh\nkubectl get endpointslices -n payments -l kubernetes.io/service-name=payments-api\n');
    expect(md).not.toMatch(ANSI);
  });
});
