// Why live probes did not run when the user may not exec: the sentence and the exact rule to grant.

import type { Facts } from '../../model/facts.js';
import { ruleToGrant } from '../../model/permissions.js';

export interface ExecDenied {
  namespace: string;
  summary: string;
  next: string[];
}

/** Set when the preflight found `create pods/exec` denied in the source pod's namespace. */
export function execDenied(facts: Facts): ExecDenied | undefined {
  const ns = facts.source.state === 'ok' ? facts.source.value.pod.metadata.namespace : facts.request.from?.namespace;
  if (!ns) return undefined;
  const denied = facts.access.some(
    (a) => (a.verb === 'create' || a.verb === 'get') && a.resource === 'pods' && a.subresource === 'exec' && a.namespace === ns && a.allowed === false,
  );
  if (!denied) return undefined;
  return {
    namespace: ns,
    summary: `Live probes were not run: this user may not create pods/exec in namespace ${ns}`,
    next: [
      `grant in namespace ${ns}: ${ruleToGrant({ group: '', resource: 'pods', subresource: 'exec', verbs: ['create', 'get'] })}`,
      'k8snet rbac   # the full least-privilege manifest',
    ],
  };
}
