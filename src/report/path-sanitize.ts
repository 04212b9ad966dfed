// Neutralises tenant-controlled strings (pod, policy, Ingress names and hosts, node names) before
// they reach the path picture: no control characters or escape sequences in the terminal, no
// Mermaid syntax in a flowchart label. (Issue 16 adds a shared terminal sanitiser; this one only
// covers the path renderers until it lands.)

/** Terminal-safe one-line text: C0/C1 controls, DEL and bidi overrides become "?"; at most `max` characters. */
export function cleanLabel(s: string, max = 160): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
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
