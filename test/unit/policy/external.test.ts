import { describe, expect, it } from 'vitest';
import type { NetworkPolicy } from '../../../src/model/k8s.js';
import { runPolicyCommand } from '../../../src/cli/policy.js';
import { buildPolicyReport } from '../../../src/policy/build-report.js';
import { UserError } from '../../../src/errors.js';
import { ns, pod, policy, world } from './world-helpers.js';

const web = pod('shop', 'web', { app: 'web' }, { ip: '10.1.0.5', ports: [{ name: 'http', containerPort: 8080 }] });
const worker = pod('shop', 'worker', { app: 'worker' }, { ip: 'fd00::5' });
const ingressFromBlock: NetworkPolicy = policy('shop', 'from-partners', {
  podSelector: { matchLabels: { app: 'web' } },
  policyTypes: ['Ingress'],
  ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }], ports: [{ port: 8080 }] }],
});
const egressToBlock: NetworkPolicy = policy('shop', 'to-bank', {
  podSelector: { matchLabels: { app: 'worker' } },
  policyTypes: ['Egress'],
  egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:bad::/48'] } }, { ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ port: 443 }] }],
});
const W = world({ namespaces: [ns('shop')], pods: [web, worker], policies: [ingressFromBlock, egressToBlock] });

describe('external addresses (issue 6)', () => {
  it.each<[string, string, string, string | undefined, boolean]>([
    ['ingress from an IP inside the ipBlock', '203.0.113.7', 'shop/web', '8080', true],
    ['ingress from an IP inside the except', '203.0.113.200', 'shop/web', '8080', false],
    ['ingress from an IP outside the ipBlock', '192.0.2.1', 'shop/web', '8080', false],
    ['ingress from an allowed IP on another port', '203.0.113.7', 'shop/web', '9090', false],
    ['egress to an IPv6 address in the block, allowed port', 'shop/worker', '2001:db8::7', '443', true],
    ['egress to an IPv6 address in the except', 'shop/worker', '2001:db8:bad::1', '443', false],
    ['egress to an IPv6 address on another port', 'shop/worker', '2001:db8::7', '80', false],
    ['egress to IPv4 via the second peer (OR)', 'shop/worker', '198.51.100.9', '443', true],
    ['egress to an IPv4 address outside every block', 'shop/worker', '192.0.2.1', '443', false],
    ['an unisolated pod reaches any address', 'shop/web', '192.0.2.1', '25', true],
    ['an address that is a pod IP is that pod (pod judged by selectors)', '10.1.0.5', 'shop/worker', '8080', true],
  ])('%s', (_n, src, dst, port, expected) => {
    expect(buildPolicyReport({ src, dst, port }, W).allowed).toBe(expected);
  });

  it('explains which ipBlock and which except missed, and skips the external side', () => {
    const r = buildPolicyReport({ src: '203.0.113.200', dst: 'shop/web', port: '8080' }, W);
    const v = r.verdicts[0];
    expect(v.src).toEqual({ kind: 'external', ip: '203.0.113.200' });
    expect(v.egress.evaluated).toBe(false);
    expect(v.egress.skippedReason).toMatch(/outside the cluster.*only the destination's ingress is evaluated/);
    expect(v.ingress.misses[0].lacks[0]).toBe('203.0.113.200 is inside ipBlock 203.0.113.0/24 but excluded by except 203.0.113.128/25');
    expect(r.source.kind).toBe('external');
  });

  it('names the rule and ipBlock peer that allowed', () => {
    const r = buildPolicyReport({ src: 'shop/worker', dst: '198.51.100.9', port: '443' }, W);
    expect(r.verdicts[0].egress.allowedBy[0]).toMatchObject({ policy: { name: 'to-bank' }, ruleIndex: 0, peerIndex: 1, portIndex: 0, matchedBy: 'ipBlock' });
    expect(r.verdicts[0].ingress.evaluated).toBe(false);
  });

  it('an address owned by a pod says so (IPv6 compared by value)', () => {
    const r = buildPolicyReport({ src: 'shop/web', dst: 'fd00:0:0::5', port: '80' }, W);
    expect(r.destination.description).toMatch(/belongs to pod shop\/worker/);
    expect(r.verdicts[0].dst).toMatchObject({ kind: 'pod', name: 'worker' });
  });

  it.each(['203.0.113.999', '203.0.113.7/32', '2001:db8:::7', '10.1.2'])('malformed address %s is a UserError (exit 2)', async (a) => {
    await expect(runPolicyCommand({ src: a, dst: 'shop/web', port: '8080', output: 'table', color: false }, W)).rejects.toBeInstanceOf(UserError);
  });

  it('exit code follows the verdict', async () => {
    expect((await runPolicyCommand({ src: '203.0.113.7', dst: 'shop/web', port: '8080', output: 'json', color: false }, W)).exitCode).toBe(0);
    expect((await runPolicyCommand({ src: '192.0.2.1', dst: 'shop/web', port: '8080', output: 'json', color: false }, W)).exitCode).toBe(1);
  });
});
