// Tenant-controlled strings (pod, policy, Ingress names and hosts, node names) on their way into the
// path picture: the shared terminal neutraliser (neutralize.ts: controls and bidi characters shown
// as visible escapes, never acted on) plus a length cap; and, for the Mermaid flowchart, entity
// escaping of everything Mermaid or the Markdown around it would read as syntax.

import { neutralizeText } from './neutralize.js';

/** Terminal-safe one-line text (see neutralizeText), at most `max` characters. */
export function cleanLabel(s: string, max = 160): string {
  const t = neutralizeText(s);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * A Mermaid node or edge label, to be written between double quotes: terminal-clean first, then
 * every character Mermaid or the Markdown around it would read as syntax becomes an entity code
 * ("#" first, so a tenant's own "#quot;" stays literal text).
 */
export function mermaidLabel(s: string, max = 120): string {
  return cleanLabel(s, max)
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/&/g, '#amp;')
    .replace(/`/g, '#96;')
    .replace(/\|/g, '#124;')
    .replace(/[[\]{}()]/g, (c) => `#${c.charCodeAt(0)};`)
    .replace(/\*/g, '#42;')
    .replace(/_/g, '#95;')
    .replace(/~/g, '#126;');
}
