// renderBox(): a bordered text table whose cells wrap with wrap.ts (linear in the text) and are
// styled line by line after wrapping. Replaces cli-table3's per-cell wordWrap, whose cost grows
// super-linearly with a cell's size (issue 11).

import { padEnd, textWidth, wrapText } from './wrap.js';

/** One line of a cell before wrapping, with the style applied to each of its wrapped pieces. */
export interface CellLine {
  text: string;
  style?: (s: string) => string;
}
export type BoxCell = string | CellLine[];

export interface BoxOptions {
  /** Column widths including one space of padding each side; omitted columns fit their content. */
  colWidths?: (number | undefined)[];
  /** Style for header cells. */
  headStyle?: (s: string) => string;
  /** Style for the border characters (each rule line, each vertical bar). */
  borderStyle?: (s: string) => string;
  /** No rule between body rows (the rule under the header stays). */
  compact?: boolean;
}

const linesOf = (c: BoxCell): CellLine[] => (typeof c === 'string' ? c.split('\n').map((text) => ({ text })) : c);

function rule(widths: number[], left: string, mid: string, right: string): string {
  return left + widths.map((w) => '─'.repeat(w)).join(mid) + right;
}

/** Renders `head` and `rows` as a box-drawn table; every cell is wrapped to its column. */
export function renderBox(head: string[], rows: BoxCell[][], opts: BoxOptions = {}): string {
  const all: CellLine[][][] = [head.map((h) => [{ text: h, style: opts.headStyle }]), ...rows.map((r) => r.map(linesOf))];
  const n = head.length;
  const widths: number[] = [];
  for (let c = 0; c < n; c++) {
    const fixed = opts.colWidths?.[c];
    if (fixed !== undefined) {
      widths.push(Math.max(3, fixed));
      continue;
    }
    let max = 0;
    for (const row of all) for (const l of row[c] ?? []) for (const t of l.text.split('\n')) max = Math.max(max, textWidth(t));
    widths.push(max + 2);
  }
  const b = opts.borderStyle ?? ((x: string) => x);
  const bar = b('│');
  const out: string[] = [b(rule(widths, '┌', '┬', '┐'))];
  all.forEach((row, r) => {
    if (r === 1 || (r > 1 && !opts.compact)) out.push(b(rule(widths, '├', '┼', '┤')));
    const cells = widths.map((w, c) => {
      const pieces: string[] = [];
      for (const l of row[c] ?? []) {
        for (const t of wrapText(l.text, w - 2)) {
          const padded = padEnd(t, w - 2);
          pieces.push(l.style ? l.style(t) + padded.slice(t.length) : padded);
        }
      }
      return pieces;
    });
    const height = Math.max(1, ...cells.map((c) => c.length));
    for (let i = 0; i < height; i++) {
      out.push(`${bar}${cells.map((c, k) => ` ${c[i] ?? ' '.repeat(widths[k] - 2)} `).join(bar)}${bar}`);
    }
  });
  out.push(b(rule(widths, '└', '┴', '┘')));
  return out.join('\n');
}
