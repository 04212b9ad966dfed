// The path picture: hop states from the synthetic facts fixtures, the text renderer's folding, glyphs and
// sanitising, and the Mermaid source (rendered for real in test/browser/mermaid-render.test.ts).
import { describe, expect, it } from 'vitest';
import { analyzeFacts } from '../../../src/pipeline.js';
import { buildPath, hopIds, hopState, type PathPicture } from '../../../src/report/path-model.js';
import { renderPathText, unicodeFromEnv } from '../../../src/report/path-text.js';
import { renderPathMermaid } from '../../../src/report/path-mermaid.js';
import { cleanLabel, mermaidLabel } from '../../../src/report/path-sanitize.js';
import { textWidth } from '../../../src/report/wrap.js';
import { SYNTHETIC_FACT_FIXTURES, loadFacts } from '../helpers.js';
import type { Code } from '../../../src/model/codes.js';
import type { ConnectProbeData } from '../../../src/model/finding-data.js';
import type { Finding } from '../../../src/model/finding.js';

function pathOf(name: string): PathPicture {
  const facts = loadFacts(name);
  const { findings, diagnosis } = analyzeFacts(facts);
  return buildPath(facts, findings, diagnosis);
}

const states = (p: PathPicture) => Object.fromEntries(hopIds(p).map((h) => [h.id, h.state]));

describe('hopState', () => {
  it.each([
    [['pass', 'fail'], 'failed'],
    [['pass', 'unknown'], 'passed'],
    [['warn'], 'passed'],
    [['unknown', 'info'], 'unknown'],
    [['info'], 'not-checked'],
    [[], 'not-checked'],
  ] as const)('%j -> %s', (s, want) => expect(hopState([...s])).toBe(want));
});

describe('buildPath on the synthetic facts fixtures (situation -> hop states, failing hop)', () => {
  it.each([
    // situation, expected states (subset), failing hop
    [
      'healthy',
      {
        source: 'passed',
        egress: 'passed',
        dns: 'passed',
        service: 'passed',
        'endpoint-0': 'passed',
        'gate-0': 'passed',
        'endpoint-1': 'passed',
        'gate-1': 'passed',
      },
      undefined,
    ],
    // both endpoints time out behind a denying ingress policy: the VIP is "could not tell", the gates fail
    [
      'default-deny-no-allow',
      { egress: 'passed', dns: 'passed', service: 'unknown', 'gate-0': 'failed', 'endpoint-0': 'failed', 'gate-1': 'failed' },
      'gate-0',
    ],
    // kube-proxy down: the VIP fails while the pods answer directly
    ['kube-proxy-down', { service: 'failed', 'endpoint-0': 'passed', 'endpoint-1': 'passed' }, 'service'],
    ['egress-deny-dns', { egress: 'failed', dns: 'failed', service: 'passed', 'endpoint-0': 'passed' }, 'egress'],
    ['ingress-no-controller', { 'entry-0-0': 'passed', 'entry-0-1': 'failed', service: 'passed' }, 'entry-0-1'],
    // distroless source, no --ephemeral: nothing probed, nothing claimed
    ['distroless-source', { dns: 'unknown', 'endpoint-0': 'unknown' }, undefined],
  ] as const)('%s', (name, want, failing) => {
    const p = pathOf(name);
    expect(states(p)).toMatchObject(want);
    expect(p.failing).toBe(failing);
  });

  it('no fixture draws a failed hop on a healthy verdict, and every fault has a failing hop or an unknown one', () => {
    for (const name of SYNTHETIC_FACT_FIXTURES) {
      const facts = loadFacts(name);
      const { findings, diagnosis } = analyzeFacts(facts);
      const p = buildPath(facts, findings, diagnosis);
      const all = hopIds(p).map((h) => h.state);
      if (diagnosis.verdict === 'healthy') expect(all, name).not.toContain('failed');
      if (diagnosis.verdict === 'fault')
        expect(
          all.some((s) => s === 'failed' || s === 'unknown'),
          name,
        ).toBe(true);
    }
  });

  it('endpoint hops carry the node from the EndpointSlice and the pod name', () => {
    const p = pathOf('healthy');
    expect(p.endpoints[0]).toMatchObject({ pod: expect.stringMatching(/^payments-api-/), node: 'lab-node' });
  });

  it('per-port probes (issue 15): every port in the endpoint label, the application protocol as its answer', () => {
    const facts = loadFacts('healthy');
    const { findings, diagnosis } = analyzeFacts(facts);
    const ep = findings.find((f) => f.code === 'endpoint/reachable')!;
    const ip = String((ep.data as ConnectProbeData).target).split(':')[0];
    const tls = { ...ep, data: { probeId: `endpoint/${ip}/8443`, target: `${ip}:8443`, protocol: 'tls', app: 'answered', outcome: 'ok' } } as Finding;
    const noHttp = findings.filter((f) => f !== ep);
    const p = buildPath(facts, [...noHttp, tls], diagnosis);
    const hop = p.endpoints.find((e) => e.ip === ip)!;
    expect(hop.label).toBe(`${ip}:8443`);
    expect(hop.detail).toBe('TLS');
    const both = buildPath(facts, [...findings, tls], diagnosis).endpoints.find((e) => e.ip === ip)!;
    expect(both.label).toBe(`${ip}:8080,8443`);
    expect(both.detail).toBe('HTTP 200');
  });

  it('without --from there is no source hop and nothing after it is claimed', () => {
    const facts = loadFacts('healthy');
    delete (facts.request as { from?: unknown }).from;
    facts.probes = [];
    const { findings, diagnosis } = analyzeFacts(facts);
    const p = buildPath(facts, findings, diagnosis);
    expect(p.source).toBeNull();
    expect(p.dns.state).not.toBe('passed');
  });
});

