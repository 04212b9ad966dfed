#!/usr/bin/env node
// Benchmark (npm run bench): a healthy `k8snet diagnose` on the lab cluster against the seed's
// manual checklist (the same questions, kubectl commands run one after another), and a flow that
// a policy black-holes. Prints every run, the medians and the ratio.
//   node bench/diagnose.mjs [--runs N]

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { lab, labEnv, root } from '../test/e2e/lab-env.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const env = labEnv();
const kubectl = env.K8SNET_LAB_KUBECTL;
const kenv = { ...process.env, KUBECONFIG: env.K8SNET_LAB_READONLY_KUBECONFIG, NO_COLOR: '1' };
spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });

function timed(fn) {
  const t = process.hrtime.bigint();
  const r = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, r };
}
const k = (...args) => spawnSync(kubectl, args, { env: kenv, encoding: 'utf8' });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function diagnose(extra = []) {
  return spawnSync(process.execPath, [path.join(root, 'bin/k8snet.js'), 'diagnose', 'payments/payments-api', '--from', 'orders/orders-api', '-o', 'json', ...extra], { env: kenv, encoding: 'utf8' });
}

/** The seed's checklist as an engineer types it, one command after another. */
function manual() {
  k('get', 'endpoints', 'payments-api', '-n', 'payments');
  const pod = k('get', 'pods', '-n', 'orders', '-l', 'app=orders-api', '-o', 'jsonpath={.items[0].metadata.name}').stdout.trim();
  const ip = k('get', 'svc', 'payments-api', '-n', 'payments', '-o', 'jsonpath={.spec.clusterIP}').stdout.trim();
  k('exec', '-n', 'orders', pod, '-c', 'toolbox', '--', 'wget', '-q', '-O', '/dev/null', `http://${ip}:80/health`);
  k('exec', '-n', 'orders', pod, '-c', 'toolbox', '--', 'nslookup', 'payments-api.payments.svc.cluster.local');
  k('get', 'networkpolicy', '-n', 'payments');
  k('get', 'networkpolicy', '-n', 'orders');
  k('describe', 'ingress', 'api-ingress', '-n', 'production');
  k('logs', '-n', 'traefik', 'deploy/traefik', '--tail=50');
}

const results = { diagnose: [], manual: [] };
diagnose(); // warm the page cache once, not counted
for (let i = 0; i < runs; i++) {
  const d = timed(() => diagnose());
  if (d.r.status !== 0) console.error(`warning: diagnose exited ${d.r.status} (the lab is not healthy?): ${d.r.stderr.trim().slice(0, 200)}`);
  results.diagnose.push(d.ms);
  results.manual.push(timed(manual).ms);
  console.log(`run ${i + 1}: k8snet diagnose ${d.ms.toFixed(0)} ms, manual checklist ${results.manual[i].toFixed(0)} ms`);
}
const md = median(results.diagnose);
const mm = median(results.manual);
console.log(`\nhealthy path, ${runs} runs: k8snet diagnose median ${md.toFixed(0)} ms; manual kubectl checklist median ${mm.toFixed(0)} ms; ratio manual/k8snet ${(mm / md).toFixed(2)}x`);
console.log('(the manual checklist only asks the questions; k8snet also answers them: selector, targetPort, pod IPs, DNS via kube-dns UDP/TCP, both policy directions, Ingress probe)');

// A flow black-holed by a policy: should finish within probe-timeout + 2 s.
const admin = { ...process.env, KUBECONFIG: env.KUBECONFIG };
spawnSync(kubectl, ['-n', 'payments', 'delete', 'networkpolicy', 'allow-orders-to-payments'], { env: admin });
spawnSync('sleep', ['3']);
const holed = [];
for (let i = 0; i < Math.min(runs, 3); i++) holed.push(timed(() => diagnose(['--probe-timeout', '3s'])).ms);
spawnSync('bash', [lab, 'reset'], { stdio: 'ignore' });
console.log(`black-holed by policy (--probe-timeout 3s): median ${median(holed).toFixed(0)} ms over ${holed.length} runs (target: under 5000 ms)`);
