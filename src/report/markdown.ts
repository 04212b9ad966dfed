// renderMarkdown(): a report to paste into an incident ticket (no colors, copy-able commands).

import { suggestionsOf } from './suggestions.js';
import { LAYER_TITLES, type Finding } from '../model/finding.js';
import { byWorst, WORD } from './status.js';
import type { Report } from './types.js';
import { renderPathMermaid } from './path-mermaid.js';
import { markdownCode, markdownFence, markdownText as md, neutralizeReport } from './neutralize.js';

// Every string from the report goes through md() (inline text), markdownCode() (code spans) or
// markdownFence() (code blocks), so tenant text cannot forge cells, headings, links or fences.

function findingItem(f: Finding): string[] {
  const out = [`- **${WORD[f.status]}** ${md(f.summary)} ${markdownCode(f.code)}`];
  for (const e of f.evidence.slice(0, 6)) out.push(`  - ${markdownCode(e)}`);
  return out;
}

export function renderMarkdown(untrusted: Report): string {
  const r = neutralizeReport(untrusted);
  const d = r.diagnosis;
  const lines: string[] = [];
  lines.push(`## k8snet: ${r.source ? md(`${r.source.namespace}/${r.source.pod}`) : '(no source)'} → ${md(`${r.target.namespace}/${r.target.name}`)}`);
  lines.push('');
  const verdict = d.verdict === 'fault' ? `FAULT in **${LAYER_TITLES[d.layer!]}**` : d.verdict === 'healthy' ? '**HEALTHY**' : '**INCONCLUSIVE**';
  lines.push(`**Verdict:** ${verdict} (confidence ${d.confidence})  `);
  lines.push(`**${md(d.headline)}**`);
  if (d.confidenceNotes.length) lines.push('', ...d.confidenceNotes.map((n) => `> ${md(n)}`));
  if (r.path) lines.push('', ...markdownFence('mermaid', renderPathMermaid(r.path).split('\n')));
  lines.push('', '| Step | Status | Finding |', '|---|---|---|');
  for (const s of r.steps) {
    const top = byWorst(s.findings)[0];
    lines.push(`| ${s.title} | ${WORD[s.status]} | ${top ? md(top.summary) : '—'} |`); // titles are k8snet's own
  }
  if (d.evidence.length) lines.push('', '### Evidence', ...d.evidence.flatMap(findingItem));
  if (d.next.length) lines.push('', '### Next', ...markdownFence('sh', d.next));
  for (const y of suggestionsOf(d.evidence)) lines.push('', `### ${md(y.title)}`, ...markdownFence('yaml', y.yaml.trimEnd().split('\n')));
  if (d.warnings.length) lines.push('', '### Warnings', ...d.warnings.map((f) => `- ${md(f.summary)} ${markdownCode(f.code)}`));
  if (d.unknowns.length) lines.push('', '### Could not check', ...d.unknowns.map((f) => `- ${md(f.summary)} ${markdownCode(f.code)}`));
  const probes = r.probes.filter((p) => p.kubectl);
  if (probes.length) {
    const sh = probes.flatMap((p) => [`# ${p.id}: ${p.state === 'completed' ? `exit ${p.exitCode}` : p.state}`, p.kubectl!]);
    lines.push('', '<details><summary>Probes</summary>', '', ...markdownFence('sh', sh), '', '</details>');
  }
  lines.push(
    '',
    `<sub>k8snet ${md(r.k8snetVersion)} · ${r.schema} · gathered ${md(r.gatheredAt)}${r.context.name ? ` · context ${md(r.context.name)}` : ''}</sub>`,
  );
  return `${lines.join('\n')}\n`;
}
