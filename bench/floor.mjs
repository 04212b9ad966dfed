#!/usr/bin/env node
// The physical floor of a healthy diagnose on the lab (run by bench/diagnose.mjs): what no
// scheduling can remove. Measured with k8snet's own API client on warm connections, median of 7:
// a new TLS connection, one parallel round of the reads diagnose makes, one exec round trip (`true` in the source
// container), and one probe (wget of the Service through its ClusterIP, less the exec round trip).
// Uses $KUBECONFIG (the lab's read-only user).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundle, root } from '../scripts/build.mjs';

const N = 7;
const dir = mkdtempSync(path.join(tmpdir(), 'k8snet-bench-floor-'));
const src = (f) => JSON.stringify(path.join(root, 'src', f));
await bundle({
  stdin: {
    contents: `export { loadKubeConfig } from ${src('cluster/kubeconfig.ts')};\nexport { Api, qs } from ${src('cluster/api.ts')};\nexport { runExec } from ${src('cluster/exec.ts')};`,
    resolveDir: root,
    loader: 'ts',
  },
  outdir: dir,
  splitting: true,
  sourcemap: false,
  legalComments: 'none',
});
const { loadKubeConfig, Api, qs, runExec } = await import(pathToFileURL(path.join(dir, 'stdin.js')).href);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function timed(fn) {
  const out = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return median(out);
}
function check(r, what) {
  if (r.state !== 'ok' && r.state !== 'completed') throw new Error(`${what}: ${r.state} ${r.message ?? r.error ?? ''}`);
  if (r.state === 'completed' && r.exitCode !== 0) throw new Error(`${what}: exit ${r.exitCode} ${r.stderr}`);
  return r;
}

const loaded = await loadKubeConfig({});
const api = new Api(loaded.kc, Date.now() + 120000);
try {
  await api.getJson('/version', { timeoutMs: 5000 });
  const pods = check(await api.list(`/api/v1/namespaces/orders/pods${qs({ labelSelector: 'app=orders-api' })}`), 'list source pods');
  const pod = pods.value.find((p) => p.status?.podIP)?.metadata.name;
  const svc = check(await api.read('/api/v1/namespaces/payments/services/payments-api'), 'read payments-api');
  const ip = svc.value.spec.clusterIP;
  const reads = () =>
    Promise.all([
      api.read('/api/v1/namespaces/payments/services/payments-api'),
      api.list('/api/v1/namespaces/payments/pods'),
      api.list(`/apis/discovery.k8s.io/v1/namespaces/payments/endpointslices${qs({ labelSelector: 'kubernetes.io/service-name=payments-api' })}`),
      api.list('/api/v1/namespaces'),
      api.list('/apis/networking.k8s.io/v1/namespaces/payments/networkpolicies'),
      api.list('/apis/networking.k8s.io/v1/namespaces/orders/networkpolicies'),
      api.list('/api/v1/nodes'),
      api.list('/apis/apps/v1/daemonsets'),
      api.read('/api/v1/namespaces/kube-system/services/kube-dns'),
      api.list(`/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices${qs({ labelSelector: 'kubernetes.io/service-name=kube-dns' })}`),
      api.list(`/api/v1/namespaces/kube-system/pods${qs({ labelSelector: 'k8s-app=kube-dns' })}`),
    ]).then((rs) => rs.forEach((r, i) => check(r, `read ${i}`)));
  const exec = (argv) => runExec(api, { namespace: 'orders', pod, container: 'toolbox', argv, timeoutMs: 10000 }).then((r) => check(r, argv.join(' ')));
  const connect = await timed(async () => {
    const fresh = new Api(loaded.kc, Date.now() + 10000);
    try {
      await fresh.getJson('/version', { timeoutMs: 5000 });
    } finally {
      fresh.close();
    }
  });
  const readRound = await timed(reads);
  const execRtt = await timed(() => exec(['true']));
  const withProbe = await timed(() => exec(['wget', '-q', '-O', '/dev/null', `http://${ip}:80/health`]));
  const probe = Math.max(0, withProbe - execRtt);
  const node = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    node.push(performance.now() - t);
  }
  const nodeStart = median(node);
  const f0 = (x) => x.toFixed(0).padStart(6);
  console.log(`physical floor of the lab (medians of ${N}, warm connections, ms)`);
  console.log(`  ${'a new TLS connection and one GET'.padEnd(48)} ${f0(connect)}`);
  console.log(`  ${'one parallel round of the 11 reads (warm)'.padEnd(48)} ${f0(readRound)}`);
  console.log(`  ${'one exec round trip (`true` in the source pod)'.padEnd(48)} ${f0(execRtt)}`);
  console.log(`  ${`one probe (wget ${ip}:80/health, less the exec)`.padEnd(48)} ${f0(probe)}`);
  const floor = connect + readRound + execRtt + probe;
  console.log(`  ${'floor: connection + reads + exec + probe'.padEnd(48)} ${f0(floor)}`);
  console.log(`  ${'node -e 0 (a Node.js process starting)'.padEnd(48)} ${f0(nodeStart)}`);
  console.log(`  ${'floor with a Node.js start'.padEnd(48)} ${f0(floor + nodeStart)}`);
} finally {
  api.close();
  rmSync(dir, { recursive: true, force: true });
}
