#!/usr/bin/env node
// End-to-end runner: for each scenario folder, reset the lab cluster to the baseline, apply the
// scenario, run k8snet for real, check the expectation and the audit log, and print a table.
//   node test/e2e/run.mjs [--scenarios DIR] [--only NAME[,NAME]] [--record DIR] [--keep]
// Scenario format: docs/scenarios.md.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { auditSummary } from './audit.mjs';
import { absentEverywhere, checkExpectations } from './expect.mjs';
import { lab, labEnv, root } from './lab-env.mjs';
import { waitProxySynced } from './proxy-settle.mjs';

// Run k8snet as users get it: the bundle `npm run build` makes, which bin/k8snet.js loads.
if (spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' }).status !== 0) {
  console.error('error: could not build k8snet\n  why:  scripts/build.mjs failed (see above)\n  next: fix the build, then run again');
  process.exit(2);
}

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const scenariosDir = path.resolve(opt('--scenarios') ?? path.join(root, 'test/lab/scenarios'));
const only = opt('--only')?.split(',');
const recordDir = opt('--record');

function sh(cmd, argv, { env = {}, timeoutMs = 120000, input } = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: timeoutMs, input, maxBuffer: 64 << 20 });
  return { code: r.status ?? (r.signal ? 128 : 1), stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: Date.now() - t0, error: r.error };
}

function loadScenarios() {
  if (!existsSync(scenariosDir)) {
    console.error(`error: no scenarios folder at ${scenariosDir}\n  next: pass --scenarios DIR`);
    process.exit(2);
  }
  return readdirSync(scenariosDir)
    .filter((d) => statSync(path.join(scenariosDir, d)).isDirectory() && existsSync(path.join(scenariosDir, d, 'scenario.json')))
    .filter((d) => !only || only.includes(d))
    .sort()
    .map((d) => {
      const dir = path.join(scenariosDir, d);
      let spec;
      try {
        spec = JSON.parse(readFileSync(path.join(dir, 'scenario.json'), 'utf8'));
      } catch (e) {
        console.error(`error: ${dir}/scenario.json is not valid JSON: ${e.message}`);
        process.exit(2);
      }
      return { name: d, dir, spec };
    });
}

// The user names the API server sees (client certificate CNs made by test/lab/lab.sh).
const AUDIT_USERS = { admin: 'k8snet-admin', reader: 'k8snet-reader', noexec: 'k8snet-noexec', nobody: 'k8snet-nobody' };

function kubeconfigFor(user, env) {
  const map = {
    // cluster-admin, but a different user than the one the scenario setup runs as
    admin: env.K8SNET_LAB_K8SNET_ADMIN_KUBECONFIG,
    reader: env.K8SNET_LAB_READONLY_KUBECONFIG,
    noexec: env.K8SNET_LAB_NOEXEC_KUBECONFIG,
    nobody: env.K8SNET_LAB_NOBODY_KUBECONFIG,
  };
  const kc = map[user ?? 'reader'];
  if (!kc) throw new Error(`unknown scenario user "${user}" (use admin, reader, noexec or nobody)`);
  return kc;
}

function applyScenario(sc, env) {
  const kubectl = env.K8SNET_LAB_KUBECTL || 'kubectl';
  const kenv = { KUBECONFIG: env.KUBECONFIG, KUBECTL: kubectl, LAB: lab, ...labVars(env) };
  const manifests = readdirSync(sc.dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f) && f !== 'scenario.json')
    .sort();
  for (const f of manifests) {
    const r = sh(kubectl, ['apply', '-f', path.join(sc.dir, f)], { env: kenv });
    if (r.code !== 0) return `kubectl apply ${f} failed: ${r.stderr.trim()}`;
  }
  if (existsSync(path.join(sc.dir, 'setup.sh'))) {
    const r = sh('bash', [path.join(sc.dir, 'setup.sh')], { env: kenv, timeoutMs: 180000 });
    if (r.code !== 0) return `setup.sh failed (${r.code}): ${(r.stderr || r.stdout).trim().slice(-400)}`;
  }
  for (const ref of sc.spec.wait?.rollout ?? []) {
    const [ns, name] = ref.split('/');
    const r = sh(kubectl, ['-n', ns, 'rollout', 'status', `deployment/${name}`, '--timeout=90s'], { env: kenv, timeoutMs: 100000 });
    if (r.code !== 0) return `rollout of ${ref} did not finish: ${r.stderr.trim()}`;
  }
  for (const cond of sc.spec.wait?.podsReady ?? []) {
    const [ns, selector] = cond.split('/');
    const r = sh(kubectl, ['-n', ns, 'wait', '--for=condition=Ready', 'pod', '-l', selector, '--timeout=90s'], { env: kenv, timeoutMs: 100000 });
    if (r.code !== 0) return `pods ${cond} did not become Ready: ${r.stderr.trim()}`;
  }
  if (sc.spec.wait?.seconds) sh('sleep', [String(sc.spec.wait.seconds)]);
  return null;
}

