// runChecks(): every registered check over one Facts value, in registry order.

import type { Facts } from '../model/facts.js';
import type { Finding } from '../model/finding.js';
import { CHECKS } from './registry.js';

/** All findings for a run, in step order (source, endpoints, clusterip, dns, policy, ingress, gateway). */
export function runChecks(facts: Facts): Finding[] {
  const findings: Finding[] = [];
  for (const check of CHECKS) findings.push(...check.run(facts, findings));
  return findings;
}
