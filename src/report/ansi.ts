// Plain ANSI styling that collapses to the identity when color is off.

import type { Status } from '../model/finding.js';

export interface Paint {
  bold: (s: string) => string;
  dim: (s: string) => string;
  status: (status: Status, s: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const red = wrap(31, 39);
const green = wrap(32, 39);
const yellow = wrap(33, 39);
const magenta = wrap(35, 39);
const gray = wrap(90, 39);

export function paint(color: boolean): Paint {
  if (!color) return { bold: (s) => s, dim: (s) => s, status: (_st, s) => s };
  const by: Record<Status, (s: string) => string> = { fail: red, unknown: magenta, warn: yellow, pass: green, info: gray };
  return { bold: wrap(1, 22), dim: wrap(2, 22), status: (st, s) => by[st](s) };
}
