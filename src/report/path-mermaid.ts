// renderPathMermaid(): the same path picture as a Mermaid flowchart (GitHub and GitLab render it in
// an issue): one node per hop, policy gates as hexagons where they act, every hop classed by its
// state, the failing hop and the edge into it drawn heavier. Every tenant string goes through
// mermaidLabel (entity-escaped, no control characters).

import type { HopState, PathGate, PathHop, PathPicture } from './path-model.js';
import { mermaidLabel } from './path-sanitize.js';

const MARK: Record<HopState, string> = { passed: '✓', failed: '✗', unknown: '?', 'not-checked': '·' };
const CLASS: Record<HopState, string> = { passed: 'passed', failed: 'failed', unknown: 'unknown', 'not-checked': 'notchecked' };

function hopLabel(h: PathHop, extra?: string): string {
  const lines = [`${MARK[h.state]} ${mermaidLabel(h.label)}${extra ? ` ${mermaidLabel(extra)}` : ''}`];
  if (h.detail) lines.push(mermaidLabel(h.detail));
  if (h.node) lines.push(`node ${mermaidLabel(h.node)}`);
  if (h.reason) lines.push(mermaidLabel(h.reason));
  return lines.join('<br/>');
}

function gateLabel(g: PathGate): string {
  const lines = [`${g.direction} ${MARK[g.state]} ${mermaidLabel(g.word)}`];
  if (g.policies.length)
    lines.push(
      g.policies
        .slice(0, 3)
        .map((p) => mermaidLabel(p))
        .join('<br/>') + (g.policies.length > 3 ? `<br/>+${g.policies.length - 3} more` : ''),
    );
  return lines.join('<br/>');
}

/** A ```mermaid fenced block's content (without the fence). */
export function renderPathMermaid(p: PathPicture): string {
  const nodes: string[] = [];
  const edges: string[] = [];
  const classes: Record<string, string[]> = {};
  const cls = (id: string, s: HopState) => (classes[CLASS[s]] ??= []).push(id);
  let failingEdge: number | undefined;
  // Mermaid ids: the model's hop ids with "_" for "-" (a "-" next to an arrow reads as part of it)
  const mid = (id: string) => id.replace(/-/g, '_');
  const edge = (from: string, to: string, style = '-->') => {
    if (to === p.failing) failingEdge = edges.length;
    edges.push(`  ${mid(from)} ${style} ${mid(to)}`);
  };
  const node = (id: string, label: string, state: HopState, shape: 'box' | 'gate' = 'box') => {
    nodes.push(shape === 'gate' ? `  ${mid(id)}{{"${label}"}}` : `  ${mid(id)}["${label}"]`);
    cls(mid(id), state);
  };

  if (p.source) node('source', hopLabel(p.source), p.source.state);
  else node('source', `${MARK['not-checked']} no --from: nothing probed`, 'not-checked');
  node('egress', gateLabel(p.egress), p.egress.state, 'gate');
  node('dns', hopLabel(p.dns), p.dns.state);
  node('service', hopLabel(p.service), p.service.state);
  edge('source', 'egress');
  edge('egress', 'dns');
  edge('dns', 'service');
  p.endpoints.forEach((e, i) => {
    node(`gate-${i}`, gateLabel(e.gate), e.gate.state, 'gate');
    node(`endpoint-${i}`, hopLabel(e, e.pod), e.state);
    edge('service', `gate-${i}`);
    edge(`gate-${i}`, `endpoint-${i}`);
  });
  if (p.moreEndpoints > 0) {
    node('more', `${p.moreEndpoints} more endpoint(s)`, 'not-checked');
    edge('service', 'more', '-.->');
  }
  p.entries.forEach((e, i) => {
    e.hops.forEach((h, j) => {
      node(`entry-${i}-${j}`, hopLabel(h), h.state);
      if (j > 0) edge(`entry-${i}-${j - 1}`, `entry-${i}-${j}`);
    });
    edge(`entry-${i}-${e.hops.length - 1}`, 'service', '-.->');
  });

  const lines = ['flowchart LR', ...nodes, ...edges];
  lines.push(
    '  classDef passed fill:#e6f4ea,stroke:#1e8e3e,color:#0d652d',
    '  classDef failed fill:#fce8e6,stroke:#d93025,color:#a50e0e,stroke-width:3px',
    '  classDef unknown fill:#f3e8fd,stroke:#9334e6,color:#681da8,stroke-dasharray:5 3',
    '  classDef notchecked fill:#f1f3f4,stroke:#9aa0a6,color:#5f6368,stroke-dasharray:2 2',
  );
  for (const [c, ids] of Object.entries(classes)) lines.push(`  class ${ids.join(',')} ${c}`);
  if (p.failing) {
    lines.push('  classDef failing stroke-width:5px', `  class ${mid(p.failing)} failing`);
    if (failingEdge !== undefined) lines.push(`  linkStyle ${failingEdge} stroke:#d93025,stroke-width:3px`);
  }
  return lines.join('\n');
}