describe('Gateway API entry (issue 10 findings)', () => {
  it('draws HTTPRoute -> Gateway -> backend in front, the failing probe on the backend hop', () => {
    const facts = loadFacts('healthy');
    const { findings, diagnosis } = analyzeFacts(facts);
    const route = { kind: 'HTTPRoute', namespace: 'payments', name: 'payments-route' };
    const gw = { kind: 'Gateway', namespace: 'infra', name: 'shared-gw' };
    const mk = (code: Code, status: 'pass' | 'fail', subject: object) =>
      ({ code, step: 'gateway' as const, status, summary: code, evidence: [], subject: subject as never }) as Finding;
    const extra = [
      mk('gateway/route-accepted', 'pass', route),
      mk('gateway/gateway-ok', 'pass', gw),
      mk('gateway/controller-ready', 'pass', gw),
      mk('gateway/probe-failed', 'fail', route),
    ];
    const p = buildPath(facts, [...findings, ...extra], diagnosis);
    expect(p.entries).toHaveLength(1);
    expect(p.entries[0].kind).toBe('HTTPRoute');
    expect(p.entries[0].hops.map((h) => [h.label, h.state])).toEqual([
      ['HTTPRoute payments/payments-route', 'passed'],
      ['Gateway infra/shared-gw', 'passed'],
      ['Service payments/payments-api', 'failed'],
    ]);
    expect(renderPathText(p, { color: false, unicode: false })).toContain('entry [ok] HTTPRoute payments/payments-route -->');
  });
});

describe('renderPathText', () => {
  it('fits 100 columns and draws every hop (Unicode)', () => {
    for (const name of SYNTHETIC_FACT_FIXTURES) {
      const text = renderPathText(pathOf(name), { color: false, unicode: true });
      for (const line of text.split('\n')) expect(textWidth(line), `${name}: ${line}`).toBeLessThanOrEqual(100);
    }
    const t = renderPathText(pathOf('default-deny-no-allow'), { color: false, unicode: true });
    expect(t).toContain('◀──ingress ✗ DENIED── payments/default-deny-ingress');
    expect(t).toContain('──egress ✓ open──▶');
    expect(t).toContain('? payments/payments-api 10.96.12.4:80 (ClusterIP, kube-proxy): nothing behind it answered');
  });

  it('ASCII mode has no byte above 0x7e', () => {
    for (const name of SYNTHETIC_FACT_FIXTURES) {
      const text = renderPathText(pathOf(name), { color: false, unicode: false });
      expect(text, name).toMatch(/^[\x20-\x7e\n]*$/);
    }
    expect(renderPathText(pathOf('default-deny-no-allow'), { color: false, unicode: false })).toContain(
      '<--ingress [FAIL] DENIED-- payments/default-deny-ingress',
    );
  });

  it('colour only when asked', () => {
    expect(renderPathText(pathOf('healthy'), { color: false, unicode: true })).not.toContain('\u001b[');
    expect(renderPathText(pathOf('healthy'), { color: true, unicode: true })).toContain('\u001b[32m');
  });

  it('folds at hop boundaries in a narrow terminal and wraps a hop longer than a line', () => {
    const p = pathOf('healthy');
    p.endpoints[0].pod = 'x'.repeat(30) + ' ' + 'y'.repeat(150);
    const text = renderPathText(p, { color: false, unicode: true, width: 60 });
    for (const line of text.split('\n')) expect(textWidth(line), line).toBeLessThanOrEqual(60);
    expect(text.replace(/\s+/g, '')).toContain('y'.repeat(100));
  });

  it('neutralises control characters and escape sequences in tenant strings', () => {
    const p = pathOf('healthy');
    p.endpoints[0].pod = 'evil\u001b[2J\u0007pod\u202e';
    p.endpoints[0].node = 'node\r\nfake line';
    const text = renderPathText(p, { color: false, unicode: true });
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    expect(text).toContain('evil\\x1b[2J\\x07pod\\u202e');
    expect(text).toContain('node\\r\\nfake line');
  });
});

