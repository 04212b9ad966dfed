// ReferenceGrant semantics (gateway.networking.k8s.io v1beta1): a reference from one namespace into
// another is allowed only when a ReferenceGrant in the *target* namespace lists the referrer's
// group, kind and namespace in spec.from and the target's group, kind (and name, when given) in spec.to.

import { GATEWAY_GROUP, type ReferenceGrant } from '../model/gateway-api.js';

export interface GrantFrom {
  group: string;
  kind: string;
  namespace: string;
}

export interface GrantTo {
  group: string;
  kind: string;
  name: string;
  namespace: string;
}

/** The core group is "" in ReferenceGrants; some write "core". */
function sameGroup(a: string | undefined, b: string | undefined): boolean {
  const n = (g: string | undefined) => (g === undefined || g === 'core' ? '' : g);
  return n(a) === n(b);
}

/** Which grants admit the reference (empty: none does). Grants must live in the target's namespace. */
export function admittingGrants(grants: ReferenceGrant[], from: GrantFrom, to: GrantTo): ReferenceGrant[] {
  return grants.filter(
    (g) =>
      (g.metadata.namespace ?? to.namespace) === to.namespace &&
      (g.spec.from ?? []).some((f) => sameGroup(f.group, from.group) && f.kind === from.kind && f.namespace === from.namespace) &&
      (g.spec.to ?? []).some((t) => sameGroup(t.group, to.group) && t.kind === to.kind && (t.name === undefined || t.name === '' || t.name === to.name)),
  );
}

/**
 * The closest grant and what it lacks, for a reference no grant admits: a grant in the right
 * namespace that names the wrong kind, namespace or Service is the usual typo.
 */
export function closestGrantMiss(grants: ReferenceGrant[], from: GrantFrom, to: GrantTo): string | undefined {
  for (const g of grants) {
    const id = `${g.metadata.namespace ?? to.namespace}/${g.metadata.name}`;
    const fromHit = (g.spec.from ?? []).some((f) => sameGroup(f.group, from.group) && f.kind === from.kind && f.namespace === from.namespace);
    const toHit = (g.spec.to ?? []).some((t) => sameGroup(t.group, to.group) && t.kind === to.kind && (!t.name || t.name === to.name));
    if (fromHit && !toHit) {
      return `${id} admits ${from.kind} from ${from.namespace} but its spec.to lists ${(g.spec.to ?? []).map((t) => `${t.kind}${t.name ? ` ${t.name}` : ' (any name)'}`).join(', ') || 'nothing'}, not ${to.kind} ${to.name}`;
    }
    if (!fromHit && toHit) {
      return `${id} covers ${to.kind} ${to.name} but its spec.from lists ${(g.spec.from ?? []).map((f) => `${f.kind} from ${f.namespace}`).join(', ') || 'nothing'}, not ${from.kind} from ${from.namespace}`;
    }
  }
  return undefined;
}

/** The ReferenceGrant to add, as YAML for review (k8snet never applies it). */
export function suggestGrant(from: GrantFrom, to: GrantTo): string {
  const name = `allow-${from.kind.toLowerCase()}s-from-${from.namespace}`.slice(0, 63).replace(/-+$/, '');
  return [
    `apiVersion: ${GATEWAY_GROUP}/v1beta1`,
    'kind: ReferenceGrant',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${to.namespace}`,
    'spec:',
    '  from:',
    `  - group: ${from.group === '' ? '""' : from.group}`,
    `    kind: ${from.kind}`,
    `    namespace: ${from.namespace}`,
    '  to:',
    `  - group: ${to.group === '' || to.group === 'core' ? '""' : to.group}`,
    `    kind: ${to.kind}`,
    `    name: ${to.name}`,
  ].join('\n');
}
