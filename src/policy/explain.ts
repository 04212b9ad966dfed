// Verdict reasoning as sentences (from the structured verdict), shared by renderers and checks.

import type { DirectionResult, Miss, PartyRef, RuleRef, Verdict } from './types.js';

export function describePartyRef(p: PartyRef): string {
  if (p.kind === 'external') return `${p.ip} (outside the cluster)`;
  return `${p.namespace}/${p.name}`;
}

function ruleField(dir: 'ingress' | 'egress'): string {
  return dir === 'ingress' ? 'from' : 'to';
}

/** "allow-orders-to-payments ingress[0].from[0] ports[0]" */
export function describeRuleRef(r: RuleRef | Miss, dir: 'ingress' | 'egress'): string {
  if (r.ruleIndex === null) return `${r.policy.name}`;
  const peer = r.peerIndex === null ? ` (all ${ruleField(dir) === 'from' ? 'sources' : 'destinations'})` : `.${ruleField(dir)}[${r.peerIndex}]`;
  const port = r.portIndex === null ? ' (all ports)' : ` ports[${r.portIndex}]`;
  return `${r.policy.name} ${dir}[${r.ruleIndex}]${peer}${port}`;
}

/** Short cell text for one direction: "allowed (not isolated)", "allowed by X ingress[0]...", "DENIED". */
export function directionCell(d: DirectionResult): string {
  if (!d.evaluated) return 'not evaluated';
  if (!d.isolated) return 'allowed (not isolated)';
  if (d.allowed) return `allowed by ${describeRuleRef(d.allowedBy[0], d.direction)}`;
  return 'DENIED';
}

/** Explanation lines for one direction. */
export function explainDirection(d: DirectionResult, owner: PartyRef): string[] {
  const who = `${d.direction} of ${describePartyRef(owner)}`;
  if (!d.evaluated) return [`${who}: not evaluated - ${d.skippedReason ?? ''}`.trim()];
  if (!d.isolated) return [`${who}: allowed - no policy selects it for ${d.direction === 'ingress' ? 'Ingress' : 'Egress'}, so the direction is not isolated`];
  const out = [`${who}: isolated by ${d.selectedBy.map((p) => p.name).join(', ')}`];
  if (d.allowed) {
    for (const r of d.allowedBy) out.push(`  allowed by ${describeRuleRef(r, d.direction)} (${r.matchedBy})`);
  } else {
    out.push('  DENIED: no rule of the selecting policies admits the flow; closest per policy:');
    for (const m of d.misses) out.push(`  - ${describeRuleRef(m, d.direction)}: ${m.lacks.join('; ')}`);
  }
  for (const n of d.notes) out.push(`  note: ${n}`);
  return out;
}

/** All explanation lines of a verdict: egress of the source, ingress of the destination, notes. */
export function explainVerdict(v: Verdict): string[] {
  return [...explainDirection(v.egress, v.src), ...explainDirection(v.ingress, v.dst), ...v.notes.map((n) => `note: ${n}`)];
}

/** "TCP 8080 (Service port 80)" */
export function describeFlowPort(v: Verdict): string {
  return `${v.protocol} ${v.port}${v.servicePort !== undefined && v.servicePort !== v.port ? ` (service port ${v.servicePort})` : ''}`;
}
