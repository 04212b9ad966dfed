#!/usr/bin/env node
// Engine vs enforcer: applies test/e2e/policy-agreement/world.yaml to the lab cluster, asks
// `k8snet policy` for the verdict of every pod-to-pod flow on two ports, sends a real packet for
// each (wget from the source's toolbox container), and fails on any disagreement.

import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { labEnv, root } from './lab-env.mjs';

// Run k8snet as users get it: the bundle `npm run build` makes, which bin/k8snet.js loads.
if (spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' }).status !== 0) {
  console.error('error: could not build k8snet\n  why:  scripts/build.mjs failed (see above)\n  next: fix the build, then run again');
  process.exit(2);
}

const world = path.join(root, 'test/e2e/policy-agreement/world.yaml');

const env = labEnv();
const kubectl = env.K8SNET_LAB_KUBECTL;
const admin = { ...process.env, KUBECONFIG: env.KUBECONFIG };

function run(cmd, argv, opts = {}) {
  return new Promise((resolve) => {
    const c = spawn(cmd, argv, { env: opts.env ?? admin });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (err += d));
    const t = setTimeout(() => c.kill('SIGKILL'), opts.timeoutMs ?? 30000);
    c.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, out, err });
    });
  });
}

async function pool(items, n, fn) {
  const res = new Array(items.length);
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) {
        const k = i++;
        res[k] = await fn(items[k]);
      }
    }),
  );
  return res;
}

// a previous run's namespaces may still be terminating
spawnSync(kubectl, ['delete', 'namespace', 'agree-x', 'agree-y', '--ignore-not-found', '--wait=true', '--timeout=90s'], { env: admin });
const applied = spawnSync(kubectl, ['apply', '-f', world], { env: admin, encoding: 'utf8' });
if (applied.status !== 0) {
  console.error(`error: could not apply ${world}: ${applied.stderr}`);
  process.exit(1);
}
let failed = 0;
let passed = 0;
try {
  for (const ns of ['agree-x', 'agree-y']) {
    const w = spawnSync(kubectl, ['-n', ns, 'wait', '--for=condition=Ready', 'pod', '--all', '--timeout=120s'], { env: admin, encoding: 'utf8' });
    if (w.status !== 0) throw new Error(`pods in ${ns} did not become Ready: ${w.stderr}`);
  }
  // give the enforcer a moment to program rules for the new pods and policies
  await new Promise((r) => setTimeout(r, 3000));
  const pods = ['agree-x/client', 'agree-x/server', 'agree-y/client', 'agree-y/server'];
  const ips = {};
  for (const p of pods) {
    const [ns, name] = p.split('/');
    ips[p] = spawnSync(kubectl, ['-n', ns, 'get', 'pod', name, '-o', 'jsonpath={.status.podIP}'], { env: admin, encoding: 'utf8' }).stdout.trim();
  }
  const flows = [];
  for (const src of pods) for (const dst of pods) if (src !== dst) for (const port of [8080, 9090]) flows.push({ src, dst, port });
  const results = await pool(flows, 4, async (f) => {
    const [sns, sname] = f.src.split('/');
    const engine = await run(
      process.execPath,
      [path.join(root, 'bin/k8snet.js'), 'policy', f.src, f.dst, '--port', String(f.port), '-o', 'json', '--kubeconfig', env.K8SNET_LAB_READONLY_KUBECONFIG],
      { env: { ...process.env, KUBECONFIG: '' } },
    );
    let predicted;
    try {
      predicted = JSON.parse(engine.out).allowed;
    } catch {
      predicted = `error (exit ${engine.code}): ${engine.err.trim().split('\n')[0]}`;
    }
    const probe = await run(
      kubectl,
      ['-n', sns, 'exec', sname, '-c', 'toolbox', '--', 'timeout', '2', 'wget', '-q', '-O', '/dev/null', `http://${ips[f.dst]}:${f.port}/health`],
      { timeoutMs: 15000 },
    );
    // exit 0: connected and got a reply; timeout's 143: dropped; anything else is shown as is
    const observed =
      probe.code === 0 ? true : probe.code === 143 || probe.code === 124 ? false : `probe exit ${probe.code}: ${probe.err.trim().split('\n')[0]}`;
    return { ...f, predicted, observed, agree: predicted === observed };
  });
  console.log(`\n${'source'.padEnd(16)} ${'destination'.padEnd(16)} ${'port'.padEnd(5)} ${'engine'.padEnd(8)} ${'packets'.padEnd(8)} result`);
  for (const r of results) {
    const show = (v) => (v === true ? 'allow' : v === false ? 'deny' : String(v));
    console.log(
      `${r.src.padEnd(16)} ${r.dst.padEnd(16)} ${String(r.port).padEnd(5)} ${show(r.predicted).padEnd(8)} ${show(r.observed).padEnd(8)} ${r.agree ? 'agree' : 'DISAGREE'}`,
    );
    if (r.agree) passed++;
    else failed++;
  }
  const allowed = results.filter((r) => r.observed === true).length;
  console.log(`\nflows: ${results.length}, allowed by the packets: ${allowed}, denied: ${results.length - allowed}`);
} catch (e) {
  console.error(`error: ${e.message}`);
  failed++;
} finally {
  spawnSync(kubectl, ['delete', 'namespace', 'agree-x', 'agree-y', '--wait=false'], { env: admin });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
