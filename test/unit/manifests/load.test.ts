import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests, loadManifestTexts } from '../../../src/manifests/load.js';
import { formatProblem } from '../../../src/manifests/problems.js';

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p, namespace: shop }
spec:
  podSelector: {}
`;

function one(file: string, text: string) {
  return loadManifestTexts([{ file, text }]);
}

describe('manifest loader', () => {
  it('reads several documents, Lists and JSON; adds kubernetes.io/metadata.name', () => {
    const r = loadManifestTexts([
      { file: 'a.yaml', text: `apiVersion: v1\nkind: Namespace\nmetadata: { name: shop, labels: { team: x } }\n---\n${POLICY}---\n` },
      {
        file: 'b.json',
        text: JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [{ name: 'c' }] } },
            { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'x' } } },
          ],
        }),
      },
      {
        file: 'c.yml',
        text: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: cj, namespace: jobs }\nspec: { jobTemplate: { spec: { template: { spec: { containers: [ { name: c } ] } } } } }\n',
      },
    ]);
    expect(r.problems).toEqual([]);
    expect(r.world.policies.map((p) => p.metadata.name)).toEqual(['p']);
    expect(r.world.pods.map((p) => p.metadata.name)).toEqual(['web']);
    expect(r.world.services[0].metadata.namespace).toBe('default');
    expect(r.world.workloads.map((w) => w.kind)).toEqual(['CronJob']);
    const byName = Object.fromEntries(r.world.namespaces.map((n) => [n.metadata.name, n.metadata.labels]));
    expect(byName.shop).toEqual({ team: 'x', 'kubernetes.io/metadata.name': 'shop' });
    expect(byName.jobs).toEqual({ 'kubernetes.io/metadata.name': 'jobs' }); // used but not declared
    expect(byName.default).toEqual({ 'kubernetes.io/metadata.name': 'default' });
  });

  it.each<[string, string, string, 'error' | 'note', RegExp, number | undefined]>([
    ['malformed YAML names file and document', 'bad.yaml', `${POLICY}---\nkind: Pod\nmetadata: { name: x\n`, 'error', /malformed YAML/, 2],
    ['malformed JSON', 'bad.json', '{"kind": "Pod",', 'error', /malformed JSON/, 1],
    ['wrong kind is ignored with a note', 'cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n', 'note', /ConfigMap is not used.*ignored/, 1],
    ['missing kind', 'x.yaml', 'metadata: { name: c }\n', 'error', /kind missing/, 1],
    ['missing metadata.name', 'x.yaml', 'kind: Pod\nmetadata: {}\nspec: { containers: [] }\n', 'error', /metadata.name missing/, 1],
    ['pod without containers', 'x.yaml', 'kind: Pod\nmetadata: { name: p }\nspec: {}\n', 'error', /spec.containers missing/, 1],
    ['deployment without template', 'x.yaml', 'kind: Deployment\nmetadata: { name: d }\nspec: {}\n', 'error', /spec.template.spec missing/, 1],
    [
      'policy with a bad CIDR',
      'x.yaml',
      'kind: NetworkPolicy\nmetadata: { name: p }\nspec: { podSelector: {}, ingress: [ { from: [ { ipBlock: { cidr: 10.0.0.0/40 } } ] } ] }\n',
      'error',
      /ipBlock.cidr: "10.0.0.0\/40" is not a valid CIDR/,
      1,
    ],
    [
      'policy except outside the cidr',
      'x.yaml',
      'kind: NetworkPolicy\nmetadata: { name: p }\nspec: { podSelector: {}, ingress: [ { from: [ { ipBlock: { cidr: 10.0.0.0/16, except: [10.0.0.0/8] } } ] } ] }\n',
      'error',
      /strict subset of `cidr`/,
      1,
    ],
    [
      'policy with a bad operator',
      'x.yaml',
      'kind: NetworkPolicy\nmetadata: { name: p }\nspec: { podSelector: { matchExpressions: [ { key: a, operator: Equals, values: [b] } ] } }\n',
      'error',
      /operator: "Equals"/,
      1,
    ],
    [
      'policy without podSelector reads as {}',
      'x.yaml',
      'kind: NetworkPolicy\nmetadata: { name: p }\nspec: { policyTypes: [Ingress] }\n',
      'note',
      /podSelector missing.*\{\}/,
      1,
    ],
    [
      'numeric label value must be quoted',
      'x.yaml',
      'kind: NetworkPolicy\nmetadata: { name: p }\nspec: { podSelector: { matchLabels: { v: 1 } } }\n',
      'error',
      /must be a string/,
      1,
    ],
    ['scalar document', 'x.yaml', 'just text\n', 'error', /expected a Kubernetes object/, 1],
    ['duplicate objects: later wins', 'x.yaml', `${POLICY}---\n${POLICY}`, 'note', /defined twice/, 2],
  ])('%s', (_n, file, text, severity, re, doc) => {
    const r = one(file, text);
    const p = r.problems.find((x) => re.test(x.message));
    expect(p, JSON.stringify(r.problems)).toBeDefined();
    expect(p!.severity).toBe(severity);
    expect(p!.file).toBe(file);
    expect(p!.document).toBe(doc);
    expect(formatProblem(p!)).toContain(file);
  });

  it('List items are numbered', () => {
    const r = one('l.yaml', 'kind: List\nitems:\n  - kind: Pod\n    metadata: { name: ok }\n    spec: { containers: [] }\n  - kind: Pod\n    metadata: {}\n');
    expect(r.problems).toMatchObject([{ document: 1, item: 1, severity: 'error' }]);
    expect(r.world.pods).toHaveLength(1);
  });

  it('walks folders, skips other extensions, enforces the size limit, reports missing paths', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8snet-manifests-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'p.yaml'), POLICY);
    writeFileSync(join(dir, 'README.md'), '# not a manifest');
    writeFileSync(join(dir, 'big.json'), JSON.stringify({ kind: 'List', items: [], pad: 'x'.repeat(2048) }));
    const r = await loadManifests([dir, join(dir, 'missing.yaml')], { maxFileBytes: 1024 });
    expect(r.world.policies).toHaveLength(1);
    expect(r.files).toEqual([join(dir, 'sub', 'p.yaml')]);
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/big\.json|file is 2\.\d KB, over the 1\.0 KB limit/);
    expect(r.problems.some((p) => p.file.endsWith('missing.yaml') && p.severity === 'error')).toBe(true);
    expect(r.problems.some((p) => p.file.endsWith('README.md'))).toBe(false); // inside a folder: silently skipped
  });

  it('never throws on garbage', async () => {
    expect(() => one('g.yaml', '\u0000\u0001: [ {')).not.toThrow();
    expect(() => one('g.json', 'null')).not.toThrow();
    expect(() => one('g.yaml', 'a: &x [*x]')).not.toThrow();
  });
});
