// src/util/ip.ts answers exactly as node:net does (it only skips node's IPv6 pattern for strings
// without ':'): edge cases by name, then random addresses and strings.

import fc from 'fast-check';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { isIP, isIPv4, isIPv6 } from '../../../src/util/ip.js';

const same = (s: string) => {
  expect([s, isIPv6(s)]).toEqual([s, net.isIPv6(s)]);
  expect([s, isIP(s)]).toEqual([s, net.isIP(s)]);
  expect([s, isIPv4(s)]).toEqual([s, net.isIPv4(s)]);
};

describe('isIP / isIPv6 agree with node:net', () => {
  it.each([
    ['::', 6],
    ['::1', 6],
    ['::ffff:1.2.3.4', 6],
    ['64:ff9b::10.96.0.10', 6],
    ['fe80::1%eth0', 6],
    ['fe80::1%25eth0', 6],
    ['fd00:10:96::a', 6],
    ['2001:db8:0:0:0:0:0:1', 6],
    ['[::1]', 0],
    ['[fe80::1%eth0]', 0],
    ['1.2.3.4', 4],
    ['10.96.0.10', 4],
    ['1.2.3.4%eth0', 0],
    ['01.2.3.4', 0],
    ['payments-api.payments.svc.cluster.local', 0],
    ['', 0],
    [':', 0],
    [':::', 0],
    ['1:2:3:4:5:6:7:8:9', 0],
    ['a:b', 0],
    ['%eth0', 0],
    ['::ffff:1.2.3', 0],
  ] as const)('%s is %d', (s, v) => {
    expect(isIP(s)).toBe(v);
    same(s);
  });

  it('random IPv4, IPv6, zone ids, brackets and strings', () => {
    const zone = fc.stringMatching(/^[a-z0-9.]{0,6}$/);
    const addr = fc.oneof(
      fc.ipV4(),
      fc.ipV4Extended(),
      fc.ipV6(),
      fc.tuple(fc.ipV6(), zone).map(([a, z]) => `${a}%${z}`),
      fc.ipV6().map((a) => `[${a}]`),
      fc.string(),
      fc.stringMatching(/^[0-9a-f:.%]{0,20}$/),
    );
    fc.assert(
      fc.property(addr, (s) => isIPv6(s) === net.isIPv6(s) && isIP(s) === net.isIP(s) && isIPv4(s) === net.isIPv4(s)),
      { numRuns: 5000 },
    );
  });
});
