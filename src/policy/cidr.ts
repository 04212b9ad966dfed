// IPv4/IPv6 address and CIDR parsing and containment, on bigints (no dependency).

import { isIPv4, isIPv6 } from '../util/ip.js';

export interface Ip {
  version: 4 | 6;
  value: bigint;
}

export interface Cidr {
  version: 4 | 6;
  base: bigint;
  bits: number;
  text: string;
}

function parseV4(s: string): bigint {
  return s.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseV6(s: string): bigint {
  let text = s;
  // An embedded IPv4 tail ("::ffff:1.2.3.4") becomes two hextets.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseV4(tail);
    text = `${text.slice(0, lastColon + 1)}${((v4 >> 16n) & 0xffffn).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const h = head ? head.split(':') : [];
  const r = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const groups = rest === undefined ? h : [...h, ...Array<string>(8 - h.length - r.length).fill('0'), ...r];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Parses an IPv4 or IPv6 address (no zone, no prefix); null when malformed. */
export function parseIp(s: string): Ip | null {
  if (isIPv4(s)) return { version: 4, value: parseV4(s) };
  if (isIPv6(s) && !s.includes('%')) return { version: 6, value: parseV6(s) };
  return null;
}

/** Parses "10.0.0.0/8" or "2001:db8::/32"; host bits are masked off as Kubernetes does. Null when malformed. */
export function parseCidr(s: string): Cidr | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(s.slice(0, slash));
  const bitsText = s.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  const width = ip.version === 4 ? 32 : 128;
  if (bits > width) return null;
  const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(width - bits);
  return { version: ip.version, base: ip.value & mask, bits, text: s };
}

/** True when the address lies inside the block (never across IP families). */
export function cidrContains(c: Cidr, ip: Ip): boolean {
  if (c.version !== ip.version) return false;
  const width = c.version === 4 ? 32 : 128;
  return ip.value >> BigInt(width - c.bits) === c.base >> BigInt(width - c.bits);
}

/** Looks like an attempt at an address (digits and dots, or contains a colon) - for "malformed address" errors. */
export function looksLikeAddress(s: string): boolean {
  return /^[0-9.]+$/.test(s) || (s.includes(':') && /^[0-9a-fA-F:.%/]+$/.test(s));
}