/** Run k8snet (async, so a scenario's during.sh can act while it runs, e.g. SIGSTOP the API server). */
async function runK8snet(sc, env, tmp) {
  const kc = kubeconfigFor(sc.spec.user, env);
  const save = path.join(tmp, `${sc.name}.facts.json`);
  const command = sc.spec.command ?? 'diagnose';
  const output = sc.spec.output ?? 'json';
  const argv = [path.join(root, 'bin/k8snet.js'), command, ...sc.spec.args, '-o', output];
  if (sc.spec.kubeconfig !== false && !sc.spec.args.includes('--kubeconfig')) argv.push('--kubeconfig', kc);
  if (command === 'diagnose' && sc.spec.save !== false) argv.push('--save', save);
  const limitMs = (sc.spec.timeoutSec ?? 60) * 1000;
  const kubectl = env.K8SNET_LAB_KUBECTL || 'kubectl';
  const kenv = { ...process.env, KUBECONFIG: env.KUBECONFIG, KUBECTL: kubectl, LAB: lab, ...labVars(env) };
  const started = new Date();
  const t0 = Date.now();
  const child = spawn(process.execPath, argv, { env: { ...process.env, NO_COLOR: '1', KUBECONFIG: sc.spec.envKubeconfig ?? '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let during = null;
  if (existsSync(path.join(sc.dir, 'during.sh'))) {
    during = spawn('bash', [path.join(sc.dir, 'during.sh')], { env: kenv, stdio: 'inherit' });
  }
  let timedOut = false;
  const killer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, limitMs);
  const code = await new Promise((resolve) => child.on('close', (c, sig) => resolve(c ?? (sig ? 128 : 1))));
  clearTimeout(killer);
  const ms = Date.now() - t0;
  if (during) await new Promise((resolve) => (during.exitCode !== null ? resolve() : during.on('close', resolve)));
  if (existsSync(path.join(sc.dir, 'after.sh'))) sh('bash', [path.join(sc.dir, 'after.sh')], { env: kenv });
  const ended = new Date();
  let json;
  try {
    json = output === 'json' && stdout.trim() ? JSON.parse(stdout) : null;
  } catch {
    json = null;
  }
  return {
    code,
    stdout,
    stderr,
    ms,
    json,
    started,
    ended,
    save: existsSync(save) ? save : null,
    argv,
    error: timedOut ? new Error(`killed after ${limitMs} ms`) : null,
  };
}

/**
 * Every run: the kubeconfig's credentials and any string the scenario marks secret must appear
 * neither in k8snet's output nor in the saved facts file.
 */
function leakedSecrets(sc, run, kubeconfig) {
  const secrets = [...(sc.spec.expect?.neverPrinted ?? [])];
  try {
    const kc = readFileSync(kubeconfig, 'utf8');
    for (const m of kc.matchAll(/(client-key-data|client-certificate-data|token|password):\s*"?([^\s"]{16,})/g)) secrets.push(m[2]);
  } catch {
    /* a scenario may point at a kubeconfig that does not exist on purpose */
  }
  const facts = run.save ? readFileSync(run.save, 'utf8') : '';
  const problems = [];
  for (const s of secrets) {
    for (const [where, text] of [
      ['stdout', run.stdout],
      ['stderr', run.stderr],
      ['facts file', facts],
    ]) {
      if (text.includes(s)) problems.push(`a secret (${s.slice(0, 6)}...) appears in the ${where}`);
    }
  }
  return problems;
}

