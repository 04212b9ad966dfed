// renderMarkdown(): a report to paste into an incident ticket (no colors, copy-able commands).

import { suggestionsOf } from './suggestions.js';
import { LAYER_TITLES, type Finding } from '../model/finding.js';
import { byWorst, WORD } from './status.js';
import type { Report } from './types.js';
import { renderPathMermaid } from './path-mermaid.js';

/** Escape the characters that break a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function findingItem(f: Finding): string[] {
  const out = [`- **${WORD[f.status]}** ${f.summary} \`${f.code}\``];
  for (const e of f.evidence.slice(0, 6)) out.push(`  - \`${e.replace(/`/g, "'")}\``);
  return out;
}

export function renderMarkdown(r: Report): string {
  const d = r.diagnosis;
  const lines: string[] = [];
  lines.push(`## k8snet: ${r.source ? `${r.source.namespace}/${r.source.pod}` : '(no source)'} → ${r.target.namespace}/${r.target.name}`);
  lines.push('');
  const verdict = d.verdict === 'fault' ? `FAULT in **${LAYER_TITLES[d.layer!]}**` : d.verdict === 'healthy' ? '**HEALTHY**' : '**INCONCLUSIVE**';
  lines.push(`**Verdict:** ${verdict} (confidence ${d.confidence})  `);
  lines.push(`**${d.headline}**`);
  if (d.confidenceNotes.length) lines.push('', ...d.confidenceNotes.map((n) => `> ${n}`));
  if (r.path) lines.push('', '```mermaid', renderPathMermaid(r.path), '```');
  lines.push('', '| Step | Status | Finding |', '|---|---|---|');
  for (const s of r.steps) {
    const top = byWorst(s.findings)[0];
    lines.push(`| ${cell(s.title)} | ${WORD[s.status]} | ${cell(top?.summary ?? '—')} |`);
  }
  if (d.evidence.length) lines.push('', '### Evidence', ...d.evidence.flatMap(findingItem));
  if (d.next.length) lines.push('', '### Next', '```sh', ...d.next, '```');
  for (const y of suggestionsOf(d.evidence)) lines.push('', `### ${y.title}`, '```yaml', y.yaml.trimEnd(), '```');
  if (d.warnings.length) lines.push('', '### Warnings', ...d.warnings.map((f) => `- ${f.summary} \`${f.code}\``));
  if (d.unknowns.length) lines.push('', '### Could not check', ...d.unknowns.map((f) => `- ${f.summary} \`${f.code}\``));
  const probes = r.probes.filter((p) => p.kubectl);
  if (probes.length) {
    lines.push('', '<details><summary>Probes</summary>', '', '```sh');
    for (const p of probes) lines.push(`# ${p.id}: ${p.state === 'completed' ? `exit ${p.exitCode}` : p.state}`, p.kubectl!);
    lines.push('```', '', '</details>');
  }
  lines.push('', `<sub>k8snet ${r.k8snetVersion} · ${r.schema} · gathered ${r.gatheredAt}${r.context.name ? ` · context ${r.context.name}` : ''}</sub>`);
  return `${lines.join('\n')}\n`;
}
