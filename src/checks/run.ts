// runChecks(): every step check over one Facts value, then the predicted-vs-observed cross-check.

import type { Facts } from '../model/facts.js';
import type { Finding } from '../model/finding.js';
import { checkCrossLayer } from './cross-check.js';
import { checkPolicy } from './policy.js';
import { checkPolicyReach } from './policy-reach.js';
import { CORE_CHECKS } from './registry.js';

/** All findings for a run, in step order (source, endpoints, clusterip, dns, policy, ingress, gateway). */
export function runChecks(facts: Facts): Finding[] {
  const run = (id: string) => CORE_CHECKS.find((c) => c.id === id)?.run(facts) ?? [];
  const before = [...run('source'), ...run('endpoints'), ...run('clusterip'), ...run('mesh'), ...run('dns'), ...checkPolicy(facts), ...checkPolicyReach(facts)];
  return [...before, ...checkCrossLayer(facts, before), ...run('ingress'), ...run('gateway')];
}
