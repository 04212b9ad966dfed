// Helpers shared by the DNS parsers: which names count as "the name asked", and address families.
import { isIP } from 'node:net';

/** Lower-cased name without a trailing dot. */
export function bareName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * Whether an answer's owner name is the name asked: the name itself or, when it was asked without a
 * trailing dot (so the search list applies), the name with a search suffix appended.
 */
export function isAskedName(asked: string, owner: string): boolean {
  const a = bareName(asked);
  const o = bareName(owner);
  return o === a || (!asked.endsWith('.') && o.startsWith(`${a}.`));
}

/** Keeps the addresses of the asked family (A: IPv4, AAAA: IPv6). */
export function ofType(addresses: string[], type: 'A' | 'AAAA'): string[] {
  const want = type === 'A' ? 4 : 6;
  return [...new Set(addresses.filter((a) => isIP(a) === want))];
}
