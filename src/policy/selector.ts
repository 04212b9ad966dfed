// Kubernetes label selector semantics (matchLabels AND matchExpressions) and why a selector missed.

import type { LabelSelector, LabelSelectorRequirement } from '../model/k8s.js';

type Labels = Record<string, string> | undefined;

/** One requirement, with the exact Kubernetes meaning (NotIn and DoesNotExist match a missing key). */
export function matchesRequirement(req: LabelSelectorRequirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = has ? labels![req.key] : undefined;
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In': return has && values.includes(value!);
    case 'NotIn': return !has || !values.includes(value!);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    default: return false; // the API server rejects unknown operators; match nothing rather than guess
  }
}

/** An empty selector ({}) matches everything; all matchLabels and matchExpressions are ANDed. */
export function matchesSelector(sel: LabelSelector, labels: Labels): boolean {
  const ml = sel.matchLabels;
  if (ml) {
    for (const k in ml) {
      if (labels === undefined || labels[k] !== ml[k]) return false;
    }
  }
  const me = sel.matchExpressions;
  if (me) {
    for (const r of me) if (!matchesRequirement(r, labels)) return false;
  }
  return true;
}

/** True for {} (selects everything). */
export function isEmptySelector(sel: LabelSelector | undefined): boolean {
  return sel !== undefined && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
}

function describeRequirement(r: LabelSelectorRequirement): string {
  const vs = (r.values ?? []).join(',');
  switch (r.operator) {
    case 'In': return `${r.key} in (${vs})`;
    case 'NotIn': return `${r.key} notin (${vs})`;
    case 'Exists': return r.key;
    case 'DoesNotExist': return `!${r.key}`;
    default: return `${r.key} ${r.operator} (${vs})`;
  }
}

/** kubectl-style text: "app=web,tier in (a,b)"; "{} (all)" for an empty selector. */
export function describeSelector(sel: LabelSelector): string {
  const parts = [
    ...Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(sel.matchExpressions ?? []).map(describeRequirement),
  ];
  return parts.length === 0 ? '{} (all)' : parts.join(',');
}

/** "{app: web, tier: db}" - labels as quoted in explanations. */
export function describeLabels(labels: Labels): string {
  const e = Object.entries(labels ?? {});
  return e.length === 0 ? '{}' : `{${e.map(([k, v]) => `${k}: ${v}`).join(', ')}}`;
}

/** The parts of a selector that the labels do not satisfy (empty when it matches). */
export function unmetRequirements(sel: LabelSelector, labels: Labels): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    if (labels?.[k] !== v) out.push(`${k}=${v}`);
  }
  for (const r of sel.matchExpressions ?? []) {
    if (!matchesRequirement(r, labels)) out.push(describeRequirement(r));
  }
  return out;
}
