// Linear-time text wrapping and terminal column widths for plain (unstyled) text: the renderers
// wrap first and colour after, so no escape sequence is ever split across lines.

/** Terminal columns of one code point: 0 for controls and combining marks, 2 for wide East Asian and emoji. */
export function codePointWidth(cp: number): 0 | 1 | 2 {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if (
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x1dc0 && cp <= 0x1dff) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xfe20 && cp <= 0xfe2f) ||
    cp === 0xfeff
  )
    return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** Terminal columns of plain text (no escape sequences; one line). */
export function textWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      w++;
      continue;
    }
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    w += codePointWidth(cp);
  }
  return w;
}

/** Pads plain text with spaces to `width` columns (text already at most that wide). */
export function padEnd(s: string, width: number): string {
  const w = textWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

/**
 * Wraps one line of plain text to at most `width` columns: breaks at spaces, splits a word longer
 * than the line, and indents continuation lines as deep as the line's own leading spaces (capped at
 * half the width) so evidence stays visibly under its finding. One pass over the text: O(length).
 */
export function wrapLine(line: string, width: number): string[] {
  const w = Math.max(1, Math.floor(width));
  if (line.length <= w && textWidth(line) <= w) return [line];
  let lead = 0;
  while (lead < line.length && line.charCodeAt(lead) === 0x20) lead++;
  const indent = ' '.repeat(Math.min(lead, Math.floor(w / 2)));
  const out: string[] = [];
  let cur = line.slice(0, Math.min(lead, w));
  let curW = cur.length;
  let hasText = false; // the current line holds more than indentation
  let pendingSpace = false;
  let i = lead;
  const flush = () => {
    out.push(cur);
    cur = indent;
    curW = indent.length;
    hasText = false;
    pendingSpace = false;
  };
  while (i < line.length) {
    if (line.charCodeAt(i) === 0x20) {
      while (i < line.length && line.charCodeAt(i) === 0x20) i++;
      pendingSpace = hasText;
      continue;
    }
    let j = i;
    while (j < line.length && line.charCodeAt(j) !== 0x20) j++;
    const word = line.slice(i, j);
    const ww = textWidth(word);
    const need = ww + (pendingSpace ? 1 : 0);
    if (curW + need <= w) {
      cur += (pendingSpace ? ' ' : '') + word;
      curW += need;
    } else if (ww <= w - indent.length && hasText) {
      flush();
      cur += word;
      curW += ww;
    } else {
      // a word longer than a line: fill what is left of this line, then whole lines
      // (after a space, and only where the space and a piece fit: else the piece would fuse with the word before)
      if (pendingSpace) {
        if (curW + 1 < w) {
          cur += ' ';
          curW++;
        } else if (hasText) flush();
      }
      for (let k = 0; k < word.length;) {
        const cp = word.codePointAt(k)!;
        const len = cp > 0xffff ? 2 : 1;
        const cw = codePointWidth(cp);
        if (curW + cw > w) {
          if (hasText) flush();
          if (curW + cw > w) {
            cur = '';
            curW = 0;
          } // the indentation leaves no room: drop it
        }
        cur += word.slice(k, k + len);
        curW += cw;
        hasText = true;
        k += len;
      }
    }
    hasText = true;
    pendingSpace = false;
    i = j;
  }
  if (hasText || out.length === 0) out.push(cur);
  return out;
}

/** Wraps multi-line plain text; every input line wraps on its own. */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) for (const l of wrapLine(line, width)) out.push(l);
  return out;
}
