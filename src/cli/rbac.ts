// `k8snet rbac`: prints the RBAC manifest for a subject.

import { UserError } from '../errors.js';
import { rbacManifest } from '../rbac.js';
import type { Io } from './output.js';

/** --namespaces a,b: DNS-1123 labels (what a namespace name must be). */
function parseNamespaces(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const list = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const bad = list.find((n) => !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n) || n.length > 63);
  if (list.length === 0 || bad !== undefined) {
    throw new UserError({
      message: `--namespaces: ${bad !== undefined ? `"${bad}" is not a namespace name` : 'no namespace given'}`,
      why: 'namespace names are lower-case letters, digits and "-", at most 63 characters',
      next: 'k8snet rbac --namespaces orders,payments',
    });
  }
  return list;
}

export function runRbac(opts: { subject: string; exec: boolean; ephemeral?: boolean; tlsSecrets?: boolean; namespaces?: string }, io: Io): number {
  const namespaces = parseNamespaces(opts.namespaces);
  const m = opts.subject.match(/^(User|Group|ServiceAccount):(?:([a-z0-9-]+)\/)?(.+)$/);
  if (!m) {
    throw new UserError({
      message: `--subject: "${opts.subject}" is not KIND:NAME`,
      next: 'use User:NAME, Group:NAME or ServiceAccount:NAMESPACE/NAME',
    });
  }
  io.out(
    rbacManifest({
      subjectKind: m[1] as 'User' | 'Group' | 'ServiceAccount',
      subjectNamespace: m[2],
      subjectName: m[3],
      exec: opts.exec,
      ephemeral: !!opts.ephemeral,
      secrets: !!opts.tlsSecrets,
      namespaces,
    }),
  );
  return 0;
}
