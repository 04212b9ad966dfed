// parseResolvConf on the recorded file and kubelet-style variants.
import { describe, expect, it } from 'vitest';
import { parseResolvConf, type ResolvConf } from '../../../src/probes/index.js';
import { recorded } from './recorded.js';

const CASES: [string, string, Partial<ResolvConf>][] = [
  [
    'recorded netns file',
    recorded('cat-resolv-conf').probe.exec!.stdout,
    { nameservers: ['127.0.0.1'], search: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5, clusterDomain: 'cluster.local' },
  ],
  [
    'custom cluster domain',
    'nameserver 10.96.0.10\nsearch payments.svc.corp.example svc.corp.example corp.example\noptions ndots:5 timeout:2\n',
    { clusterDomain: 'corp.example', options: ['ndots:5', 'timeout:2'] },
  ],
  [
    'NodeLocal DNSCache',
    'nameserver 169.254.20.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n',
    { nameservers: ['169.254.20.10'] },
  ],
  ['hostNetwork / dnsPolicy Default: no cluster search', 'nameserver 192.0.2.53\nsearch ec2.internal\n', { clusterDomain: null, ndots: 1 }],
  [
    'comments, last search wins',
    '# generated\nsearch a.example\nsearch b.example ; note\nnameserver 10.0.0.2 # x\n',
    { search: ['b.example'], nameservers: ['10.0.0.2'] },
  ],
  ['empty', '', { nameservers: [], search: [], ndots: 1, clusterDomain: null }],
];

describe('parseResolvConf', () => {
  it.each(CASES)('%s', (_name, text, expected) => {
    expect(parseResolvConf(text)).toMatchObject(expected);
  });
});
