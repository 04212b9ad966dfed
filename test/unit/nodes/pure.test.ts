// Pure pieces of the cross-node diagnosis: endpoint choice covering every node, the MTU probe's
// padding, what failing pods share, and the CNI detection of Flannel next to (or without) its enforcer.
import { describe, expect, it } from 'vitest';
import { pickEndpoints } from '../../../src/gather/probes.js';
import { padHeader, MAX_PAD_BYTES } from '../../../src/probes/build-http-probe.js';
import { buildHttpProbe } from '../../../src/probes/build-http-probe.js';
import { sharedTraits } from '../../../src/checks/pod-network.js';
import { detectCniFrom } from '../../../src/checks/cni.js';
import { agentRole } from '../../../src/util/cni-fingerprint.js';
import type { Pod, Workload } from '../../../src/model/k8s.js';

const ep = (ip: string, node?: string) => ({ ip, node, pod: `p-${ip}` });

describe('pickEndpoints: bounded, every node first', () => {
  it.each([
    ['one node, fewer than the bound', [ep('10.0.0.3', 'a'), ep('10.0.0.2', 'a')], 8, ['10.0.0.2', '10.0.0.3']],
    [
      'two nodes: one of each before a second of either',
      [ep('10.0.0.2', 'a'), ep('10.0.0.3', 'a'), ep('10.0.0.4', 'a'), ep('10.0.1.2', 'b')],
      2,
      ['10.0.0.2', '10.0.1.2'],
    ],
    ['more nodes than the bound: the first nodes by name', [ep('1.1.1.1', 'c'), ep('1.1.1.2', 'b'), ep('1.1.1.3', 'a')], 2, ['1.1.1.3', '1.1.1.2']],
    ['duplicate addresses count once', [ep('10.0.0.2', 'a'), ep('10.0.0.2', 'a'), ep('10.0.1.2', 'b')], 8, ['10.0.0.2', '10.0.1.2']],
    ['no node known', [ep('10.0.0.9'), ep('10.0.0.10')], 8, ['10.0.0.9', '10.0.0.10']],
  ])('%s', (_n, cands, max, want) => {
    expect(pickEndpoints(cands, max).map((c) => c.ip)).toEqual(want);
  });
  it('12 replicas on 3 nodes: 8 probes, every node at least twice', () => {
    const cands = Array.from({ length: 12 }, (_, i) => ep(`10.0.${i % 3}.${10 + i}`, `n${i % 3}`));
    const got = pickEndpoints(cands);
    expect(got).toHaveLength(8);
    for (const n of ['n0', 'n1', 'n2']) expect(got.filter((c) => c.node === n).length).toBeGreaterThanOrEqual(2);
  });
});

describe('the MTU probe pads the request in one header', () => {
  it('pads to exactly n bytes and rejects nonsense', () => {
    expect(padHeader(4000)).toHaveLength(4000);
    expect(padHeader(undefined)).toBeUndefined();
    expect(() => padHeader(10)).toThrow(RangeError);
    expect(() => padHeader(MAX_PAD_BYTES + 1)).toThrow(RangeError);
  });
  it('curl and busybox wget carry the header', () => {
    const t = { host: '10.244.1.3', port: 8080, path: '/health', padBytes: 4000 };
    const curl = buildHttpProbe({ curl: true }, t, 3)!;
    expect(curl.argv.some((a) => a.startsWith('X-K8snet-Pad: ') && a.length === 4000)).toBe(true);
    const wget = buildHttpProbe({ wget: true, timeout: true }, t, 3)!;
    expect(wget.argv[wget.argv.indexOf('--header') + 1]).toHaveLength(4000);
  });
});

const pod = (name: string, node: string, rs: string, port = 8080, ready = true): Pod => ({
  metadata: {
    name,
    namespace: 'payments',
    labels: { app: 'x', 'pod-template-hash': rs.split('-').at(-1)! },
    ownerReferences: [{ kind: 'ReplicaSet', name: rs }],
  },
  spec: { nodeName: node, containers: [{ name: 'app', image: 'lab.local/echo:v1', ports: [{ containerPort: port, protocol: 'TCP' }] }] },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('sharedTraits: what the failing pods have in common that the answering ones do not', () => {
  it('same node, different ReplicaSet: names the ReplicaSet, not the node', () => {
    const t = sharedTraits([pod('bad-1', 'node-a', 'api-7f9')], [pod('good-1', 'node-a', 'api-5c4')]);
    expect(t.join(' | ')).toMatch(/ReplicaSet api-7f9/);
    expect(t.join(' | ')).not.toMatch(/node node-a/);
  });
  it('different node, same ReplicaSet: names the node only', () => {
    const t = sharedTraits([pod('p2', 'node-b', 'api-5c4')], [pod('p1', 'node-a', 'api-5c4')]);
    expect(t).toEqual(['node node-b (the answering ones: node-a)']);
  });
  it('declared ports differ', () => {
    const t = sharedTraits([pod('p2', 'node-a', 'api-5c4', 9090)], [pod('p1', 'node-a', 'api-5c4', 8080)]);
    expect(t.join(' | ')).toMatch(/declared ports 9090\/TCP/);
  });
});

const ds = (name: string, ns: string, labels: Record<string, string>, image: string, numberReady?: number, args: string[] = []): Workload => ({
  kind: 'DaemonSet',
  metadata: { name, namespace: ns, labels },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image, args }] } } },
  ...(numberReady !== undefined ? { status: { numberReady, desiredNumberScheduled: 2 } } : {}),
});
const flannel = ds('kube-flannel-ds', 'kube-flannel', { app: 'flannel', 'k8s-app': 'flannel' }, 'lab.local/flannel:v0.28.10', 2);
const kubeRouter = (ready: number) =>
  ds('kube-router', 'kube-system', { 'k8s-app': 'kube-router' }, 'lab.local/kube-router:v2.1.0-lab', ready, ['--run-firewall=true', '--run-router=false']);
const ok = <T>(value: T) => ({ state: 'ok' as const, value });

describe('CNI detection: Flannel from its DaemonSet, with and without its enforcer', () => {
  it('Flannel + kube-router (policy only): both named, enforced', () => {
    const c = detectCniFrom(ok([flannel, kubeRouter(2)]), ok([]));
    expect(c.name).toBe('flannel + kube-router');
    expect(c.enforcesPolicy).toBe(true);
    expect(c.evidence.join('\n')).toMatch(/kube-flannel\/kube-flannel-ds/);
  });
  it('kube-router DaemonSet with no ready pod: Flannel alone, not enforced', () => {
    const c = detectCniFrom(ok([flannel, kubeRouter(0)]), ok([]));
    expect(c.name).toBe('flannel');
    expect(c.enforcesPolicy).toBe(false);
    expect(c.evidence.join('\n')).toMatch(/no ready pod/);
  });
  it('facts without DaemonSet status keep the old answer (enforced)', () => {
    const kr = kubeRouter(1);
    delete kr.status;
    expect(detectCniFrom(ok([flannel, kr]), ok([])).enforcesPolicy).toBe(true);
  });
  it('agent roles', () => {
    expect(agentRole(flannel)).toBe('cni');
    expect(agentRole(kubeRouter(1))).toBe('policy');
    expect(agentRole(ds('kube-proxy', 'kube-system', { 'k8s-app': 'kube-proxy' }, 'registry.k8s.io/kube-proxy:v1.34.4'))).toBe('kube-proxy');
    expect(agentRole(ds('traefik', 'traefik', { app: 'traefik' }, 'traefik:v3'))).toBeUndefined();
  });
});
