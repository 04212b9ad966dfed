// The shipped RBAC manifest is generated from the permissions the code uses, and grants no more.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { PERMISSIONS } from '../../src/model/permissions.js';
import { rbacManifest } from '../../src/rbac.js';

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as { kind: string; metadata: { name: string }; rules?: Rule[] });
const granted = (text: string) =>
  docs(text)
    .filter((d) => d.kind === 'ClusterRole')
    .flatMap((d) => (d.rules ?? []).flatMap((r) => r.resources.flatMap((res) => r.verbs.map((v) => `${r.apiGroups[0]}|${res}|${v}`))))
    .sort();

describe('rbac manifest', () => {
  it('deploy/rbac.yaml is what `k8snet rbac --ephemeral` prints', () => {
    const shipped = readFileSync(new URL('../../deploy/rbac.yaml', import.meta.url), 'utf8');
    expect(shipped).toBe(rbacManifest({ subjectKind: 'Group', subjectName: 'k8snet-users', exec: true, ephemeral: true, secrets: false }));
  });
  it('default roles grant exactly the read and exec permissions, and never secrets or a write on objects', () => {
    const text = rbacManifest({ subjectKind: 'User', subjectName: 'oncall', exec: true, ephemeral: false, secrets: false });
    const want = PERMISSIONS.filter((p) => p.role === 'read' || p.role === 'exec')
      .flatMap((p) => p.verbs.map((v) => `${p.group}|${p.subresource ? p.resource + '/' + p.subresource : p.resource}|${v}`))
      .sort();
    expect(granted(text)).toEqual(want);
    expect(granted(text).some((g) => g.includes('|secrets|'))).toBe(false);
    const writes = granted(text).filter((g) => /\|(create|update|patch|delete)$/.test(g));
    expect(writes).toEqual(['authorization.k8s.io|selfsubjectrulesreviews|create', '|pods/exec|create']);
    expect(granted(text)).toContain('|pods/exec|get');
  });
  it('--no-exec leaves pods/exec out; --ephemeral and --tls-secrets add their roles', () => {
    expect(granted(rbacManifest({ subjectKind: 'Group', subjectName: 'g', exec: false, ephemeral: false, secrets: false }))).not.toContain('|pods/exec|create');
    const all = granted(rbacManifest({ subjectKind: 'Group', subjectName: 'g', exec: true, ephemeral: true, secrets: true }));
    expect(all).toContain('|pods/ephemeralcontainers|patch');
    expect(all).toContain('|secrets|get');
  });
  it('binds a ServiceAccount with its namespace', () => {
    const d = docs(rbacManifest({ subjectKind: 'ServiceAccount', subjectName: 'k8snet', subjectNamespace: 'ops', exec: true, ephemeral: false, secrets: false }));
    const binding = d.find((x) => x.kind === 'ClusterRoleBinding') as unknown as { subjects: { kind: string; namespace: string }[] };
    expect(binding.subjects[0]).toEqual({ kind: 'ServiceAccount', name: 'k8snet', namespace: 'ops' });
  });
});
