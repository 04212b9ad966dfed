// k8snet's own YAML printer (src/util/yaml-out.ts) against the `yaml` package: the same text for
// NetworkPolicy-shaped documents with ordinary names and labels, and for any data a document that
// reads back as the same data under YAML 1.2 and YAML 1.1 (kubectl's parser).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { doubleQuoted, isPlainSafe, toYaml } from '../../../src/util/yaml-out.js';

// Where the two differ on purpose: a word only YAML 1.1 reads as something else (`y`, `on`, `1_0`,
// `2024-01-01`) is quoted here, not by the yaml package (which writes YAML 1.2); kubectl reads 1.1.
const yaml11Only = (s: string) => typeof parse(s) === 'string' && typeof parse(s, { version: '1.1' }) !== 'string';
const dns = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/).filter((s) => !yaml11Only(s));
const labelKey = fc.oneof(
  dns,
  fc.tuple(fc.stringMatching(/^[a-z0-9]([a-z0-9.-]{0,15}[a-z0-9])?$/), dns).map(([p, n]) => `${p}/${n}`),
);
const labelValue = fc.oneof(
  fc.constant(''),
  fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,20}[A-Za-z0-9])?$/).filter((s) => !yaml11Only(s)),
);
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });
const selector = fc.oneof(
  fc.constant({}),
  labels.map((matchLabels) => ({ matchLabels })),
);
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => `${a.join('.')}/32`);
const ipv6 = fc.ipV6().map((ip) => `${ip}/128`);
const peer = fc.oneof(
  selector.map((podSelector) => ({ podSelector })),
  fc.tuple(dns, selector).map(([ns, podSelector]) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } }, podSelector })),
  fc.oneof(ipv4, ipv6).map((cidr) => ({ ipBlock: { cidr } })),
);
// (copied through JSON: the generator may share one object between two places, which the yaml
// package prints as an anchor and an alias; suggestAllowRule builds every object fresh)
const policy = fc
  .record({
    name: dns,
    ns: dns,
    sel: selector,
    peer,
    dir: fc.constantFrom('Ingress', 'Egress'),
    protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'),
    port: fc.integer({ min: 1, max: 65535 }),
  })
  .map((p) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: p.name, namespace: p.ns },
    spec: {
      podSelector: p.sel,
      policyTypes: [p.dir],
      ...(p.dir === 'Ingress'
        ? { ingress: [{ from: [p.peer], ports: [{ protocol: p.protocol, port: p.port }] }] }
        : { egress: [{ to: [p.peer], ports: [{ protocol: p.protocol, port: p.port }] }] }),
    },
  }))
  .map((p) => JSON.parse(JSON.stringify(p)) as typeof p);

// any data, strings from the whole of Unicode (controls, quotes, lone surrogates included)
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    'on',
    'yes',
    'No',
    '0777',
    '0x1F',
    '1_000',
    '1:30',
    '2024-01-01',
    '~',
    'null',
    '.5',
    '1e3',
    '- a',
    'a: b',
    'a #b',
    '#x',
    '"q"',
    "'q'",
    ' lead',
    'trail ',
    '<<',
    '=',
    'fd00::5/128',
  ),
);
const { data } = fc.letrec((tie) => ({
  data: fc.oneof(
    { depthSize: 'small' },
    anyString,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('data'), { maxLength: 3 }),
    fc.dictionary(anyString, tie('data'), { maxKeys: 3 }),
  ),
}));

describe('toYaml', () => {
  it('prints NetworkPolicies with ordinary names and labels exactly as the yaml package did', () => {
    fc.assert(
      fc.property(policy, (p) => {
        expect(toYaml(p)).toBe(stringify(p, { lineWidth: 0 }));
      }),
      { numRuns: 400 },
    );
  });

  it('property: any data reads back as itself under YAML 1.2 and YAML 1.1', () => {
    fc.assert(
      fc.property(data, (d) => {
        const text = toYaml(d);
        expect(parse(text)).toEqual(d);
        expect(parse(text, { version: '1.1' })).toEqual(d);
      }),
      { numRuns: 1000 },
    );
  });

  it.each(['on', 'yes', 'N', 'off', '0777', '0b101', '1_000', '1:30', '2024-01-01', '12', '1.5', 'true', 'null', '~', '', '-', '? x', '---x'])(
    'quotes %j, which YAML 1.1 or 1.2 would read as something else',
    (s) => {
      expect(isPlainSafe(s)).toBe(false);
      expect(toYaml({ app: s })).toBe(`app: "${s}"\n`);
    },
  );

  it.each(['orders-api', 'app.kubernetes.io/name', '10.0.0.1/32', 'fd00::5/128', '::1/128', '-x', 'v1.2.3', '3f2a9c1', 'TCP'])('leaves %j plain', (s) => {
    expect(isPlainSafe(s)).toBe(true);
  });

  it('escapes what a terminal or a parser would act on', () => {
    expect(doubleQuoted('a"b\\c\nd\u001b[2J\u0085\u2028')).toBe('"a\\"b\\\\c\\nd\\x1b[2J\\x85\\u2028"');
    expect(toYaml({ 'a: b': ['x', { k: [] }, {}] })).toBe('"a: b":\n  - x\n  - k: []\n  - {}\n');
  });
});