describe('unicodeFromEnv', () => {
  it.each([
    [{ LANG: 'en_US.UTF-8' }, true],
    [{ LC_ALL: 'C.utf8' }, true],
    [{ LC_ALL: 'C', LANG: 'en_US.UTF-8' }, false], // LC_ALL wins
    [{ LC_CTYPE: 'de_DE.UTF-8', LANG: 'C' }, true],
    [{}, false],
    [{ LANG: 'en_US.UTF-8', TERM: 'dumb' }, false],
    [{ LANG: 'en_US.UTF-8', TERM: 'linux' }, false],
    [{ LANG: 'en_US.UTF-8', NO_COLOR: '1' }, false],
    [{ LANG: 'en_US.UTF-8', NO_COLOR: '' }, true],
    [{ K8SNET_UNICODE: '1' }, true],
    [{ LANG: 'en_US.UTF-8', K8SNET_UNICODE: '0' }, false],
  ])('%j -> %s', (env, want) => expect(unicodeFromEnv(env)).toBe(want));
});

describe('renderPathMermaid', () => {
  it('one node per hop, gates as hexagons, the failing hop and the edge into it styled', () => {
    const m = renderPathMermaid(pathOf('default-deny-no-allow'));
    expect(m.split('\n')[0]).toBe('flowchart LR');
    for (const id of ['source', 'egress', 'dns', 'service', 'gate_0', 'endpoint_0', 'gate_1', 'endpoint_1']) expect(m).toMatch(new RegExp(`^  ${id}[[{]`, 'm'));
    expect(m).toMatch(/^ {2}gate_0\{\{"ingress ✗ DENIED<br\/>payments\/default-deny-ingress"\}\}$/m);
    expect(m).toMatch(/^ {2}class gate_0,endpoint_0,gate_1,endpoint_1 failed$/m);
    expect(m).toMatch(/^ {2}class gate_0 failing$/m);
    expect(m).toMatch(/^ {2}linkStyle 3 stroke:#d93025/m); // edge 3 is service --> gate_0
    expect(m.split('\n').filter((l) => l.includes('-->'))[3]).toBe('  service --> gate_0');
  });

  it('a healthy path has no failed class', () => {
    expect(renderPathMermaid(pathOf('healthy'))).not.toMatch(/ failed$|failing/m);
  });

  it('tenant strings cannot break out of a label', () => {
    const p = pathOf('healthy');
    p.endpoints[0].pod = 'a"]; click source "javascript:alert(1)" %% <img src=x onerror=alert(1)> `x` #quot; |y|\n';
    const m = renderPathMermaid(p);
    const line = m.split('\n').find((l) => l.startsWith('  endpoint_0['))!;
    expect(line.match(/"/g)).toHaveLength(2); // only the label's own quotes
    expect(line.replaceAll('<br/>', '')).not.toMatch(/[<>`|\n]/);
    expect(line).toContain('#35;quot;'); // a tenant's own entity stays literal text
    expect(m.split('\n').some((l) => /^\s*click\b/.test(l))).toBe(false);
  });
});

describe('sanitisers', () => {
  it.each([
    ['plain-name', 'plain-name'],
    ['a\u001b[31mb', 'a\\x1b[31mb'],
    ['tab\there', 'tab here'],
  ])('cleanLabel(%j)', (s, want) => expect(cleanLabel(s)).toBe(want));
  it('cleanLabel bounds the length', () => expect(cleanLabel('x'.repeat(500))).toHaveLength(160));
  it('mermaidLabel escapes # before the entities it writes', () => expect(mermaidLabel('#"')).toBe('#35;#quot;'));
});
