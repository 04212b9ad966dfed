// gatherNodeAgents: one fact per agent DaemonSet and involved node, sorted by node, role and
// DaemonSet (compareNames: localeCompare's order, issue 11), log lines filtered by AGENT_LOG_KEEP.

import { describe, expect, it, vi } from 'vitest';
import type { Api } from '../../../src/cluster/api.js';
import { AGENT_LOG_KEEP, gatherNodeAgents } from '../../../src/gather/node-agents.js';
import type { Read } from '../../../src/model/facts.js';
import type { Pod, Workload } from '../../../src/model/k8s.js';

const ds = (ns: string, name: string, image: string, app: string): Workload => ({
  kind: 'DaemonSet',
  metadata: { name, namespace: ns },
  spec: { selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: app, image }] } } },
});
const pod = (ns: string, name: string, node: string, container: string): Pod => ({
  metadata: { name, namespace: ns },
  spec: { nodeName: node, containers: [{ name: container }] },
  status: { phase: 'Running' },
});

const LOG = ['I1201 lease renewed for subnet 10.244.1.0/24', 'I1201 nothing to see', 'E1201 12:00:00 failed to sync', ''].join('\n');

/** An Api stand-in: pod lists by label selector, a log per pod. */
function fakeApi(pods: Record<string, Pod[]>): { api: Api; paths: string[] } {
  const paths: string[] = [];
  const api = {
    list: async <T>(p: string): Promise<Read<T[]>> => {
      paths.push(p);
      const sel = decodeURIComponent(/labelSelector=([^&]*)/.exec(p)?.[1] ?? '');
      return { state: 'ok', value: (pods[sel] ?? []) as T[] };
    },
    getText: async (p: string) => {
      paths.push(p);
      return LOG;
    },
  } as unknown as Api;
  return { api, paths };
}

describe('gatherNodeAgents', () => {
  it('sorts by node, then role, then DaemonSet, and keeps only the data-path and error lines', async () => {
    const daemonSets: Read<Workload[]> = {
      state: 'ok',
      value: [
        ds('kube-system', 'kube-proxy', 'registry.k8s.io/kube-proxy:v1.34.0', 'kube-proxy'),
        ds('kube-flannel', 'kube-flannel-ds', 'ghcr.io/flannel-io/flannel:v0.26.0', 'flannel'),
        ds('kube-system', 'unrelated', 'example/thing:1', 'thing'),
      ],
    };
    const { api } = fakeApi({
      'app=kube-proxy': [pod('kube-system', 'kp-b', 'node-b', 'kube-proxy'), pod('kube-system', 'kp-a', 'node-a', 'kube-proxy')],
      'app=flannel': [pod('kube-flannel', 'fl-a', 'node-a', 'flannel'), pod('kube-flannel', 'fl-b', 'node-b', 'flannel')],
    });
    const locale = vi.spyOn(String.prototype, 'localeCompare');
    let r: Awaited<ReturnType<typeof gatherNodeAgents>>;
    try {
      r = await gatherNodeAgents(api, daemonSets, ['node-b', 'node-a', 'node-b', '']);
      expect(locale).not.toHaveBeenCalled(); // Kubernetes names: no ICU collator
    } finally {
      locale.mockRestore();
    }
    expect(r.state).toBe('ok');
    if (r.state !== 'ok') return;
    expect(r.value.map((f) => [f.node, f.role, f.daemonSet, f.pod?.metadata.name])).toEqual([
      ['node-a', 'cni', 'kube-flannel/kube-flannel-ds', 'fl-a'],
      ['node-a', 'kube-proxy', 'kube-system/kube-proxy', 'kp-a'],
      ['node-b', 'cni', 'kube-flannel/kube-flannel-ds', 'fl-b'],
      ['node-b', 'kube-proxy', 'kube-system/kube-proxy', 'kp-b'],
    ]);
    expect(r.value[0].logs).toEqual({ state: 'ok', value: ['I1201 lease renewed for subnet 10.244.1.0/24', 'E1201 12:00:00 failed to sync'] });
    expect(AGENT_LOG_KEEP.test('I1201 nothing to see')).toBe(false);
  });

  it('names outside the plain-name characters keep localeCompare order', async () => {
    const daemonSets: Read<Workload[]> = { state: 'ok', value: [ds('kube-system', 'kube-proxy', 'registry.k8s.io/kube-proxy:v1.34.0', 'kube-proxy')] };
    const nodes = ['Node-B', 'node-a', 'node_c', 'node-10', 'node-9'];
    const { api } = fakeApi({ 'app=kube-proxy': nodes.map((n, i) => pod('kube-system', `kp-${i}`, n, 'kube-proxy')) });
    const r = await gatherNodeAgents(api, daemonSets, nodes);
    expect(r.state === 'ok' && r.value.map((f) => f.node)).toEqual([...nodes].sort((a, b) => a.localeCompare(b)));
  });
});
