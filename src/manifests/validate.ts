// Shape checks for the kinds the policy engine reads; returns messages naming the missing or bad field.

import { parseCidr } from '../policy/cidr.js';

type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkSelector(v: unknown, path: string, out: string[]): void {
  if (v === undefined || v === null) return;
  if (!isObj(v)) { out.push(`${path} must be a mapping`); return; }
  if (v.matchLabels !== undefined) {
    if (!isObj(v.matchLabels)) out.push(`${path}.matchLabels must be a mapping`);
    else for (const [k, val] of Object.entries(v.matchLabels)) if (typeof val !== 'string') out.push(`${path}.matchLabels.${k} must be a string (quote it: "${String(val)}")`);
  }
  if (v.matchExpressions !== undefined) {
    if (!Array.isArray(v.matchExpressions)) { out.push(`${path}.matchExpressions must be a list`); return; }
    v.matchExpressions.forEach((e: unknown, i) => {
      const p = `${path}.matchExpressions[${i}]`;
      if (!isObj(e) || typeof e.key !== 'string') { out.push(`${p}.key missing`); return; }
      if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(String(e.operator))) out.push(`${p}.operator "${String(e.operator)}" is not In, NotIn, Exists or DoesNotExist`);
      const values = Array.isArray(e.values) ? e.values : [];
      if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) out.push(`${p}.values must be non-empty for ${String(e.operator)}`);
      if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) out.push(`${p}.values must be empty for ${String(e.operator)}`);
    });
  }
}

function checkPeers(v: unknown, path: string, out: string[]): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) { out.push(`${path} must be a list`); return; }
  v.forEach((peer: unknown, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(peer)) { out.push(`${p} must be a mapping`); return; }
    checkSelector(peer.podSelector, `${p}.podSelector`, out);
    checkSelector(peer.namespaceSelector, `${p}.namespaceSelector`, out);
    if (peer.ipBlock !== undefined) {
      const b = peer.ipBlock;
      if (!isObj(b) || typeof b.cidr !== 'string') { out.push(`${p}.ipBlock.cidr missing`); return; }
      const cidr = parseCidr(b.cidr);
      if (!cidr) out.push(`${p}.ipBlock.cidr "${b.cidr}" is not a valid CIDR`);
      for (const e of Array.isArray(b.except) ? b.except : []) {
        const ec = typeof e === 'string' ? parseCidr(e) : null;
        if (!ec) out.push(`${p}.ipBlock.except "${String(e)}" is not a valid CIDR`);
        else if (cidr && (ec.version !== cidr.version || ec.bits < cidr.bits)) out.push(`${p}.ipBlock.except ${String(e)} is outside cidr ${b.cidr}`);
      }
      if (peer.podSelector !== undefined || peer.namespaceSelector !== undefined) out.push(`${p}: ipBlock cannot be combined with selectors`);
    }
  });
}

function checkPorts(v: unknown, path: string, out: string[]): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) { out.push(`${path} must be a list`); return; }
  v.forEach((pp: unknown, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(pp)) { out.push(`${p} must be a mapping`); return; }
    if (pp.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(String(pp.protocol))) out.push(`${p}.protocol "${String(pp.protocol)}" is not TCP, UDP or SCTP`);
    if (pp.port !== undefined && typeof pp.port !== 'number' && typeof pp.port !== 'string') out.push(`${p}.port must be a number or a name`);
    if (pp.endPort !== undefined && (typeof pp.port !== 'number' || typeof pp.endPort !== 'number' || pp.endPort < pp.port)) out.push(`${p}.endPort needs a numeric port <= endPort`);
  });
}

/** Problems with a NetworkPolicy; empty when usable. */
export function validateNetworkPolicy(o: Obj): string[] {
  const out: string[] = [];
  if (!isObj(o.spec)) return ['spec missing'];
  checkSelector(o.spec.podSelector, 'spec.podSelector', out);
  for (const dir of ['ingress', 'egress'] as const) {
    const rules = o.spec[dir];
    if (rules === undefined || rules === null) continue;
    if (!Array.isArray(rules)) { out.push(`spec.${dir} must be a list`); continue; }
    rules.forEach((r: unknown, i) => {
      if (!isObj(r)) { out.push(`spec.${dir}[${i}] must be a mapping`); return; }
      checkPeers(dir === 'ingress' ? r.from : r.to, `spec.${dir}[${i}].${dir === 'ingress' ? 'from' : 'to'}`, out);
      checkPorts(r.ports, `spec.${dir}[${i}].ports`, out);
    });
  }
  return out;
}

export function validatePodSpec(spec: unknown, path: string): string[] {
  if (!isObj(spec)) return [`${path} missing`];
  if (!Array.isArray(spec.containers)) return [`${path}.containers missing`];
  return [];
}
