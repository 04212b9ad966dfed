// Status ordering and the one-character marks renderers use.

import type { Status } from '../model/finding.js';

const RANK: Record<Status, number> = { fail: 4, unknown: 3, warn: 2, pass: 1, info: 0 };

/** fail > unknown > warn > pass > info; info for no statuses at all. */
export function worstStatus(statuses: Status[]): Status {
  return statuses.reduce<Status>((w, s) => (RANK[s] > RANK[w] ? s : w), 'info');
}

export function byWorst<T extends { status: Status }>(xs: T[]): T[] {
  return [...xs].sort((a, b) => RANK[b.status] - RANK[a.status]);
}

export const MARK: Record<Status, string> = { fail: '✗', unknown: '?', warn: '!', pass: '✓', info: '·' };

export const WORD: Record<Status, string> = { fail: 'FAIL', unknown: 'UNKNOWN', warn: 'WARN', pass: 'PASS', info: 'INFO' };
