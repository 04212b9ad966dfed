// Neutralises cluster- and probe-derived text before it reaches a terminal or a Markdown ticket.
// Tenants control label values, annotations, Ingress hosts and paths, log lines and the bytes a
// probed server answers with; printed raw, ESC/CSI/OSC sequences and carriage returns can rewrite
// what the reader sees (a forged "Verdict: HEALTHY", a forged `next:` command). Pure functions, no
// layout: renderers call them at their boundary, so any table/wrapping code composes with them.

/**
 * C0 controls (U+0000-U+001F), DEL (U+007F), C1 controls (U+0080-U+009F), and the Unicode format
 * characters that reorder or break lines on display: bidi embeddings/overrides/isolates
 * (U+202A-U+202E, U+2066-U+2069), LRM/RLM/ALM (U+200E, U+200F, U+061C), line/paragraph separators
 * (U+2028, U+2029). Newline and tab are handled separately (see neutralizeText).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (ch === '\r') return '\\r';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export interface NeutralizeOptions {
  /** Keep newlines (the renderer splits and indents the lines itself). Default: shown as \n. */
  multiline?: boolean;
}

/**
 * Replace every control or display-reordering character with a visible escape (`\x1b`, `\r`,
 * `\u202e`), so the text shows what the cluster sent without acting on the terminal. Tabs become a
 * space; newlines are kept only with `multiline`. Printable text (any script, emoji) is unchanged.
 */
export function neutralizeText(s: string, opts: NeutralizeOptions = {}): string {
  let out = s.replace(UNSAFE, visible).replace(/\t/g, ' ');
  if (!opts.multiline) out = out.replace(/\n/g, '\\n');
  return out;
}

/** True when the text holds nothing neutralizeText would change (used by tests and assertions). */
export function isTerminalSafe(s: string, opts: NeutralizeOptions = {}): boolean {
  return neutralizeText(s, opts) === s;
}

/**
 * A deep copy of a JSON-like value with every string neutralised. `multilineKeys` names the object
 * keys whose string values may keep newlines (e.g. a probe's stdout, split into lines by the
 * renderer). Object keys are neutralised too (label keys come from the cluster).
 */
export function neutralizeDeep<T>(value: T, multilineKeys: ReadonlySet<string> = new Set()): T {
  const walk = (v: unknown, key: string | undefined): unknown => {
    if (typeof v === 'string') return neutralizeText(v, { multiline: key !== undefined && multilineKeys.has(key) });
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[neutralizeText(k)] = walk(x, k);
      return out;
    }
    return v;
  };
  return walk(value, undefined) as T;
}

/**
 * Markdown inline text: neutralised (so no newline: block syntax could only start a line), then
 * the characters CommonMark/GFM read as inline syntax are backslash-escaped, so tenant text cannot
 * open emphasis, a code span, a link or image, raw HTML, an entity, strikethrough or a table cell;
 * a leading heading/list/quote marker is escaped too, for text placed at the start of a line.
 */
export function markdownText(s: string): string {
  const t = neutralizeText(s).replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
  return t.replace(/^(\s*)([#+\-=>])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** Text inside a Markdown code span (outside tables): neutralised; a backtick cannot end the span. */
export function markdownCode(s: string): string {
  const t = neutralizeText(s).replace(/`/g, "'");
  return `\`${t.startsWith(' ') || t.endsWith(' ') ? ` ${t} ` : t}\``;
}

/**
 * A fenced code block whose fence is longer than any backtick run in the lines (CommonMark: a
 * fence closes only with at least as many backticks), so no line can close it early.
 */
export function markdownFence(info: string, lines: string[]): string[] {
  const safe = lines.map((l) => neutralizeText(l));
  const longest = Math.max(0, ...safe.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${info}`, ...safe, fence];
}

/**
 * Characters JSON.stringify leaves raw but a terminal may act on (DEL, C1, bidi and line
 * separators), as \\uXXXX escapes: still the same JSON value, so JSON output stays lossless.
 */
export function escapeJsonForTerminal(json: string): string {
  return json.replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
}

/** Report keys whose text may keep its newlines: the renderers split and indent those lines. */
const MULTILINE_REPORT_KEYS = new Set(['stdout', 'stderr', 'suggestion']);

/**
 * The report with every string neutralised for a terminal or a Markdown ticket; the table,
 * verbose and Markdown renderers call it first. JSON output does not: JSON.stringify escapes
 * control characters, and JSON stays lossless.
 */
export function neutralizeReport<R>(report: R): R {
  return neutralizeDeep(report, MULTILINE_REPORT_KEYS);
}
