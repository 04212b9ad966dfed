// Issue 16 items 10 and 11: `k8snet policy --manifests` accepts exactly the NetworkPolicies the API
// server accepts (k8s.io/kubernetes pkg/apis/networking/validation: ValidateNetworkPolicySpec,
// ValidateNetworkPolicyPort, ValidateNetworkPolicyPeer, ValidateIPBlock; apimachinery
// ValidateLabelSelector; IntOrString decoding). One line per document.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../../src/cli/main.js';
import { validateNetworkPolicy } from '../../../src/manifests/validate.js';

const np = (spec: string) =>
  parse(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: a}\nspec: ${spec}`) as Record<string, unknown>;

const ACCEPTED: [string, string][] = [
  ['empty podSelector', '{podSelector: {}}'],
  ['matchLabels: null (Go nil map: empty)', '{podSelector: {matchLabels: null}}'],
  ['matchExpressions: null', '{podSelector: {matchExpressions: null}}'],
  ['podSelector: null', '{podSelector: null}'],
  ['ingress: null, egress: null', '{podSelector: {}, ingress: null, egress: null}'],
  ['policyTypes Ingress, Egress', '{podSelector: {}, policyTypes: [Ingress, Egress]}'],
  ['port 1 and 65535', '{podSelector: {}, ingress: [{ports: [{port: 1}, {port: 65535}]}]}'],
  ['named port', '{podSelector: {}, ingress: [{ports: [{port: http-alt}]}]}'],
  ['endPort equal to port', '{podSelector: {}, egress: [{ports: [{port: 32000, endPort: 32000}]}]}'],
  ['protocol SCTP', '{podSelector: {}, ingress: [{ports: [{protocol: SCTP, port: 9}]}]}'],
  ['namespaceSelector and podSelector in one peer', '{podSelector: {}, ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: x}}}]}]}'],
  ['ipBlock with strict-subset except', '{podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]}]}'],
  ['empty rule (allow all)', '{podSelector: {}, ingress: [{}]}'],
  ['qualified label key', '{podSelector: {matchLabels: {app.kubernetes.io/name: web}}}'],
  ['empty label value', '{podSelector: {matchLabels: {tier: ""}}}'],
];

const REJECTED: [string, string, RegExp][] = [
  ['policyTypes [Ingres]', '{podSelector: {}, policyTypes: [Ingres]}', /spec\.policyTypes\[0\].*"Ingres".*Ingress, Egress/],
  ['three policyTypes', '{podSelector: {}, policyTypes: [Ingress, Egress, Ingress]}', /spec\.policyTypes.*more than two/],
  ['port 0', '{podSelector: {}, ingress: [{ports: [{port: 0}]}]}', /ports\[0\]\.port.*0.*1.*65535/],
  ['port 70000', '{podSelector: {}, ingress: [{ports: [{port: 70000}]}]}', /ports\[0\]\.port.*70000.*1.*65535/],
  ['port -5', '{podSelector: {}, ingress: [{ports: [{port: -5}]}]}', /ports\[0\]\.port.*-5/],
  ['port 1.5', '{podSelector: {}, ingress: [{ports: [{port: 1.5}]}]}', /ports\[0\]\.port.*1\.5.*whole number|integer/],
  ['port name HTTP_BAD!', '{podSelector: {}, ingress: [{ports: [{port: "HTTP_BAD!"}]}]}', /ports\[0\]\.port.*HTTP_BAD!.*IANA_SVC_NAME|port name/],
  ['port name too long', '{podSelector: {}, ingress: [{ports: [{port: abcdefghijklmnop}]}]}', /at most 15/],
  ['port name without a letter', '{podSelector: {}, ingress: [{ports: [{port: "1-2"}]}]}', /letter/],
  ['port name with --', '{podSelector: {}, ingress: [{ports: [{port: a--b}]}]}', /port name/],
  ['endPort below port', '{podSelector: {}, egress: [{ports: [{port: 9000, endPort: 8000}]}]}', /endPort.*greater than or equal to .port./],
  ['endPort with named port', '{podSelector: {}, egress: [{ports: [{port: http, endPort: 90}]}]}', /endPort.*non-numeric/],
  ['endPort without port', '{podSelector: {}, egress: [{ports: [{endPort: 90}]}]}', /endPort.*port. is not specified/],
  ['endPort 70000', '{podSelector: {}, egress: [{ports: [{port: 80, endPort: 70000}]}]}', /endPort.*65535/],
  ['protocol ICMP', '{podSelector: {}, ingress: [{ports: [{protocol: ICMP}]}]}', /protocol.*ICMP.*TCP, UDP, SCTP/],
  ['empty peer', '{podSelector: {}, ingress: [{from: [{}]}]}', /from\[0\].*must specify a peer/],
  [
    'ipBlock with podSelector',
    '{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]}',
    /may not specify both ipBlock and another peer/,
  ],
  ['ipBlock without cidr', '{podSelector: {}, ingress: [{from: [{ipBlock: {}}]}]}', /ipBlock\.cidr.*required/],
  ['except equal to cidr', '{podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.0.0.0/8]}}]}]}', /except\[0\].*strict subset/],
  ['except outside cidr', '{podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16]}}]}]}', /except\[0\].*strict subset/],
  ['bad label value', '{podSelector: {matchLabels: {app: "not ok!"}}}', /matchLabels.*not ok!.*label value/],
  ['bad label key', '{podSelector: {matchLabels: {"-bad": x}}}', /matchLabels.*-bad.*label key/],
  ['In without values', '{podSelector: {matchExpressions: [{key: app, operator: In}]}}', /values.*non-empty|must be specified/],
  ['Exists with values', '{podSelector: {matchExpressions: [{key: app, operator: Exists, values: [x]}]}}', /values.*must be empty|may not be specified/],
  ['unknown operator', '{podSelector: {matchExpressions: [{key: app, operator: Equals, values: [x]}]}}', /operator.*Equals/],
];

describe('NetworkPolicy validation follows the API server', () => {
  it.each(ACCEPTED)('accepts: %s', (_name, spec) => {
    expect(validateNetworkPolicy(np(spec))).toEqual([]);
  });
  it.each(REJECTED)('rejects: %s', (_name, spec, why) => {
    const errs = validateNetworkPolicy(np(spec));
    expect(errs.length).toBeGreaterThan(0);
    expect(errs.join('; ')).toMatch(why);
  });
});

describe('k8snet policy --manifests', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'k8snet-npv-'));
  const world = `apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: x, namespace: a, labels: {app: x}}\nspec: {containers: [{name: c}]}\nstatus: {podIP: 10.244.0.5}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: y, namespace: a, labels: {app: y}}\nspec: {containers: [{name: c}]}\nstatus: {podIP: 10.244.0.6}\n`;
  const run = async (policy: string) => {
    const f = path.join(dir, `m${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(f, `${world}---\n${policy}`);
    let err = '';
    const code = await main(['node', 'k8snet', 'policy', 'a/x', 'a/y', '--port', '80', '--manifests', f], {
      out: () => undefined,
      err: (t) => void (err += `${t}\n`),
      stderrIsTty: false,
      stdoutIsTty: false,
    });
    return { code, err };
  };

  it('policyTypes [Ingres] is exit 2, naming the document, the field and the rule (not ALLOWED)', async () => {
    const r = await run(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: typo, namespace: a}\nspec: {podSelector: {}, policyTypes: [Ingres]}\n',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/document 4/);
    expect(r.err).toMatch(/spec\.policyTypes\[0\]/);
    expect(r.err).toMatch(/Ingress, Egress/);
  });

  it('matchLabels: null is accepted and means the empty selector (every pod: x is isolated, y denied)', async () => {
    const r = await run(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-all, namespace: a}\nspec: {podSelector: {matchLabels: null}, policyTypes: [Ingress]}\n',
    );
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(1);
  });
});
