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
  it('deploy/rbac.yaml is what `k8snet rbac` prints by default: the ephemeral-container patch is opt-in, as docs/rbac.md says', () => {
    const shipped = readFileSync(new URL('../../deploy/rbac.yaml', import.meta.url), 'utf8');
    expect(shipped).toBe(rbacManifest({ subjectKind: 'Group', subjectName: 'k8snet-users', exec: true, ephemeral: false, secrets: false }));
    expect(granted(shipped)).not.toContain('|pods/ephemeralcontainers|patch');
    expect(readFileSync(new URL('../../docs/rbac.md', import.meta.url), 'utf8')).toMatch(/k8snet-ephemeral \(opt-in/);
  });
  it('docs/rbac.md has a row for every permission in the single list, with its role and verbs', () => {
    const md = readFileSync(new URL('../../docs/rbac.md', import.meta.url), 'utf8');
    const rows = md.split('\n').filter((l) => l.startsWith('| k8snet-'));
    const roleName = { read: 'k8snet-read', exec: 'k8snet-exec', ephemeral: 'k8snet-ephemeral', secrets: 'k8snet-tls-secrets' } as const;
    for (const p of PERMISSIONS) {
      const res = p.subresource ? `${p.resource}/${p.subresource}` : p.resource;
      const row = rows.find(
        (r) =>
          r.startsWith(`| ${roleName[p.role]}`) &&
          new RegExp(`\\b${res.replace('/', '\\/')}\\b`).test(r.split('|')[2] ?? '') &&
          p.verbs.every((v) => (r.split('|')[2] ?? '').includes(v)),
      );
      expect(row, `docs/rbac.md row for ${roleName[p.role]} ${p.verbs.join(', ')} ${res}`).toBeDefined();
    }
  });
  it('--namespaces: exec (and ephemeral, tls-secrets) become Roles and RoleBindings in each namespace; no cluster-wide exec', () => {
    const text = rbacManifest({ subjectKind: 'Group', subjectName: 'sre', exec: true, ephemeral: true, secrets: true, namespaces: ['orders', 'payments'] });
    const d = docs(text) as unknown as {
      kind: string;
      metadata: { name: string; namespace?: string };
      rules?: Rule[];
      roleRef?: { kind: string; name: string };
    }[];
    const clusterRes = d.filter((x) => x.kind === 'ClusterRole').flatMap((x) => (x.rules ?? []).flatMap((r) => r.resources));
    expect(clusterRes).not.toContain('pods/exec');
    expect(clusterRes).not.toContain('pods/ephemeralcontainers');
    expect(clusterRes).not.toContain('secrets');
    for (const ns of ['orders', 'payments']) {
      const roles = d.filter((x) => x.kind === 'Role' && x.metadata.namespace === ns);
      expect(roles.flatMap((x) => (x.rules ?? []).flatMap((r) => r.resources)).sort()).toEqual(['pods/ephemeralcontainers', 'pods/exec', 'secrets']);
      const bindings = d.filter((x) => x.kind === 'RoleBinding' && x.metadata.namespace === ns);
      expect(bindings.map((b) => `${b.roleRef!.kind}/${b.roleRef!.name}`).sort()).toEqual(roles.map((r) => `Role/${r.metadata.name}`).sort());
    }
    // the read role stays cluster-wide: it lists namespaces, nodes, IngressClasses and workloads everywhere
    expect(d.some((x) => x.kind === 'ClusterRoleBinding' && x.roleRef?.name === 'k8snet-read')).toBe(true);
    expect(d.some((x) => x.kind === 'ClusterRoleBinding' && x.roleRef?.name === 'k8snet-exec')).toBe(false);
  });
  it('k8snet rbac --namespaces refuses a bad namespace name (exit 2)', async () => {
    const { main } = await import('../../src/cli/main.js');
    let out = '';
    let err = '';
    const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), stderrIsTty: false, stdoutIsTty: false };
    expect(await main(['node', 'k8snet', 'rbac', '--namespaces', 'orders,Bad_NS'], io)).toBe(2);
    expect(err).toContain('--namespaces');
    expect(await main(['node', 'k8snet', 'rbac', '--namespaces', 'orders,payments'], io)).toBe(0);
    expect(out).toContain('kind: RoleBinding');
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
    const d = docs(
      rbacManifest({ subjectKind: 'ServiceAccount', subjectName: 'k8snet', subjectNamespace: 'ops', exec: true, ephemeral: false, secrets: false }),
    );
    const binding = d.find((x) => x.kind === 'ClusterRoleBinding') as unknown as { subjects: { kind: string; namespace: string }[] };
    expect(binding.subjects[0]).toEqual({ kind: 'ServiceAccount', name: 'k8snet', namespace: 'ops' });
  });
});
