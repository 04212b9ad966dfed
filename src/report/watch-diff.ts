// What changed between two rounds of `diagnose --watch`: the verdict, the named layer, and the
// findings that flipped (status changed, appeared, disappeared). Pure; the watch loop prints it.

import { probeIdOf } from '../model/code-groups.js';
import type { Diagnosis, Finding, Layer, Status } from '../model/finding.js';

/** What one round is compared by. */
export interface RoundSummary {
  verdict: Diagnosis['verdict'];
  layer: Layer | null;
  headline: string;
  /** Finding key (see findingKey) -> status and summary; info findings are left out (context, not state). */
  findings: Map<string, { code: string; status: Status; summary: string }>;
}

export type WatchChange =
  | { kind: 'verdict'; from: Diagnosis['verdict']; to: Diagnosis['verdict'] }
  | { kind: 'layer'; from: Layer | null; to: Layer | null }
  | { kind: 'finding'; key: string; code: string; from: Status | null; to: Status | null; summary: string };

/**
 * One finding's identity across rounds: its code, its subject and the probe or target it is about,
 * so two endpoints' probes (same code) are told apart and a finding keeps its key while its wording
 * changes (elapsed times, addresses).
 */
export function findingKey(f: Finding): string {
  const s = f.subject ? `${f.subject.kind}/${f.subject.namespace ?? ''}/${f.subject.name}` : '';
  const about = probeIdOf(f) ?? '';
  return `${f.code}|${s}|${about}`;
}

export function summarizeRound(findings: Finding[], d: Diagnosis): RoundSummary {
  const m = new Map<string, { code: string; status: Status; summary: string }>();
  for (const f of findings) {
    if (f.status === 'info') continue;
    const k = findingKey(f);
    // the same key twice (two ports of one probe target): keep the worse, so a flip is not hidden
    const prev = m.get(k);
    if (!prev || RANK[f.status] > RANK[prev.status]) m.set(k, { code: f.code, status: f.status, summary: f.summary });
  }
  return { verdict: d.verdict, layer: d.layer, headline: d.headline, findings: m };
}

const RANK: Record<Status, number> = { fail: 4, unknown: 3, warn: 2, pass: 1, info: 0 };

/** Changes from `prev` to `next`, verdict first, then layer, then findings (worst new status first). */
export function diffRounds(prev: RoundSummary, next: RoundSummary): WatchChange[] {
  const out: WatchChange[] = [];
  if (prev.verdict !== next.verdict) out.push({ kind: 'verdict', from: prev.verdict, to: next.verdict });
  if (prev.layer !== next.layer) out.push({ kind: 'layer', from: prev.layer, to: next.layer });
  const fs: WatchChange[] = [];
  for (const [k, n] of next.findings) {
    const p = prev.findings.get(k);
    if (!p) fs.push({ kind: 'finding', key: k, code: n.code, from: null, to: n.status, summary: n.summary });
    else if (p.status !== n.status) fs.push({ kind: 'finding', key: k, code: n.code, from: p.status, to: n.status, summary: n.summary });
  }
  for (const [k, p] of prev.findings) {
    if (!next.findings.has(k)) fs.push({ kind: 'finding', key: k, code: p.code, from: p.status, to: null, summary: p.summary });
  }
  const rank = (c: WatchChange) => (c.kind === 'finding' ? (c.to ? RANK[c.to] : -1) : 9);
  fs.sort((a, b) => rank(b) - rank(a));
  return [...out, ...fs];
}
