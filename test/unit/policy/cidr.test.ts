import { describe, expect, it } from 'vitest';
import { cidrContains, parseCidr, parseIp } from '../../../src/policy/cidr.js';

describe('CIDR math', () => {
  it.each<[string, string, boolean]>([
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['192.168.1.0/24', '192.168.1.255', true],
    ['192.168.1.0/24', '192.168.2.0', false],
    ['192.168.1.7/24', '192.168.1.200', true], // host bits masked, as the API does
    ['203.0.113.7/32', '203.0.113.7', true],
    ['203.0.113.7/32', '203.0.113.8', false],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['0.0.0.0/0', '2001:db8::1', false], // never across families
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['2001:db8::7/128', '2001:0db8:0000:0000:0000:0000:0000:0007', true],
    ['::/0', '::1', true],
    ['::ffff:0:0/96', '::ffff:10.1.2.3', true],
    ['fd00::/8', 'fe80::1', false],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(cidrContains(parseCidr(cidr)!, parseIp(ip)!)).toBe(expected);
  });

  it.each(['10.0.0.0', '10.0.0.0/33', '2001:db8::/129', 'abc/8', '10.0.0.0/x', '1.2.3/8'])('rejects malformed CIDR %s', (c) => {
    expect(parseCidr(c)).toBeNull();
  });

  it.each(['1.2.3.4.5', '256.1.1.1', '2001:db8:::1', 'fe80::1%eth0', '10.0.0.1/32', ''])('rejects malformed address %s', (a) => {
    expect(parseIp(a)).toBeNull();
  });
});
