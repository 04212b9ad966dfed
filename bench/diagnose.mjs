#!/usr/bin/env node
// Benchmark (npm run bench): a healthy `k8snet diagnose` on the lab cluster against the seed's
// manual checklist (the same questions, kubectl commands run one after another), alternating; the
// budget of a healthy run (start-up, reads, source inspection, probes, analysis and render); the
// physical floor of the lab (one parallel round of reads, one exec round trip, one probe); and a
// flow that a policy black-holes. Prints every run. Exits 1 when a kubectl call of the checklist or
// a k8snet run fails (a failing call would otherwise be timed as fast).
// It changes the lab (deletes a policy, then resets): on a shared lab run it under the lab lock.
//   node bench/diagnose.mjs [--runs N] [--healthy-exit N] [--read-only]
// --read-only: skip the black-holed flow (the one part that changes the lab), so it needs no lab lock.
// --healthy-exit: the exit code the healthy run must have (default 0); only to measure while a
// known false alarm makes the healthy lab exit 1, and say so next to the numbers.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lab, labEnv, root } from '../test/e2e/lab-env.mjs';

const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const runs = Number(arg('--runs')) || 7;
const healthyExit = Number(arg('--healthy-exit') ?? 0);
const env = labEnv();
const kubectl = env.K8SNET_LAB_KUBECTL;
const tmp0 = mkdtempSync(path.join(tmpdir(), 'k8snet-bench-cache-'));
// k8snet's compile cache (bin/load-main.js) in a directory of the bench's own: written by the first,
// uncounted run of each command, so the counted runs are the ones a user makes after the first
const kenv = { ...process.env, KUBECONFIG: env.K8SNET_LAB_READONLY_KUBECONFIG, NO_COLOR: '1', K8SNET_CACHE_DIR: tmp0 };
const admin = { ...process.env, KUBECONFIG: env.KUBECONFIG };
const PROBE_TIMEOUT_S = 3;
const tmp = mkdtempSync(path.join(tmpdir(), 'k8snet-bench-'));
if (spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' }).status !== 0) fail('npm run build failed (see above)');

function fail(why) {
  console.error(`error: benchmark failed\n  why:  ${why}\n  next: check the lab (bash test/lab/lab.sh status) and run again`);
  process.exit(1);
}
const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f0 = (x) => x.toFixed(0);

/** One kubectl call of the checklist; a non-zero exit fails the bench. */
function k(...args) {
  const r = spawnSync(kubectl, args, { env: kenv, encoding: 'utf8' });
  if (r.status !== 0) fail(`manual checklist: \`kubectl ${args.join(' ')}\` exited ${r.status ?? r.signal}: ${(r.stderr || '').trim().slice(0, 300)}`);
  return r.stdout;
}

const k8snet = (args, e = kenv) => spawnSync(process.execPath, [path.join(root, 'bin/k8snet.js'), ...args], { env: e, encoding: 'utf8' });
const DIAGNOSE = ['diagnose', 'payments/payments-api', '--from', 'orders/orders-api', '--ingress', 'production/api-ingress', '--path', '/health'];

/** The seed's checklist as an engineer types it, one command after another. */
function manual() {
  k('get', 'endpoints', 'payments-api', '-n', 'payments');
  const pod = k('get', 'pods', '-n', 'orders', '-l', 'app=orders-api', '-o', 'jsonpath={.items[0].metadata.name}').trim();
  const ip = k('get', 'svc', 'payments-api', '-n', 'payments', '-o', 'jsonpath={.spec.clusterIP}').trim();
  if (!pod || !ip) fail(`manual checklist: no source pod (${JSON.stringify(pod)}) or ClusterIP (${JSON.stringify(ip)})`);
  k('exec', '-n', 'orders', pod, '-c', 'toolbox', '--', 'wget', '-q', '-O', '/dev/null', `http://${ip}:80/health`);
  k('exec', '-n', 'orders', pod, '-c', 'toolbox', '--', 'nslookup', 'payments-api.payments.svc.cluster.local');
  k('get', 'networkpolicy', '-n', 'payments');
  k('get', 'networkpolicy', '-n', 'orders');
  k('describe', 'ingress', 'api-ingress', '-n', 'production');
  k('logs', '-n', 'traefik', 'deploy/traefik', '--tail=50');
}

function diagnoseOnce(i) {
  const save = path.join(tmp, `facts-${i}.json`);
  const t = process.hrtime.bigint();
  const r = k8snet([...DIAGNOSE, '-o', 'table', '--save', save]);
  const wall = ms(t);
  if (r.status !== healthyExit)
    fail(`k8snet diagnose exited ${r.status} on the healthy lab (expected ${healthyExit}): ${(r.stderr || r.stdout).trim().slice(0, 400)}`);
  return { wall, facts: JSON.parse(readFileSync(save, 'utf8')), save };
}

// --- healthy path, alternating ---------------------------------------------------------------
manual();
diagnoseOnce('warm'); // page cache and the API server's caches, not counted
const res = { diagnose: [], manual: [], facts: [] };
for (let i = 0; i < runs; i++) {
  const d = diagnoseOnce(i);
  const t = process.hrtime.bigint();
  manual();
  const m = ms(t);
  res.diagnose.push(d.wall);
  res.manual.push(m);
  res.facts.push(d);
  console.log(`run ${i + 1}: k8snet diagnose ${f0(d.wall)} ms (${d.facts.requests} API requests), manual checklist ${f0(m)} ms (9 kubectl calls)`);
}
const md = median(res.diagnose);
const mm = median(res.manual);
// a command's first run after an install has no compile cache yet: measured apart, not alternated
const uncached = [];
for (let i = 0; i < Math.min(runs, 5); i++) {
  const t = process.hrtime.bigint();
  const r = k8snet([...DIAGNOSE, '-o', 'table'], { ...kenv, K8SNET_COMPILE_CACHE: '0' });
  if (r.status !== healthyExit) fail(`k8snet diagnose without the compile cache exited ${r.status}: ${(r.stderr || r.stdout).trim().slice(0, 400)}`);
  uncached.push(ms(t));
}
if (healthyExit !== 0) console.log(`\nnote: measured with --healthy-exit ${healthyExit}: the healthy lab did not exit 0`);
console.log(
  `\nhealthy path, ${runs} runs alternating: k8snet diagnose median ${f0(md)} ms; manual kubectl checklist median ${f0(mm)} ms; k8snet/manual ${(md / mm).toFixed(2)} (target <= 0.30)`,
);
console.log(
  '(the checklist only asks the questions; k8snet also answers them: selector, targetPort, pod IPs, DNS via kube-dns UDP/TCP, both policy directions, the Ingress probe)',
);
console.log(
  `k8snet diagnose without its compile cache (K8SNET_COMPILE_CACHE=0, as a command's first run after an install), ${uncached.length} runs: median ${f0(median(uncached))} ms (${(median(uncached) / mm).toFixed(2)} of the checklist)`,
);

// --- budget of a healthy run -----------------------------------------------------------------
const startup = [];
const analyze = [];
for (let i = 0; i < runs; i++) {
  let t = process.hrtime.bigint();
  if (k8snet(['--version']).status !== 0) fail('k8snet --version failed');
  startup.push(ms(t));
  t = process.hrtime.bigint();
  const a = k8snet(['analyze', res.facts[i].save, '-o', 'table']);
  if (a.status !== healthyExit) fail(`k8snet analyze of a healthy run exited ${a.status}`);
  analyze.push(ms(t));
}
const stepMed = (name, field) => median(res.facts.map((d) => d.facts.timings.find((x) => x.step === name)?.[field] ?? 0));
const gatherEnd = median(res.facts.map((d) => Math.max(...d.facts.timings.map((x) => (x.startMs ?? 0) + x.ms))));
const rows = [
  ['start-up (`k8snet --version`)', median(startup)],
  ['preflight (rules review)', stepMed('preflight', 'ms'), stepMed('preflight', 'startMs')],
  ['reads (one parallel round)', stepMed('read', 'ms'), stepMed('read', 'startMs')],
  ['source: resolve the pod, inspect the container', stepMed('source', 'ms'), stepMed('source', 'startMs')],
  ['Ingress (beside the probes)', stepMed('ingress', 'ms'), stepMed('ingress', 'startMs')],
  ['probes', stepMed('probes', 'ms'), stepMed('probes', 'startMs')],
  ['gathering, first request to last answer', gatherEnd],
  ['analysis + render (`analyze` minus start-up)', median(analyze) - median(startup)],
  ['total (wall, median)', md],
];
console.log('\nbudget of a healthy run (medians, ms; "starts at" is after gathering began; steps overlap)');
for (const [what, v, at] of rows) console.log(`  ${what.padEnd(48)} ${f0(v).padStart(6)}${at !== undefined ? `   starts at ${f0(at)}` : ''}`);

// --- physical floor of the lab ---------------------------------------------------------------
const floor = spawnSync(process.execPath, [path.join(root, 'bench/floor.mjs')], { env: kenv, encoding: 'utf8' });
if (floor.status !== 0) fail(`bench/floor.mjs failed: ${(floor.stderr || floor.stdout).trim().slice(0, 400)}`);
process.stdout.write(`\n${floor.stdout}`);

// --- a flow black-holed by a policy ----------------------------------------------------------
if (process.argv.includes('--read-only')) {
  console.log('\n--read-only: the black-holed flow was not measured');
  rmSync(tmp, { recursive: true, force: true });
  rmSync(tmp0, { recursive: true, force: true });
  process.exit(0);
}
const del = spawnSync(kubectl, ['-n', 'payments', 'delete', 'networkpolicy', 'allow-orders-to-payments'], { env: admin, encoding: 'utf8' });
if (del.status !== 0) fail(`could not delete payments/allow-orders-to-payments: ${del.stderr.trim()}`);
try {
  spawnSync('sleep', ['3']); // the enforcer applies the change
  const holed = [];
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    const r = k8snet(['diagnose', 'payments/payments-api', '--from', 'orders/orders-api', '--probe-timeout', `${PROBE_TIMEOUT_S}s`, '-o', 'json']);
    holed.push(ms(t));
    if (r.status !== 1) fail(`black-holed flow: k8snet exited ${r.status}, expected 1 (a fault): ${(r.stderr || '').trim().slice(0, 300)}`);
  }
  const target = PROBE_TIMEOUT_S * 1000 + 1000;
  console.log(
    `\nblack-holed by a policy (--probe-timeout ${PROBE_TIMEOUT_S}s): ${holed.map(f0).join(', ')} ms; median ${f0(median(holed))} ms (target: under probe-timeout + 1 s = ${target} ms) ${median(holed) <= target ? 'ok' : 'MISSED'}`,
  );
} finally {
  spawnSync('bash', [lab, 'reset'], { stdio: 'ignore' });
  rmSync(tmp, { recursive: true, force: true });
  rmSync(tmp0, { recursive: true, force: true });
}
