// Benchmark of `k8snet sweep`: the pure analysis on synthetic gathered facts (a namespace of 200
// Services / 2,000 pods; -A over 10,000 pods), the API requests of the gather pass against a local
// fake API server (20 vs 200 Services: must not grow), and, when the lab is up, a real lab sweep.
// Prints what it measured. Imports the compiled code from dist/ (built with tsc when missing).

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticSweep } from '../test/fixtures/sweep/world.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist/sweep/analyze.js'))) {
  console.log('dist/ missing: running npx tsc -p tsconfig.build.json ...');
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
const { analyzeSweep } = await import(join(root, 'dist/sweep/analyze.js'));
const { renderSweepTable } = await import(join(root, 'dist/report/sweep.js'));
const { gatherSweep } = await import(join(root, 'dist/gather/sweep.js'));
const { Api } = await import(join(root, 'dist/cluster/api.js'));
const { KubeConfig } = await import('@kubernetes/client-node');

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
function timeIt(runs, fn) {
  const xs = [];
  let out;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    out = fn();
    xs.push(ms(t0));
  }
  xs.sort((a, b) => a - b);
  return { median: xs[Math.floor(xs.length / 2)], max: xs[xs.length - 1], out };
}
const pods = (sf) => sf.swept.reduce((n, s) => n + (s.pods.state === 'ok' ? s.pods.value.length : 0), 0);
const services = (sf) => sf.swept.reduce((n, s) => n + (s.services.state === 'ok' ? s.services.value.length : 0), 0);
const faults = { 3: 'selector-typo', 7: 'not-ready', 11: 'nobody', 13: 'ingress-class', 17: 'dead-peer' };

console.log('k8snet sweep benchmark (shared 2-core machine; medians)\n');

// 1. One namespace: 200 Services, 2,000 pods (+1 client)
{
  const sf = syntheticSweep({ services: 200, pods: 10, faults });
  const a = timeIt(5, () => analyzeSweep(sf));
  const r = timeIt(3, () => renderSweepTable(a.out, { color: false, verbose: false }));
  const c = timeIt(3, () => analyzeSweep({ ...sf, request: { ...sf.request, callers: true } }));
  console.log(`namespace of ${services(sf)} Services / ${pods(sf)} pods:`);
  console.log(`  static analysis (checks + diagnosis per Service, hygiene): median ${a.median.toFixed(0)} ms, max ${a.max.toFixed(0)} ms (target < 3000 ms)`);
  console.log(`  with --callers: median ${c.median.toFixed(0)} ms;  table render: median ${r.median.toFixed(0)} ms`);
  console.log(`  rows: ${a.out.summary.fault} fault, ${a.out.summary.healthy} healthy`);
}

// 2. -A: 50 namespaces x 20 Services x 10 pods = 10,000 pods
{
  const sf = syntheticSweep({ namespaces: 50, services: 20, pods: 10, faults: { 3: 'nobody', 7: 'not-ready' }, all: true });
  const a = timeIt(3, () => analyzeSweep(sf));
  console.log(`\n-A over ${sf.swept.length} namespaces, ${services(sf)} Services, ${pods(sf)} pods:`);
  console.log(`  static analysis: median ${a.median.toFixed(0)} ms, max ${a.max.toFixed(0)} ms; ${a.out.summary.fault} fault rows`);
}

// 3. API requests of the gather pass, 20 vs 200 Services, against a local fake API server (127.0.0.1)
async function requestsFor(nServices) {
  const sf = syntheticSweep({ services: nServices, pods: 2 });
  const n = sf.swept[0];
  const routes = new Map([
    ['/version', { gitVersion: 'v1.34.0' }],
    ['/api/v1/namespaces', { items: sf.namespaceList.value }],
    ['/api/v1/nodes', { items: sf.nodes.value }],
    ['/apis/apps/v1/daemonsets', { items: [] }],
    ['/api/v1/namespaces/kube-system/services/kube-dns', sf.dns.service.value],
    ['/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices', { items: sf.dns.endpointSlices.value }],
    ['/api/v1/namespaces/kube-system/pods', { items: sf.dns.pods.value }],
    ['/apis/networking.k8s.io/v1/ingressclasses', { items: sf.ingressClasses.value }],
    [`/api/v1/namespaces/${n.name}/services`, { items: n.services.value }],
    [`/api/v1/namespaces/${n.name}/pods`, { items: n.pods.value }],
    [`/apis/discovery.k8s.io/v1/namespaces/${n.name}/endpointslices`, { items: n.endpointSlices.value }],
    [`/apis/networking.k8s.io/v1/namespaces/${n.name}/networkpolicies`, { items: n.policies.value }],
    [`/apis/networking.k8s.io/v1/namespaces/${n.name}/ingresses`, { items: n.ingresses.value }],
  ]);
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    const body = routes.get(new URL(req.url, 'http://x').pathname);
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { kind: 'Status', message: 'not found', reason: 'NotFound' }));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: `http://127.0.0.1:${server.address().port}`, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'u' }],
    currentContext: 'fake',
  });
  const api = new Api(kc, Date.now() + 30000);
  const t0 = process.hrtime.bigint();
  const facts = await gatherSweep({
    api,
    context: { name: 'fake' },
    request: { namespaces: [n.name], path: '/', probeTimeoutMs: 2000, concurrency: 4, callers: false },
  });
  const took = ms(t0);
  api.close();
  server.close();
  return { requests: facts.requests, served: hits, ms: took };
}
{
  const small = await requestsFor(20);
  const big = await requestsFor(200);
  console.log(`\nAPI requests of the gather pass (local fake API server, 1 namespace):`);
  console.log(`  20 Services: ${small.requests} requests (${small.ms.toFixed(0)} ms); 200 Services: ${big.requests} requests (${big.ms.toFixed(0)} ms)`);
  console.log(`  independent of the Service count: ${small.requests === big.requests ? 'yes' : 'NO'}`);
  if (small.requests !== big.requests) process.exitCode = 1;
}

// 4. The lab, when it is up: a real static sweep of the baseline namespaces as the least-privilege reader
{
  const env = spawnSync('bash', [join(root, 'test/lab/lab.sh'), 'env'], { encoding: 'utf8' });
  const kcPath = env.status === 0 ? env.stdout.match(/K8SNET_LAB_READONLY_KUBECONFIG=["']?([^"'\n]+)/)?.[1] : undefined;
  const run = kcPath
    ? spawnSync(process.execPath, [join(root, 'bin/k8snet.js'), 'sweep', 'payments,orders,production', '-o', 'json', '--kubeconfig', kcPath], {
        encoding: 'utf8',
        timeout: 90000,
      })
    : undefined;
  let j;
  try {
    j = run && run.stdout ? JSON.parse(run.stdout) : undefined;
  } catch {
    j = undefined;
  }
  if (!j) {
    console.log(`\nlab sweep: skipped (${kcPath ? `k8snet exited ${run?.status}: ${(run?.stderr ?? '').trim().split('\n')[0]}` : 'the lab is not up'})`);
  } else {
    const read = j.timings.map((t) => `${t.step} ${t.ms} ms/${t.requests} req`).join(', ');
    console.log(`\nlab sweep payments,orders,production (${j.summary.services} Services): ${j.requests} API requests; ${read}; exit ${run.status}`);
  }
}
