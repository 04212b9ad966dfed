// Label selector helpers shared by gathering and checks: parse "a=b,c!=d,e in (x,y)" and match.

import type { LabelSelector } from '../model/k8s.js';

/** The one implementation of selector matching lives with the policy engine. */
export { matchesSelector } from '../policy/selector.js';
import { matchesSelector } from '../policy/selector.js';

/** A Service-style selector map (every key must equal). An empty map matches nothing here. */
export function matchesMap(sel: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel || Object.keys(sel).length === 0) return false;
  return matchesSelector({ matchLabels: sel }, labels);
}

/** Render a LabelSelector as the string kubectl -l accepts. */
export function selectorToString(sel: LabelSelector): string {
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
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
      checkKey(m[1]!);
      checkValue(m[3]!);
      sel.matchLabels![m[1]!] = m[3]!;
    } else if ((m = t.match(/^([^\s!=]+)\s*!=\s*([^\s=!,]*)$/))) {
      checkKey(m[1]!);
      checkValue(m[2]!);
      sel.matchExpressions!.push({ key: m[1]!, operator: 'NotIn', values: [m[2]!] });
    } else if ((m = t.match(/^([^\s!=]+)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      checkKey(m[1]!);
      const values = m[3]!.split(',').map((v) => v.trim()).filter(Boolean);
      values.forEach(checkValue);
      sel.matchExpressions!.push({ key: m[1]!, operator: m[2] === 'in' ? 'In' : 'NotIn', values });
    } else if ((m = t.match(/^!\s*([^\s!=]+)$/))) {
      checkKey(m[1]!);
      sel.matchExpressions!.push({ key: m[1]!, operator: 'DoesNotExist' });
    } else if ((m = t.match(/^([^\s!=(),]+)$/))) {
      checkKey(m[1]!);
      sel.matchExpressions!.push({ key: m[1]!, operator: 'Exists' });
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
