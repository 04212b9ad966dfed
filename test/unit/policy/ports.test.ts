import { describe, expect, it } from 'vitest';
import type { NetworkPolicyPort } from '../../../src/model/k8s.js';
import { matchPolicyPort } from '../../../src/policy/ports.js';
import type { Protocol } from '../../../src/policy/types.js';
import { pod } from './world-helpers.js';

const web = pod(
  'a',
  'web',
  {},
  {
    ports: [
      { name: 'http', containerPort: 8080 },
      { name: 'dns', containerPort: 5353, protocol: 'UDP' },
      { name: 'sig', containerPort: 3868, protocol: 'SCTP' },
    ],
  },
);
const other = pod('a', 'other', {}, { ports: [{ name: 'http', containerPort: 9090 }] });

describe('policy port matching (ports are the pod port)', () => {
  it.each<[string, NetworkPolicyPort, number, Protocol, typeof web | undefined, boolean]>([
    ['numeric hit', { port: 8080 }, 8080, 'TCP', web, true],
    ['numeric miss', { port: 80 }, 8080, 'TCP', web, false],
    ['protocol defaults to TCP', { port: 8080 }, 8080, 'UDP', web, false],
    ['UDP explicit', { protocol: 'UDP', port: 5353 }, 5353, 'UDP', web, true],
    ['SCTP explicit', { protocol: 'SCTP', port: 3868 }, 3868, 'SCTP', web, true],
    ['SCTP rule, TCP flow', { protocol: 'SCTP', port: 3868 }, 3868, 'TCP', web, false],
    ['port missing = all ports of the protocol', { protocol: 'TCP' }, 31337, 'TCP', web, true],
    ['port missing keeps the protocol', { protocol: 'UDP' }, 31337, 'TCP', web, false],
    ['endPort range low edge', { port: 8000, endPort: 8080 }, 8000, 'TCP', web, true],
    ['endPort range high edge', { port: 8000, endPort: 8080 }, 8080, 'TCP', web, true],
    ['endPort range outside', { port: 8000, endPort: 8080 }, 8081, 'TCP', web, false],
    ['named port resolves on this pod', { port: 'http' }, 8080, 'TCP', web, true],
    ['named port resolves per pod (9090 elsewhere)', { port: 'http' }, 9090, 'TCP', other, true],
    ['named port differs on this pod', { port: 'http' }, 9090, 'TCP', web, false],
    ['named port needs the protocol to match', { port: 'dns' }, 5353, 'TCP', web, false],
    ['named UDP port', { protocol: 'UDP', port: 'dns' }, 5353, 'UDP', web, true],
    ['named port unknown on the pod', { port: 'grpc' }, 8080, 'TCP', web, false],
    ['named port against an external address', { port: 'http' }, 8080, 'TCP', undefined, false],
    ['numeric string port', { port: '8080' }, 8080, 'TCP', web, true],
  ])('%s', (_n, pp, port, proto, dst, expected) => {
    expect(matchPolicyPort(pp, port, proto, dst).ok).toBe(expected);
  });

  it('says what a miss lacked', () => {
    expect(matchPolicyPort({ port: 80 }, 8080, 'TCP', web).lack).toBe('wants TCP 80; flow is TCP 8080');
  });
});
