// node:net's isIP/isIPv6 with the same answers, minus the cost of the first isIPv6 call (issue 11):
// V8 compiles node's large IPv6 pattern on first use, 5-9 ms of CPU in a run, and most strings k8snet
// tests (DNS names, IPv4 addresses) contain no ':', which every IPv6 address does (the shortest, '::',
// has two; a zone id only follows one).

import { isIPv4, isIPv6 as netIsIPv6 } from 'node:net';

export { isIPv4 };

/** node:net's isIPv6: a string without ':' is not one, and is answered without node's pattern. */
export function isIPv6(s: string): boolean {
  return s.includes(':') && netIsIPv6(s);
}

/** node:net's isIP: 4, 6 or 0. */
export function isIP(s: string): 0 | 4 | 6 {
  return isIPv4(s) ? 4 : isIPv6(s) ? 6 : 0;
}