/** The saved facts file is private (0600) and holds what the scenario says it must. */
function factsFileProblems(sc, run) {
  if (!run.save) return [];
  const problems = [];
  const mode = statSync(run.save).mode & 0o777;
  if (mode & 0o077) problems.push(`facts file has mode ${mode.toString(8)}, expected 600`);
  const text = readFileSync(run.save, 'utf8');
  for (const s of sc.spec.expect?.factsContain ?? []) if (!text.includes(s)) problems.push(`facts file lacks "${s}"`);
  return problems;
}

/**
 * Every output format of the same run, for `expect.absentEverywhere`: the json run already made,
 * the same command again as `-o table -v` and `-o markdown`, and `analyze` of the saved facts in
 * all three formats; plus the facts file itself.
 */
async function everyOutput(sc, env, run) {
  const outputs = [
    ['json', run.stdout],
    ['json stderr', run.stderr],
  ];
  if (run.save) outputs.push(['facts file', readFileSync(run.save, 'utf8')]);
  const kc = kubeconfigFor(sc.spec.user, env);
  const command = sc.spec.command ?? 'diagnose';
  const base = [path.join(root, 'bin/k8snet.js'), command, ...sc.spec.args];
  if (sc.spec.kubeconfig !== false && !sc.spec.args.includes('--kubeconfig')) base.push('--kubeconfig', kc);
  const runs = [
    ['table -v', [...base, '-o', 'table', '-v']],
    ['markdown', [...base, '-o', 'markdown']],
  ];
  if (run.save)
    for (const o of ['json', 'table', 'markdown']) runs.push([`analyze -o ${o}`, [path.join(root, 'bin/k8snet.js'), 'analyze', run.save, '-o', o, '-v']]);
  for (const [name, argv] of runs) {
    const r = sh(process.execPath, argv, { env: { NO_COLOR: '1', KUBECONFIG: '' }, timeoutMs: (sc.spec.timeoutSec ?? 60) * 1000 });
    outputs.push([`${name} stdout`, r.stdout], [`${name} stderr`, r.stderr]);
  }
  return outputs;
}

function labVars(env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('K8SNET_LAB_')) out[k] = v;
  return out;
}

function pad(s, n) {
  s = String(s);
  return s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length);
}

