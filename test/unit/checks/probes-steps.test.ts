// Steps 2 and 3 and the source: ClusterIP/pod-IP probes, DNS probes and settings, distroless sources.

import { describe, expect, it } from 'vitest';
import { checkClusterIP } from '../../../src/checks/clusterip.js';
import { checkDns } from '../../../src/checks/dns.js';
import { checkSource } from '../../../src/checks/source.js';
import type { Facts, SourceFacts } from '../../../src/model/facts.js';
import type { ProbeFact } from '../../../src/model/probe.js';
import { loadFacts } from '../helpers.js';

const src = (f: Facts) => (f.source as { value: SourceFacts }).value;
const probe = (f: Facts, id: string) => f.probes.find((p) => p.id === id)!;

describe('step 2: ClusterIP reachability', () => {
  it('every probe finding carries its kubectl reproduction line', () => {
    const f = loadFacts('healthy');
    const out = checkClusterIP(f);
    expect(out.map((x) => x.code)).toEqual(['clusterip/reachable', 'endpoint/reachable', 'endpoint/reachable']);
    for (const x of out) expect(x.evidence[0]).toMatch(/^\$ kubectl exec -n orders orders-api-5c8d7f9b6-qwert -c orders-api -- curl /);
  });

  it('HTTP 404 is still a working connection', () => {
    const f = loadFacts('healthy');
    probe(f, 'clusterip/80').exec!.stdout = '404 1';
    const x = checkClusterIP(f)[0];
    expect(x.status).toBe('pass');
    expect(x.summary).toBe("ClusterIP 10.96.12.4:80 answered HTTP 404 (the connection works; the status is the app's answer)");
  });

  const outcomes: [string, Partial<ProbeFact['exec']> | null, string, string][] = [
    ['refused', { exitCode: 7, stderr: '* connect to 10.96.12.4 port 80 failed: Connection refused\n' }, 'clusterip/refused', 'fail'],
    ['timeout', { exitCode: 28, stdout: '000 0', stderr: 'curl: (28) Connection timed out after 2001 milliseconds' }, 'clusterip/timeout', 'fail'],
    ['no route', { exitCode: 7, stderr: '* connect to 10.96.12.4 port 80 failed: No route to host\n' }, 'clusterip/unreachable', 'fail'],
    ['crashed tool', { exitCode: 139 }, 'clusterip/not-probed', 'unknown'],
    ['tool missing', null, 'clusterip/not-probed', 'unknown'],
  ];
  it.each(outcomes)('%s', (_n, exec, code, status) => {
    const f = loadFacts('healthy');
    const p = probe(f, 'clusterip/80');
    if (exec === null) {
      delete p.exec;
      p.tool = null;
    } else Object.assign(p.exec!, { stdout: '000 0', stderr: '', ...exec });
    const x = checkClusterIP(f)[0];
    expect([x.code, x.status]).toEqual([code, status]);
  });

  it('distroless source: unknown, saying what could not be checked and that --ephemeral helps', () => {
    const f = loadFacts('distroless-source');
    const out = checkClusterIP(f);
    expect(out.map((x) => `${x.code}:${x.status}`)).toEqual(['clusterip/not-probed:unknown', 'endpoint/not-probed:unknown']);
    expect(out[0].summary).toBe(
      'Could not check ClusterIP 10.96.12.4 from the source pod: the source container has no shell; --ephemeral would add an ephemeral debug container to run the probes',
    );
    expect(out[0].next).toEqual(['k8snet diagnose payments/payments-api --from orders/orders-api --ephemeral']);
    expect(checkSource(f).map((x) => x.code)).toContain('source/no-shell');
  });
});

describe('step 3: DNS', () => {
  const dnsCodes = (f: Facts) => checkDns(f).map((x) => `${x.code}:${x.status}`);

  it('healthy: answers match the ClusterIP; the short name from another namespace is a warning', () => {
    const got = dnsCodes(loadFacts('healthy'));
    expect(got.filter((c) => c === 'dns/resolves:pass')).toHaveLength(3);
    expect(got).toContain('dns/short-name-other-namespace:warn');
    expect(got).toContain('dns/kube-dns-ok:pass');
  });

  it('a wrong answer is told apart from a failure', () => {
    const f = loadFacts('healthy');
    const p = probe(f, 'dns/fqdn/pod-resolver');
    p.exec!.stdout = p.exec!.stdout.replace('10.96.12.4', '10.96.99.99');
    expect(dnsCodes(f)).toContain('dns/wrong-answer:fail');
  });

  it('SERVFAIL and NXDOMAIN have their own codes', () => {
    const f = loadFacts('healthy');
    probe(f, 'dns/fqdn/kube-dns-udp').exec!.stdout = probe(f, 'dns/fqdn/kube-dns-udp').exec!.stdout.replace('NOERROR', 'SERVFAIL');
    probe(f, 'dns/fqdn/kube-dns-tcp').exec!.stdout = probe(f, 'dns/fqdn/kube-dns-tcp').exec!.stdout.replace('NOERROR', 'NXDOMAIN');
    const got = dnsCodes(f);
    expect(got).toContain('dns/servfail:fail');
    expect(got).toContain('dns/nxdomain:fail');
  });

  const configs: [string, (f: Facts) => void, string][] = [
    [
      'dnsPolicy Default',
      (f) => {
        src(f).pod.spec.dnsPolicy = 'Default';
      },
      'dns/pod-dns-policy:warn',
    ],
    [
      'hostNetwork without ClusterFirstWithHostNet',
      (f) => {
        src(f).pod.spec.hostNetwork = true;
      },
      'dns/pod-dns-policy:warn',
    ],
    [
      'resolv.conf points elsewhere',
      (f) => {
        src(f).resolvConf = 'nameserver 8.8.8.8\n';
      },
      'dns/resolv-conf-nameserver:warn',
    ],
    [
      'NodeLocal DNSCache',
      (f) => {
        src(f).resolvConf = 'nameserver 169.254.20.10\n';
      },
      'dns/resolv-conf-nameserver:info',
    ],
    [
      'kube-dns Service missing',
      (f) => {
        f.dns.service = { state: 'not-found' };
      },
      'dns/kube-dns-missing:fail',
    ],
    [
      'CoreDNS pods forbidden',
      (f) => {
        f.dns.pods = { state: 'forbidden', message: 'forbidden' };
      },
      'dns/kube-dns-unreadable:unknown',
    ],
  ];
  it.each(configs)('%s', (_n, mutate, want) => {
    const f = loadFacts('healthy');
    mutate(f);
    expect(dnsCodes(f)).toContain(want);
  });
});
