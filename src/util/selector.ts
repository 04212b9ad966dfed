// Kubernetes label selectors, in one place: matching (matchLabels AND matchExpressions, and the
// Service-style equality map), rendering as kubectl -l text, why a selector missed, and parsing
// what the user typed ("a=b,c!=d,e in (x,y)").

import type { LabelSelector, LabelSelectorRequirement } from '../model/k8s.js';

type Labels = Record<string, string> | undefined;

/** One requirement, with the exact Kubernetes meaning (NotIn and DoesNotExist match a missing key). */
export function matchesRequirement(req: LabelSelectorRequirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = has ? labels[req.key] : undefined;
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return has && values.includes(value!);
    case 'NotIn':
      return !has || !values.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false; // the API server rejects unknown operators; match nothing rather than guess
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
    case 'In':
      return `${r.key} in (${vs})`;
    case 'NotIn':
      return `${r.key} notin (${vs})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    default:
      return `${r.key} ${r.operator} (${vs})`;
  }
}

/** kubectl-style text: "app=web,tier in (a,b)"; "{} (all)" for an empty selector. */
export function describeSelector(sel: LabelSelector): string {
  return selectorToString(sel) || '{} (all)';
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

/** A Service-style selector map (every key must equal). An empty map matches nothing here. */
export function matchesMap(sel: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel || Object.keys(sel).length === 0) return false;
  return matchesSelector({ matchLabels: sel }, labels);
}

/** Render a LabelSelector as the string kubectl -l accepts ("" for an empty selector). */
export function selectorToString(sel: LabelSelector): string {
  return [...Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`), ...(sel.matchExpressions ?? []).map(describeRequirement)].join(',');
}

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/**
 * Parse a kubectl-style label selector string. Supports =, ==, !=, in, notin, exists, !key.
 * Throws an Error with a precise message on bad syntax.
 */
export function parseSelector(text: string): LabelSelector {
  const sel: LabelSelector = { matchLabels: {}, matchExpressions: [] };
  const terms = splitTerms(text);
  if (terms.length === 0) throw new Error('the selector is empty');
  for (const raw of terms) {
    const t = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = t.match(/^([^\s!=]+)\s*(==|=)\s*([^\s=!,]*)$/))) {
      checkKey(m[1]);
      checkValue(m[3]);
      sel.matchLabels![m[1]] = m[3]!;
    } else if ((m = t.match(/^([^\s!=]+)\s*!=\s*([^\s=!,]*)$/))) {
      checkKey(m[1]);
      checkValue(m[2]);
      sel.matchExpressions!.push({ key: m[1], operator: 'NotIn', values: [m[2]] });
    } else if ((m = t.match(/^([^\s!=]+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      checkKey(m[1]);
      const values = m[3]
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      values.forEach(checkValue);
      sel.matchExpressions!.push({ key: m[1], operator: m[2] === 'in' ? 'In' : 'NotIn', values });
    } else if ((m = t.match(/^!\s*([^\s!=]+)$/))) {
      checkKey(m[1]);
      sel.matchExpressions!.push({ key: m[1], operator: 'DoesNotExist' });
    } else if ((m = t.match(/^([^\s!=(),]+)$/))) {
      checkKey(m[1]);
      sel.matchExpressions!.push({ key: m[1], operator: 'Exists' });
    } else {
      throw new Error(`cannot parse "${t}" (expected key=value, key!=value, key in (a,b), key or !key)`);
    }
  }
  if (sel.matchExpressions!.length === 0) delete sel.matchExpressions;
  return sel;
}

function splitTerms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out.filter((t) => t.trim());
}

function checkKey(k: string): void {
  if (!KEY.test(k)) throw new Error(`"${k}" is not a valid label key`);
}

function checkValue(v: string): void {
  if (v.length > 63 || !VALUE.test(v)) throw new Error(`"${v}" is not a valid label value`);
}
