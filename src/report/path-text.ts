// renderPathText(): the path picture for the terminal, hop by hop, folded to 100 columns at hop
// boundaries. Unicode glyphs when the locale says UTF-8, plain ASCII otherwise or with NO_COLOR;
// colour only when asked (the caller decides: a TTY and no NO_COLOR/--no-color).

import { paint, type Paint } from './ansi.js';
import type { HopState, PathEndpoint, PathGate, PathHop, PathPicture } from './path-model.js';
import { cleanLabel } from './path-sanitize.js';
import { textWidth, wrapLine } from './wrap.js';

export interface PathTextOptions {
  color: boolean;
  /** Box-drawing arrows and ✓/✗ marks; false: ASCII only. */
  unicode: boolean;
  /** Columns, default 100. */
  width?: number;
}

interface Glyphs {
  mark: Record<HopState, string>;
  to: string;
  back: string;
  branch: string;
  last: string;
}

const UNICODE: Glyphs = {
  mark: { passed: '✓', failed: '✗', unknown: '?', 'not-checked': '·' },
  to: '──▶',
  back: '◀──',
  branch: '├──▶',
  last: '└──▶',
};

const ASCII: Glyphs = {
  mark: { passed: '[ok]', failed: '[FAIL]', unknown: '[?]', 'not-checked': '[-]' },
  to: '-->',
  back: '<--',
  branch: '|-->',
  last: '`-->',
};

/**
 * Whether the terminal can show the Unicode picture, from the environment only: NO_COLOR asks for
 * plain output (ASCII); TERM=dumb or the Linux console (TERM=linux, whose font lacks the arrows)
 * cannot; otherwise the first of LC_ALL, LC_CTYPE, LANG that is set decides (UTF-8 or not). No locale
 * at all (the C/POSIX locale) means ASCII. K8SNET_UNICODE=1/0 overrides everything.
 */
export function unicodeFromEnv(env: Record<string, string | undefined>): boolean {
  if (env.K8SNET_UNICODE === '1') return true;
  if (env.K8SNET_UNICODE === '0') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const term = env.TERM ?? '';
  if (term === 'dumb' || term === 'linux') return false;
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((v) => v !== undefined && v !== '') ?? '';
  return /utf-?8/i.test(locale);
}

interface Token {
  text: string;
  state?: HopState;
}

const STATUS_OF: Record<HopState, 'pass' | 'fail' | 'unknown' | 'info'> = { passed: 'pass', failed: 'fail', unknown: 'unknown', 'not-checked': 'info' };

function hopText(h: PathHop, g: Glyphs, extra = ''): string {
  const detail = h.detail ? ` (${cleanLabel(h.detail)})` : '';
  const node = h.node ? ` on ${cleanLabel(h.node)}` : '';
  const reason = h.reason ? `: ${h.reason}` : '';
  return `${g.mark[h.state]} ${cleanLabel(h.label)}${cleanLabel(extra)}${detail}${node}${reason}`;
}

function gateText(gt: PathGate, g: Glyphs, dir: 'to' | 'back'): string {
  const who = gt.policies.length
    ? ` ${gt.policies
        .slice(0, 2)
        .map((x) => cleanLabel(x))
        .join(', ')}${gt.policies.length > 2 ? ` +${gt.policies.length - 2}` : ''}`
    : '';
  const body = `${gt.direction} ${g.mark[gt.state]} ${gt.word}`;
  return dir === 'to' ? `${g.to.slice(0, -1)}${body}${who}${g.to}` : `${g.back}${body}${g.back.slice(1)}${who}`;
}

function endpointText(e: PathEndpoint, g: Glyphs): string {
  return hopText(e, g, e.pod ? ` ${e.pod}` : '');
}

/** Greedy fold of tokens into lines of `width` columns; continuation lines get `cont` spaces. */
function fold(tokens: Token[], width: number, first: string, cont: string): Token[][] {
  const lines: Token[][] = [];
  let cur: Token[] = [{ text: first }];
  let w = textWidth(first);
  const avail = width - cont.length;
  for (const t of tokens) {
    const tw = textWidth(t.text);
    const sep = cur.length > 1 ? 1 : 0;
    if (w + sep + tw <= width) {
      if (sep) cur.push({ text: ' ' });
      cur.push(t);
      w += sep + tw;
      continue;
    }
    if (cur.length > 1) lines.push(cur);
    // a token wider than a whole line is wrapped at spaces, each piece keeping the token's state
    const pieces = tw > avail ? wrapLine(t.text, avail) : [t.text];
    for (const [i, piece] of pieces.entries()) {
      cur = [{ text: cont }, { text: piece, state: t.state }];
      w = cont.length + textWidth(piece);
      if (i < pieces.length - 1) lines.push(cur);
    }
  }
  if (cur.length > 1) lines.push(cur);
  return lines;
}

/** The path picture as text lines (no trailing newline). */
export function renderPathText(p: PathPicture, o: PathTextOptions): string {
  const g = o.unicode ? UNICODE : ASCII;
  const width = o.width ?? 100;
  const pt: Paint = paint(o.color);
  const style = (t: Token) => (t.state ? pt.status(STATUS_OF[t.state], t.text) : t.text);
  const out: string[] = [];
  const emit = (lines: Token[][]) => out.push(...lines.map((l) => l.map(style).join('').trimEnd()));
  const legend = (['passed', 'failed', 'unknown', 'not-checked'] as HopState[]).map((s) => `${g.mark[s]} ${s.replace('-', ' ')}`).join('  ');
  out.push(`${pt.bold('PATH')}  ${pt.dim(legend)}`);

  for (const e of p.entries) {
    const toks: Token[] = [];
    e.hops.forEach((h, i) => {
      if (i > 0) toks.push({ text: g.to });
      toks.push({ text: hopText(h, g), state: h.state });
    });
    emit(fold(toks, width, '  entry ', '        '));
  }

  const main: Token[] = [];
  if (p.source) main.push({ text: hopText(p.source, g), state: p.source.state });
  else main.push({ text: `${g.mark['not-checked']} no --from: nothing probed from inside the cluster`, state: 'not-checked' });
  main.push({ text: gateText(p.egress, g, 'to'), state: p.egress.state });
  main.push({ text: hopText(p.dns, g), state: p.dns.state });
  main.push({ text: g.to });
  main.push({ text: hopText(p.service, g), state: p.service.state });
  emit(fold(main, width, '  ', '    '));

  p.endpoints.forEach((e, i) => {
    const last = i === p.endpoints.length - 1 && p.moreEndpoints === 0;
    const lead = `      ${last ? g.last : g.branch} `;
    const toks: Token[] = [
      { text: endpointText(e, g), state: e.state },
      { text: gateText(e.gate, g, 'back'), state: e.gate.state },
    ];
    emit(fold(toks, width, lead, ' '.repeat(lead.length + 2)));
  });
  if (p.moreEndpoints > 0) out.push(`      ${g.last} ${pt.dim(`${p.moreEndpoints} more endpoint(s) not drawn`)}`);
  return out.join('\n');
}
