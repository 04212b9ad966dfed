// `k8snet rbac`: prints the RBAC manifest for a subject.

import { UserError } from '../errors.js';
import { rbacManifest } from '../rbac.js';
import type { Io } from './output.js';

export function runRbac(opts: { subject: string; exec: boolean; ephemeral?: boolean; tlsSecrets?: boolean }, io: Io): number {
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
      subjectName: m[3]!,
      exec: opts.exec,
      ephemeral: !!opts.ephemeral,
      secrets: !!opts.tlsSecrets,
    }),
  );
  return 0;
}
