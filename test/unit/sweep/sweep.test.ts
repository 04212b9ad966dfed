// k8snet sweep on synthetic gathered facts: one row per Service from diagnose's own checks and
// diagnosis, broken first, each fault in its layer; hygiene; not-checked namespaces; exit codes.
import { describe, expect, it } from 'vitest';
import { runChecks } from '../../../src/checks/run.js';
import { diagnose, exitCodeForSweep } from '../../../src/diagnosis/index.js';
import type { SweepFacts } from '../../../src/model/sweep.js';
import { renderSweepJson, renderSweepMarkdown, renderSweepTable } from '../../../src/report/sweep.js';
import { analyzeSweep } from '../../../src/sweep/analyze.js';
import { factsForService, sharedOf } from '../../../src/sweep/project.js';
import { sweepProbePlans } from '../../../src/gather/sweep.js';
// @ts-expect-error plain JS fixture builder, shared with bench/sweep.mjs
import { syntheticSweep } from '../../fixtures/sweep/world.mjs';

const world = (o: Record<string, unknown>): SweepFacts => syntheticSweep(o) as SweepFacts;
const byName = (r: ReturnType<typeof analyzeSweep>, name: string) => r.rows.find((x) => x.name === name)!;

describe('analyzeSweep', () => {
  const faults = { 1: 'selector-typo', 2: 'not-ready', 3: 'nobody', 4: 'ingress-class', 5: 'wrong-target-port', 6: 'dead-peer' };
  const r = analyzeSweep(world({ services: 8, faults }));

  it.each([
    ['svc-1', 'fault', 'service', /selector app=svc-1x matches no pods/i],
    ['svc-2', 'fault', 'service', /ready/i],
    ['svc-3', 'fault', 'policy', /Nobody may connect to shop\/svc-3/],
    ['svc-4', 'fault', 'ingress', /IngressClass "nginx", which does not exist/],
    ['svc-5', 'fault', 'service', /htp/],
    ['svc-0', 'healthy', null, /looks healthy from the API/],
    ['svc-7', 'healthy', null, /looks healthy/],
  ])('%s: %s in layer %s', (name, verdict, layer, reason) => {
    const row = byName(r, name);
    expect(row.verdict).toBe(verdict);
    expect(row.layer).toBe(layer);
    expect(row.reason).toMatch(reason);
  });

  it('a peer that matches nothing is a warning on the row and a hygiene finding naming the rule', () => {
    const row = byName(r, 'svc-6');
    expect(row.verdict).toBe('healthy');
    expect(row.warnings).toBeGreaterThan(0);
    expect(row.findings.map((f) => `${f.code}:${f.status}`)).toContain('policy/callers-match-nothing:warn');
    const hy = r.namespaces[0].hygiene.map((f) => `${f.code} ${f.summary}`);
    expect(hy.some((h) => /policy\/peer-matches-nothing shop\/allow-svc-6 spec\.ingress\[0\]\.from\[0\]/.test(h))).toBe(true);
    expect(hy.some((h) => /policy\/service-port-not-target-port .*port 80 is the Service port/.test(h))).toBe(true);
  });

  it('each row is exactly what diagnose concludes for the same Service', () => {
    const sf = world({ services: 8, faults });
    const shared = sharedOf(sf);
    const n = sf.swept[0];
    for (const svc of n.services.state === 'ok' ? n.services.value : []) {
      const facts = factsForService(sf, shared, n, svc.metadata.name, svc);
      const d = diagnose(runChecks(facts), facts);
      const row = byName(r, svc.metadata.name);
      expect([row.verdict, row.layer, row.reason.split('; warning:')[0]]).toEqual([d.verdict, d.layer, d.headline]);
    }
  });

  it('broken first, then healthy; diagnose printed as the next command for broken rows only', () => {
    const verdicts = r.rows.map((x) => x.verdict);
    expect(verdicts.indexOf('healthy')).toBeGreaterThan(verdicts.lastIndexOf('fault'));
    expect(byName(r, 'svc-1').next).toBe('k8snet diagnose shop/svc-1');
    expect(byName(r, 'svc-0').next).toBeUndefined();
    expect(exitCodeForSweep(r)).toBe(1);
  });

  it('policy column: restricted with who is admitted; nobody for svc-3', () => {
    expect(byName(r, 'svc-0').policy).toMatchObject({ state: 'restricted', selectedBy: ['default-deny-ingress', 'allow-svc-0'] });
    expect(byName(r, 'svc-0').policy.admitted.join(' ')).toMatch(/podSelector app=client -> 1 pod\(s\) in shop/);
    expect(byName(r, 'svc-3').policy.state).toBe('nobody');
  });

  it('a healthy namespace exits 0', () => {
    const h = analyzeSweep(world({ services: 4 }));
    expect(h.rows.every((x) => x.verdict === 'healthy')).toBe(true);
    expect(exitCodeForSweep(h)).toBe(0);
  });

  it('a namespace that may not be read is not checked, never healthy: exit 3', () => {
    const h = analyzeSweep(world({ namespaces: 2, services: 2, forbidden: ['team-1'] }));
    expect(h.namespaces.find((n) => n.name === 'team-1')).toMatchObject({ status: 'not-checked' });
    expect(h.namespaces.find((n) => n.name === 'team-1')!.why).toMatch(/forbidden/);
    expect(h.rows.every((x) => x.namespace === 'team-0')).toBe(true);
    expect(h.summary.notChecked).toEqual(['team-1']);
    expect(exitCodeForSweep(h)).toBe(3);
    expect(renderSweepTable(h, { color: false, verbose: false })).toMatch(/NOT CHECKED team-1: list services in namespace team-1: forbidden/);
  });

  it('CoreDNS down is judged once for the run (not on every row) and makes the exit 1', () => {
    const sf = world({ services: 3 });
    sf.dns.endpointSlices = { state: 'ok', value: [] };
    const h = analyzeSweep(sf);
    expect(h.rows.every((x) => x.verdict === 'healthy')).toBe(true);
    expect(h.cluster.dns.map((f) => `${f.code}:${f.status}`)).toContain('dns/kube-dns-no-endpoints:fail');
    expect(exitCodeForSweep(h)).toBe(1);
  });

  it('an Ingress backend that does not exist becomes a row of its own', () => {
    const sf = world({ services: 2 });
    const n = sf.swept[0];
    if (n.ingresses.state === 'ok')
      n.ingresses.value.push({
        metadata: { name: 'web', namespace: 'shop' },
        spec: { ingressClassName: 'traefik', rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'svc-00', port: { number: 80 } } } }] } }] },
      });
    const h = analyzeSweep(sf);
    const row = byName(h, 'svc-00');
    expect(row).toMatchObject({ type: '(missing)', verdict: 'fault', layer: 'service' });
    expect(row.reason).toMatch(/does not exist — did you mean shop\/svc-0/);
  });

  it('--callers lists the client workload for each Service', () => {
    const h = analyzeSweep(world({ services: 2, callers: true }));
    expect(byName(h, 'svc-0').callers).toEqual([
      { port: 8080, protocol: 'TCP', callers: [{ namespace: 'shop', workload: 'deployment/client', pods: 1, egressBlocked: false }] },
    ]);
  });
});

