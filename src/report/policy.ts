// Renders policy reports and matrices as table, JSON (schema k8snet.policy/v1) or Markdown. Pure.

import { describeFlowPort, describePartyRef, directionCell, explainVerdict } from '../policy/explain.js';
import type { NamespaceMatrix } from '../policy/matrix.js';
import type { Lint, PolicyReport, Verdict } from '../policy/types.js';
import { renderBox, type BoxCell } from './box.js';
import { escapeJsonForTerminal, markdownFence, markdownText, neutralizeDeep } from './neutralize.js';
import type { OutputFormat } from './types.js';

export const POLICY_SCHEMA = 'k8snet.policy/v1';

const paint = (on: boolean, code: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

function uniqueLints(r: PolicyReport): Lint[] {
  const seen = new Set<string>();
  return [...r.lints, ...r.verdicts.flatMap((v) => v.lints)].filter((l) => {
    const k = `${l.code}|${l.policy?.namespace}/${l.policy?.name}|${l.path}|${l.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

function uniqueSuggestions(r: PolicyReport): string[] {
  return [...new Set(r.verdicts.map((v) => v.suggestion).filter((s): s is string => !!s))];
}

/** The versioned JSON document for a verdict report (see docs/policy-json-schema.md). */
export function policyReportJson(r: PolicyReport): Record<string, unknown> {
  return { schema: POLICY_SCHEMA, kind: 'verdict', ...r, lints: uniqueLints(r), suggestions: uniqueSuggestions(r) };
}

export function matrixJson(m: NamespaceMatrix): Record<string, unknown> {
  return { schema: POLICY_SCHEMA, kind: 'namespace-matrix', ...m };
}

function verdictWord(v: { allowed: boolean }, color: boolean): string {
  return v.allowed ? paint(color, 32)('ALLOWED') : paint(color, 31)('DENIED');
}

/** The verdict as a table cell: coloured after wrapping (renderBox). */
function verdictCell(v: { allowed: boolean }, color: boolean): BoxCell {
  return [{ text: v.allowed ? 'ALLOWED' : 'DENIED', style: paint(color, v.allowed ? 32 : 31) }];
}

// the table styles cli-table3 drew before (cyan header, grey border), applied by renderBox after wrapping
const boxStyle = (color: boolean) => (color ? { headStyle: paint(true, 36), borderStyle: paint(true, 90) } : {});

function header(r: PolicyReport): string[] {
  return [
    `source:      ${r.source.description}`,
    `destination: ${r.destination.description}`,
    `world:       ${r.world.origin ?? 'live'} (${r.world.namespaces} namespaces, ${r.world.pods} pods, ${r.world.policies} policies; CNI enforces policy: ${r.world.enforced === null ? 'unknown' : r.world.enforced ? 'yes' : 'no'})`,
  ];
}

function detailFor(v: Verdict): string[] {
  return [
    `${describePartyRef(v.src)} -> ${describePartyRef(v.dst)} ${describeFlowPort(v)}: ${v.allowed ? 'ALLOWED' : 'DENIED'}`,
    ...explainVerdict(v).map((l) => `  ${l}`),
  ];
}

function renderTable(r: PolicyReport, color: boolean): string {
  const out: string[] = [`NetworkPolicy verdict: ${r.source.spec} -> ${r.destination.spec}: ${verdictWord(r, color)}`, ...header(r), ''];
  const rows = r.verdicts.map((v): BoxCell[] => [
    describePartyRef(v.src),
    describePartyRef(v.dst),
    describeFlowPort(v),
    directionCell(v.egress),
    directionCell(v.ingress),
    verdictCell(v, color),
  ]);
  out.push(
    renderBox(['source', 'destination', 'port', 'egress (source)', 'ingress (destination)', 'verdict'], rows, {
      colWidths: [undefined, undefined, undefined, 34, 34, undefined],
      ...boxStyle(color),
    }),
    '',
  );
  for (const v of r.verdicts) out.push(...detailFor(v), '');
  appendTail(out, r, (s) => s);
  return out.join('\n').replace(/\n+$/, '\n');
}

function appendTail(out: string[], r: PolicyReport, code: (s: string) => string): void {
  if (r.skipped.length) out.push('skipped:', ...r.skipped.map((s) => `  - ${s}`), '');
  if (r.folded.length) out.push('folded:', ...r.folded.map((s) => `  - ${s}`), '');
  const lints = uniqueLints(r);
  if (lints.length)
    out.push(
      'lints (never change the verdict):',
      ...lints.map((l) => `  - [${l.code}]${l.policy ? ` ${l.policy.namespace}/${l.policy.name}` : ''}: ${l.message}`),
      '',
    );
  const sugg = uniqueSuggestions(r);
  if (sugg.length) out.push('suggested allow rule (review; never applied):', '', ...sugg.map(code), '');
}

/** Table cells: tenant text (labels, names) cannot forge cells, links or emphasis. */
const mdEscape = markdownText;

function renderMarkdown(r: PolicyReport): string {
  const out: string[] = [
    `## NetworkPolicy verdict: \`${r.source.spec}\` -> \`${r.destination.spec}\`: **${r.allowed ? 'ALLOWED' : 'DENIED'}**`,
    '',
    ...header(r).map((l) => `- ${l}`),
    '',
  ];
  out.push('| source | destination | port | egress (source) | ingress (destination) | verdict |', '|---|---|---|---|---|---|');
  for (const v of r.verdicts) {
    out.push(
      `| ${[describePartyRef(v.src), describePartyRef(v.dst), describeFlowPort(v), directionCell(v.egress), directionCell(v.ingress), v.allowed ? 'ALLOWED' : '**DENIED**'].map(mdEscape).join(' | ')} |`,
    );
  }
  out.push('');
  for (const v of r.verdicts) out.push(...markdownFence('text', detailFor(v)), '');
  appendTail(out, r, (s) => markdownFence('yaml', s.replace(/\n$/, '').split('\n')).join('\n'));
  return out.join('\n').replace(/\n+$/, '\n');
}

/** Renders a verdict report. */
export function renderPolicyReport(untrusted: PolicyReport, format: OutputFormat, color = false): string {
  if (format === 'json') return `${escapeJsonForTerminal(JSON.stringify(policyReportJson(untrusted), null, 2))}\n`;
  // labels, names and annotations come from the cluster or the manifests: neutralised for terminals
  const r = neutralizeDeep(untrusted, new Set(['suggestion']));
  if (format === 'markdown') return renderMarkdown(r);
  return renderTable(r, color);
}

function cellText(c: NamespaceMatrix['cells'][number][number]): string {
  if (c.summary === 'empty') return '-';
  if (c.summary === 'no-port') return 'n/a';
  if (c.summary === 'all') return 'yes';
  if (c.summary === 'none') return 'no';
  return `${c.allowed}/${c.total}`;
}

/** Renders a namespace matrix: rows are sources, columns destinations. */
export function renderMatrix(untrusted: NamespaceMatrix, format: OutputFormat, color = false): string {
  if (format === 'json') return `${escapeJsonForTerminal(JSON.stringify(matrixJson(untrusted), null, 2))}\n`;
  const m = neutralizeDeep(untrusted);
  const title = `Reachability on ${m.protocol} ${m.port} (rows: from, columns: to; yes = every pod pair allowed, no = none, a/b = some)`;
  const notes = m.templated.length ? [`namespaces judged by workload templates (no pods loaded): ${m.templated.join(', ')}`] : [];
  if (format === 'markdown') {
    const out = [`## ${title}`, '', `| from \\ to | ${m.namespaces.join(' | ')} |`, `|---|${m.namespaces.map(() => '---').join('|')}|`];
    m.cells.forEach((row, i) => out.push(`| ${m.namespaces[i]} | ${row.map(cellText).join(' | ')} |`));
    return [...out, '', ...notes.map((n) => `- ${n}`)].join('\n').replace(/\n+$/, '\n');
  }
  const tint = (s: string): BoxCell => [
    { text: s, style: s === 'yes' ? paint(color, 32) : s === 'no' ? paint(color, 31) : s === '-' || s === 'n/a' ? undefined : paint(color, 33) },
  ];
  const rows = m.cells.map((row, i): BoxCell[] => [m.namespaces[i], ...row.map((c) => tint(cellText(c)))]);
  // no fixed widths: every column fits its widest cell, so nothing wraps (as before)
  return [title, renderBox(['from \\ to', ...m.namespaces], rows, boxStyle(color)), ...notes].join('\n') + '\n';
}