const env = labEnv();
const scenarios = loadScenarios();
if (scenarios.length === 0) {
  console.error(`error: no scenarios found in ${scenariosDir}`);
  process.exit(2);
}
const tmp = path.join(root, '.lab/e2e');
mkdirSync(tmp, { recursive: true });
const rows = [];
const labNodes = Number(env.K8SNET_LAB_NODE_COUNT ?? 1);
const notRun = [];
for (const sc of scenarios) {
  // a scenario that needs more nodes than the lab has is reported as not run, never as passed
  if ((sc.spec.nodes ?? 1) > labNodes) {
    notRun.push({ scenario: sc.name, why: `needs ${sc.spec.nodes} nodes; this lab has ${labNodes} (boot it with K8SNET_LAB_NODES=${sc.spec.nodes})` });
    process.stderr.write(`\n-- ${sc.name}: NOT RUN (needs ${sc.spec.nodes} nodes, the lab has ${labNodes})\n`);
    continue;
  }
  process.stderr.write(`\n-- ${sc.name}: ${sc.spec.description ?? ''}\n`);
  const reset = sh('bash', [lab, 'reset'], { timeoutMs: 240000 });
  const setupProblems = [];
  if (reset.code !== 0) setupProblems.push(`lab reset failed: ${(reset.stderr || reset.stdout).trim().slice(-300)}`);
  else {
    const applyErr = applyScenario(sc, env);
    if (applyErr) setupProblems.push(applyErr);
    else if (sc.spec.wait?.proxy !== false) {
      const t0 = Date.now();
      const missing = await waitProxySynced({ kubectl: env.K8SNET_LAB_KUBECTL || 'kubectl', kubeconfig: env.KUBECONFIG, lab });
      if (missing.length)
        process.stderr.write(
          `   note: after ${Date.now() - t0} ms kube-proxy still lacks ${missing.length} rule(s), e.g. ${missing.slice(0, 3).join('; ')}; running anyway\n`,
        );
    }
  }
  // `runs`: several k8snet runs against the one world the scenario set up (e.g. the same target from
  // a busybox-only source and from a curl/dig source); each run is a row named SCENARIO@RUN.
  const variants = Array.isArray(sc.spec.runs) && sc.spec.runs.length ? sc.spec.runs : [null];
  for (const v of variants) {
    const vsc = v
      ? { ...sc, name: `${sc.name}@${v.name}`, spec: { ...sc.spec, ...v, runs: undefined, description: v.description ?? sc.spec.description } }
      : sc;
    if (v) process.stderr.write(`   ${vsc.name}: ${vsc.spec.args.join(' ')}\n`);
    let problems = [...setupProblems];
    let run = null;
    let audit = null;
    if (setupProblems.length === 0) {
      run = await runK8snet(vsc, env, tmp);
      audit = auditSummary(env.K8SNET_LAB_AUDIT_LOG, vsc.spec.auditUser ?? AUDIT_USERS[vsc.spec.user ?? 'reader'], run.started, run.ended, {
        ephemeral: vsc.spec.args.includes('--ephemeral'),
      });
      problems = checkExpectations(vsc.spec.expect ?? {}, run, audit);
      problems.push(...leakedSecrets(vsc, run, kubeconfigFor(vsc.spec.user, env)));
      problems.push(...factsFileProblems(vsc, run));
      if (vsc.spec.expect?.absentEverywhere?.length) problems.push(...absentEverywhere(vsc.spec.expect.absentEverywhere, await everyOutput(vsc, env, run)));
      if (recordDir && run.save) {
        const dest = path.join(recordDir, vsc.name);
        mkdirSync(dest, { recursive: true });
        copyFileSync(run.save, path.join(dest, 'facts.json'));
      }
    }
    const named = run?.json?.diagnosis ? (run.json.diagnosis.layer ?? run.json.diagnosis.verdict) : run ? `exit ${run.code}` : '-';
    const row = {
      scenario: vsc.name,
      expected: vsc.spec.expect?.layer ?? vsc.spec.expect?.verdict ?? `exit ${vsc.spec.expect?.exit ?? '?'}`,
      named,
      pass: problems.length === 0,
      ms: run?.ms ?? 0,
      requests: audit?.requests ?? '-',
      resetMs: reset.ms,
      problems,
      description: vsc.spec.description ?? '',
      expect: vsc.spec.expect ?? {},
      observed: run
        ? {
            exit: run.code,
            verdict: run.json?.diagnosis?.verdict,
            layer: run.json?.diagnosis?.layer,
            headline: run.json?.diagnosis?.headline,
            stderr: run.stderr.trim().split('\n').slice(0, 3).join(' / '),
          }
        : null,
    };
    rows.push(row);
    process.stderr.write(`   ${row.pass ? 'PASS' : 'FAIL'} (${row.ms} ms, reset ${reset.ms} ms)\n`);
    for (const p of problems) process.stderr.write(`   - ${p}\n`);
    if (!row.pass && run) {
      process.stderr.write(`   command: ${run.argv.slice(1).join(' ')}\n   exit ${run.code}; stderr: ${run.stderr.trim().slice(0, 600)}\n`);
      if (run.json?.diagnosis) process.stderr.write(`   diagnosis: ${run.json.diagnosis.layer} — ${run.json.diagnosis.headline}\n`);
    }
  }
}
if (!args.includes('--keep')) sh('bash', [lab, 'reset'], { timeoutMs: 240000 });

console.log('\n' + [pad('scenario', 44), pad('expected', 14), pad('named', 14), pad('result', 6), pad('wall ms', 8), pad('API req', 7)].join(' '));
for (const r of rows) {
  console.log([pad(r.scenario, 44), pad(r.expected, 14), pad(r.named, 14), pad(r.pass ? 'pass' : 'FAIL', 6), pad(r.ms, 8), pad(r.requests, 7)].join(' '));
}
const passed = rows.filter((r) => r.pass).length;
const failed = rows.length - passed;
for (const n of notRun) console.log([pad(n.scenario, 34), pad('-', 14), pad('-', 14), pad('NOTRUN', 6), pad('-', 8), pad('-', 7)].join(' '));
writeFileSync(path.join(tmp, 'results.json'), JSON.stringify(rows, null, 2));
if (notRun.length) writeFileSync(path.join(tmp, 'not-run.json'), JSON.stringify(notRun, null, 2));
console.log(`\n${passed} passed, ${failed} failed${notRun.length ? `, ${notRun.length} not run (${notRun[0].why})` : ''}`);
process.exit(failed ? 1 : 0);
