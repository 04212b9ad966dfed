// Preflight: asks the API what this user may do (SelfSubjectRulesReview, which creates nothing)
// and evaluates each permission k8snet needs, so checks it cannot run are skipped and named.

import type { Api } from './api.js';
import type { AccessCheck } from '../model/facts.js';
import { PERMISSIONS, resourceName } from '../model/permissions.js';

interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

interface RulesReview {
  status?: { resourceRules?: ResourceRule[]; incomplete?: boolean; evaluationError?: string };
}

/**
 * One SelfSubjectRulesReview per namespace. Returns null for a namespace whose review could not be
 * made or was incomplete (then reads are simply attempted and a 403 reads as "unknown").
 */
export async function reviewAccess(api: Api, namespaces: string[]): Promise<AccessCheck[]> {
  const unique = [...new Set(namespaces)];
  const reviews = await Promise.all(
    unique.map(async (ns) => {
      try {
        const r = await api.postJson<RulesReview>(
          '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
          { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: ns } },
          { timeoutMs: 4000 },
        );
        return { ns, rules: r.status?.resourceRules ?? [], incomplete: !!r.status?.incomplete, error: undefined };
      } catch (e) {
        return { ns, rules: [] as ResourceRule[], incomplete: true, error: e instanceof Error ? e.message : String(e) };
      }
    }),
  );
  const checks: AccessCheck[] = [];
  for (const review of reviews) {
    for (const p of PERMISSIONS) {
      if (p.resource === 'selfsubjectrulesreviews') continue;
      for (const verb of p.verbs) {
        const allowed = rulesAllow(review.rules, verb, p.group, resourceName(p));
        checks.push({
          verb,
          group: p.group,
          resource: p.resource,
          subresource: p.subresource,
          namespace: review.ns,
          // an incomplete review can only prove "allowed", never "denied"
          allowed: allowed ? true : review.incomplete ? null : false,
          reason: review.error ?? (review.incomplete && !allowed ? 'rules review incomplete' : undefined),
        });
      }
    }
  }
  return checks;
}

function rulesAllow(rules: ResourceRule[], verb: string, group: string, resource: string): boolean {
  return rules.some(
    (r) =>
      (r.verbs.includes(verb) || r.verbs.includes('*')) &&
      (r.apiGroups ?? []).some((g) => g === group || g === '*') &&
      (r.resources ?? []).some((res) => res === resource || res === '*' || (res.endsWith('/*') && resource.startsWith(res.slice(0, -1)))) &&
      !(r.resourceNames && r.resourceNames.length > 0),
  );
}

/** Is (verb, resource) known to be denied in namespace? Unknown (null review) counts as not denied. */
export function isDenied(checks: AccessCheck[], verb: string, group: string, resource: string, namespace: string, subresource?: string): boolean {
  return checks.some(
    (c) =>
      c.verb === verb &&
      c.group === group &&
      c.resource === resource &&
      (c.subresource ?? undefined) === subresource &&
      c.namespace === namespace &&
      c.allowed === false,
  );
}
