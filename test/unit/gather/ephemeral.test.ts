// Issue 16 items 4 and 8: the --ephemeral wait is bounded by the run's deadline (not a fixed 30 s),
// and a k8snet debug container that is no longer running is never reused: a new one is added.
// Against a local stand-in API server (plain http on loopback, no credentials).

import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../../src/cluster/api.js';
import { loadKubeConfig } from '../../../src/cluster/kubeconfig.js';
import { ensureEphemeral } from '../../../src/gather/ephemeral.js';
import type { Pod } from '../../../src/model/k8s.js';

const IMAGE = 'busybox:1.36';
let pod: Pod;
/** what the fake kubelet does with a newly added debug container */
let startNew: 'running' | 'never' = 'running';
const patches: string[] = [];
let server: http.Server;
let kubeconfig = '';

function basePod(): Pod {
  return {
    metadata: { name: 'src', namespace: 'orders' },
    spec: { containers: [{ name: 'app', image: 'distroless' }], ephemeralContainers: [{ name: 'k8snet-debug-old01', image: IMAGE }] },
    status: {
      phase: 'Running',
      ephemeralContainerStatuses: [{ name: 'k8snet-debug-old01', ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } }],
    },
  };
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'PATCH' && req.url?.endsWith('/ephemeralcontainers')) {
        patches.push(body);
        const added = (JSON.parse(body) as { spec: { ephemeralContainers: { name: string; image: string }[] } }).spec.ephemeralContainers;
        for (const c of added) {
          pod.spec.ephemeralContainers = [...(pod.spec.ephemeralContainers ?? []), c];
          pod.status!.ephemeralContainerStatuses = [
            ...(pod.status!.ephemeralContainerStatuses ?? []),
            {
              name: c.name,
              ready: false,
              restartCount: 0,
              state: startNew === 'running' ? { running: { startedAt: 'now' } } : { waiting: { reason: 'ContainerCreating' } },
            },
          ];
        }
      }
      res.end(JSON.stringify(pod));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(path.join(tmpdir(), 'k8snet-eph-'));
  kubeconfig = path.join(dir, 'kc.yaml');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:${(server.address() as AddressInfo).port}"}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`,
  );
});
afterAll(() => server.close());

describe('ensureEphemeral', () => {
  it('does not reuse a terminated debug container: adds a new one', async () => {
    pod = basePod();
    startNew = 'running';
    patches.length = 0;
    const api = new Api((await loadKubeConfig({ kubeconfig })).kc, Date.now() + 10000);
    const r = await ensureEphemeral(api, structuredClone(pod), IMAGE, 30000);
    expect(r.error).toBeUndefined();
    expect(r.reused).toBe(false);
    expect(r.container).not.toBe('k8snet-debug-old01');
    expect(r.container).toMatch(/^k8snet-debug-/);
    expect(patches).toHaveLength(1);
  });

  it('reuses a running one (no write)', async () => {
    pod = basePod();
    pod.status!.ephemeralContainerStatuses![0].state = { running: { startedAt: 'then' } };
    patches.length = 0;
    const api = new Api((await loadKubeConfig({ kubeconfig })).kc, Date.now() + 10000);
    const r = await ensureEphemeral(api, structuredClone(pod), IMAGE, 30000);
    expect([r.container, r.reused, patches.length]).toEqual(['k8snet-debug-old01', true, 0]);
  });

  it('the wait ends at the run deadline, not after a fixed 30 s', async () => {
    pod = basePod();
    startNew = 'never';
    const api = new Api((await loadKubeConfig({ kubeconfig })).kc, Date.now() + 1500);
    const t0 = Date.now();
    const r = await ensureEphemeral(api, structuredClone(pod), IMAGE, 30000);
    expect(Date.now() - t0).toBeLessThan(1500 + 700);
    expect(r.error).toMatch(/--timeout/);
  });
});