describe('renderers', () => {
  const r = analyzeSweep(world({ services: 3, faults: { 1: 'nobody' } }));
  it('table: one line per Service under the header, broken first, next commands', () => {
    const t = renderSweepTable(r, { color: false, verbose: false });
    expect(t).not.toMatch(/\u001b\[/);
    expect(t.indexOf('shop/svc-1')).toBeLessThan(t.indexOf('shop/svc-0'));
    expect(t).toMatch(/\$ k8snet diagnose shop\/svc-1/);
    const colored = renderSweepTable(r, { color: true, verbose: true });
    expect(colored).toMatch(/\u001b\[31m/);
    expect(colored).toMatch(/FAULT/);
  });
  it('markdown and json', () => {
    expect(renderSweepMarkdown(r)).toMatch(/\| shop\/svc-1 \| ClusterIP \| 2\/2 \| http:80->8080 \| NOBODY \(2\) \|/);
    const j = JSON.parse(renderSweepJson(r));
    expect(j.schema).toBe('k8snet.sweep/v1');
    expect(j.rows[0]).toMatchObject({ namespace: 'shop', name: 'svc-1', verdict: 'fault', layer: 'policy' });
  });
  it('table cells wrap to their column: each entry on its own line, a long name shown whole (split, not cut with …)', () => {
    const w = analyzeSweep(world({ services: 2 }));
    const row = w.rows[0];
    row.name = 'payments-api-gateway-frontend-v2';
    row.entry = ['Ingress shop/api-ingress api.example.com/orders', 'HTTPRoute other/route-1 api.example.com/v2/orders'];
    const lines = renderSweepTable(w, { color: false, verbose: false }).split('\n');
    const table = lines.filter((l) => l.startsWith('│') || /^[┌├└]/.test(l));
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
    const col = (i: number) =>
      table
        .filter((l) => l.startsWith('│'))
        .map((l) => l.split('│')[i].trim())
        .filter(Boolean);
    expect(col(1).join('')).toContain('shop/payments-api-gateway-frontend-v2');
    expect(col(6)).toEqual(expect.arrayContaining(['ingress api-ingress', 'api.example.com/orders', 'httproute other/route-1']));
    expect(table.join('\n')).not.toMatch(/…|\\x0a/);
    // compact: one rule under the header, none between rows
    expect(table.filter((l) => l.startsWith('├'))).toHaveLength(1);
  });

  it('cluster strings cannot drive the terminal', () => {
    const sf = world({ services: 1 });
    const n = sf.swept[0];
    if (n.services.state === 'ok') n.services.value[0].spec.ports![0].name = 'x\u001b[2Jy';
    const t = renderSweepTable(analyzeSweep(sf), { color: false, verbose: false });
    expect(t).not.toMatch(/\u001b/);
    expect(t).toContain('\\x1b');
  });
});

describe('sweepProbePlans', () => {
  it('keeps ClusterIP, one endpoint per port, the FQDN lookup and Ingress paths', () => {
    const p = (id: string) => ({ id, kind: 'tcp' as const, label: id, target: { host: 'h' }, command: null });
    // a port's transport and application probes share an id: both are kept for the first endpoint
    const ids = sweepProbePlans(
      [
        'clusterip/80',
        'clusterip/80',
        'endpoint/10.0.0.1/8080',
        'endpoint/10.0.0.1/8080',
        'endpoint/10.0.0.2/8080',
        'endpoint/10.0.0.2/8080',
        'endpoint/10.0.0.1/9090',
        'endpoint/10.0.0.3/53/udp',
        'endpoint/10.0.0.4/53/udp',
        'dns/fqdn/pod-resolver',
        'dns/short/pod-resolver',
        'dns/fqdn/kube-dns-udp',
        'ingress/a/b/0/0',
      ].map(p),
    ).map((x) => x.id);
    expect(ids).toEqual([
      'clusterip/80',
      'clusterip/80',
      'endpoint/10.0.0.1/8080',
      'endpoint/10.0.0.1/8080',
      'endpoint/10.0.0.1/9090',
      'endpoint/10.0.0.3/53/udp',
      'dns/fqdn/pod-resolver',
      'ingress/a/b/0/0',
    ]);
  });
});

describe('Gateway API in a sweep', () => {
  it('each Service sees only the routes that send traffic to it; the entry column names them', async () => {
    const { gatewayFactsFor } = await import('../../../src/sweep/project.js');
    const sf = world({ services: 2 });
    const route = (name: string, svc: string) => ({
      kind: 'HTTPRoute',
      metadata: { name, namespace: 'shop' },
      spec: { parentRefs: [{ name: 'gw', namespace: 'infra' }], rules: [{ backendRefs: [{ name: svc, port: 80 }] }] },
    });
    sf.gateway = {
      discovery: { state: 'ok', value: [] },
      routes: [{ kind: 'HTTPRoute', read: { state: 'ok', value: [route('to-0', 'svc-0'), route('to-1', 'svc-1')] } }] as never,
      gateways: {},
      classes: { state: 'ok', value: [] },
      controllers: [],
      dataPlanes: {},
      referenceGrants: {},
      backendServices: {},
      certificates: [],
    };
    const g = gatewayFactsFor(sf, 'shop', 'svc-1')!;
    const names = g.routes.flatMap((r) => (r.read.state === 'ok' ? r.read.value.map((x) => x.metadata.name) : []));
    expect(names).toEqual(['to-1']);
    const r = analyzeSweep(sf);
    expect(byName(r, 'svc-0').entry).toEqual(['HTTPRoute shop/to-0 via infra/gw']);
  });
});

describe('what could not be checked stays visible on healthy rows', () => {
  it('a forbidden route list: the row is healthy as far as checked, shows "OK (1?)", and -v names the unknown', () => {
    const sf = world({ services: 1 });
    const no = { state: 'forbidden' as const, message: 'httproutes.gateway.networking.k8s.io is forbidden' };
    sf.gateway = {
      discovery: { state: 'ok', value: [{ kind: 'HTTPRoute', resource: 'httproutes', version: 'v1' }] },
      routes: [{ kind: 'HTTPRoute', read: no }],
      gateways: {},
      classes: { state: 'skipped', message: 'x' },
      controllers: [],
      dataPlanes: {},
      referenceGrants: {},
      backendServices: {},
      certificates: [],
    } as never;
    const r = analyzeSweep(sf);
    expect(r.rows[0]).toMatchObject({ verdict: 'healthy', unknowns: 1 });
    const t = renderSweepTable(r, { color: false, verbose: true });
    expect(t).toMatch(/OK \(1\?\)/);
    expect(t).toMatch(/\? list httproutes\.gateway\.networking\.k8s\.io \(cluster-wide\): forbidden/);
  });
});
