#!/usr/bin/env node
// End-to-end: the kubectl plugin and shell completion against the lab, with the lab's real kubectl.
// Builds the krew archive + manifest (deploy/krew/make-manifest.mjs), checks the manifest's sha256,
// installs the archive the way krew lays it out (no node_modules above it), and runs it through
// kubectl: plugin discovery, the same diagnosis as `k8snet`, kubectl's flags before the subcommand,
// KUBECONFIG from the environment, --context; then the bash completion script with the real CLI
// and kubectl's own plugin completion. Read-only on the cluster; needs the baseline world.
//   node test/e2e/plugin.mjs [--skip-archive]   (--skip-archive: use bin/ of this checkout, faster)

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { labEnv, root } from './lab-env.mjs';

const env = labEnv();
const kubectl = env.K8SNET_LAB_KUBECTL;
const reader = env.K8SNET_LAB_READONLY_KUBECONFIG;
const nobody = env.K8SNET_LAB_NOBODY_KUBECONFIG;
const skipArchive = process.argv.includes('--skip-archive');
const tmp = mkdtempSync(path.join(tmpdir(), 'k8snet-plugin-e2e-'));
const results = [];
let failed = 0;

function run(cmd, args, extraEnv = {}, timeoutMs = 90000) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...baseEnv, ...extraEnv } });
  return { code: r.status ?? 128, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: Date.now() - t0 };
}

async function check(name, fn) {
  const t0 = Date.now();
  try {
    const note = await fn();
    results.push({ name, ok: true, ms: Date.now() - t0, note: note ?? '' });
  } catch (e) {
    failed++;
    results.push({ name, ok: false, ms: Date.now() - t0, note: e.message });
  }
}
function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}
const json = (r, what) => {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`${what}: no JSON on stdout (exit ${r.code}; stderr: ${r.stderr.trim().slice(0, 300)})`);
  }
};

// a PATH with the plugin dir, the lab's kubectl and node; HOME without a kubeconfig
const binDir = path.join(tmp, 'bin');
mkdirSync(binDir);
const baseEnv = {
  PATH: [binDir, path.dirname(kubectl), path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
  HOME: tmp,
  NO_COLOR: '1',
  LANG: 'C.UTF-8',
};

// 1. the krew archive and manifest, and a krew-style install of it
let pluginRoot = root;
await check('krew manifest sha256 = sha256 of the npm pack tarball', () => {
  if (skipArchive) {
    symlinkSync(path.join(root, 'bin/kubectl-k8snet.js'), path.join(binDir, 'kubectl-k8snet'));
    symlinkSync(path.join(root, 'bin/kubectl_complete-k8snet.js'), path.join(binDir, 'kubectl_complete-k8snet'));
    return 'skipped: --skip-archive (plugin from this checkout)';
  }
  const out = path.join(tmp, 'krew');
  const r = run(process.execPath, [path.join(root, 'deploy/krew/make-manifest.mjs'), '--out', out], { PATH: process.env.PATH, HOME: process.env.HOME }, 300000);
  expect(r.code === 0, `make-manifest exit ${r.code}: ${r.stderr.slice(0, 400)}`);
  const made = JSON.parse(r.stdout.trim().split('\n').pop());
  const sha = createHash('sha256').update(readFileSync(made.archive)).digest('hex');
  const manifest = YAML.parse(readFileSync(made.manifest, 'utf8'));
  const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  expect(manifest.kind === 'Plugin' && manifest.metadata.name === 'k8snet', 'manifest is not a krew Plugin named k8snet');
  expect(manifest.spec.version === `v${version}`, `manifest version ${manifest.spec.version}, package ${version}`);
  for (const p of manifest.spec.platforms) expect(p.sha256 === sha, `platform ${JSON.stringify(p.selector)} sha256 ${p.sha256} != archive ${sha}`);
  // lay it out as krew does: files from package/* to ., bin linked onto PATH
  const store = path.join(tmp, 'store');
  mkdirSync(store);
  const x = run('tar', ['-xzf', made.archive, '-C', store]);
  expect(x.code === 0, `tar: ${x.stderr}`);
  pluginRoot = path.join(store, 'package');
  const bin = manifest.spec.platforms[0].bin;
  expect(existsSync(path.join(pluginRoot, bin)), `manifest bin ${bin} is not in the archive`);
  symlinkSync(path.join(pluginRoot, bin), path.join(binDir, 'kubectl-k8snet'));
  symlinkSync(path.join(pluginRoot, 'bin/kubectl_complete-k8snet.js'), path.join(binDir, 'kubectl_complete-k8snet'));
  return `${(made.bytes / 1e6).toFixed(1)} MB, ${made.entries} files, sha256 ${sha.slice(0, 12)}...`;
});

await check('kubectl plugin list finds kubectl-k8snet', () => {
  const r = run(kubectl, ['plugin', 'list']);
  expect(r.stdout.includes(path.join(binDir, 'kubectl-k8snet')), `not listed: ${r.stdout}${r.stderr}`);
});

// 2. the same diagnosis through kubectl as directly
const ARGS = ['payments/payments-api', '--from', 'orders/orders-api', '--probe-timeout', '2s', '-o', 'json'];
const direct = run(process.execPath, [path.join(root, 'bin/k8snet.js'), 'diagnose', ...ARGS, '--kubeconfig', reader]);
const want = (() => {
  try {
    return { code: direct.code, ...JSON.parse(direct.stdout).diagnosis };
  } catch {
    return { code: direct.code };
  }
})();
const same = (r, what) => {
  const j = json(r, what);
  expect(r.code === want.code, `${what}: exit ${r.code}, k8snet gave ${want.code}`);
  expect(
    j.diagnosis.verdict === want.verdict && j.diagnosis.layer === want.layer,
    `${what}: ${j.diagnosis.verdict}/${j.diagnosis.layer}, k8snet gave ${want.verdict}/${want.layer}`,
  );
  return j;
};

await check('kubectl k8snet diagnose = k8snet diagnose (verdict, layer, exit)', () => {
  expect(want.verdict, `k8snet itself gave no diagnosis: exit ${direct.code} ${direct.stderr.slice(0, 300)}`);
  const r = run(kubectl, ['k8snet', 'diagnose', ...ARGS, '--kubeconfig', reader]);
  same(r, 'kubectl k8snet');
  return `${want.verdict}, exit ${want.code}, ${r.ms} ms (direct ${direct.ms} ms)`;
});

await check('kubectl k8snet --kubeconfig K -n payments diagnose payments-api (flags before the subcommand)', () => {
  const r = run(kubectl, [
    'k8snet',
    '--kubeconfig',
    reader,
    '-n',
    'payments',
    'diagnose',
    'payments-api',
    '--from',
    'orders/orders-api',
    '--probe-timeout',
    '2s',
    '-o',
    'json',
  ]);
  const j = same(r, 'flags first');
  expect(j.target.namespace === 'payments' && j.target.name === 'payments-api', `target ${JSON.stringify(j.target)}`);
});

await check('KUBECONFIG from the environment reaches the plugin', () => {
  same(run(kubectl, ['k8snet', 'diagnose', ...ARGS], { KUBECONFIG: reader }), 'KUBECONFIG env');
});

await check('--context: the named context is used; a missing one is a clear usage error', () => {
  const ctx = run(kubectl, ['config', 'current-context', '--kubeconfig', reader]).stdout.trim();
  expect(ctx, 'the reader kubeconfig has no current context');
  same(run(kubectl, ['k8snet', '--context', ctx, 'diagnose', ...ARGS], { KUBECONFIG: reader }), '--context');
  const bad = run(kubectl, ['k8snet', 'diagnose', ...ARGS, '--context', 'no-such-context'], { KUBECONFIG: reader });
  expect(bad.code === 2, `missing context: exit ${bad.code}`);
  expect(bad.stderr.includes('context "no-such-context" is not in the kubeconfig') && bad.stderr.includes(ctx), `stderr: ${bad.stderr.slice(0, 300)}`);
  expect(!/\n\s+at .+:\d+:\d+/.test(bad.stderr), 'stack trace on stderr');
  return `context ${ctx}`;
});

await check('help names the command as typed: Usage: kubectl k8snet diagnose', () => {
  const r = run(kubectl, ['k8snet', 'diagnose', '--help']);
  expect(r.code === 0 && r.stdout.includes('Usage: kubectl k8snet diagnose'), `exit ${r.code}: ${r.stdout.slice(0, 200)}`);
});

// 3. completion: the real bash script with the real CLI, and kubectl's plugin completion
symlinkSync(path.join(root, 'bin/k8snet.js'), path.join(binDir, 'k8snet'));
const script = run(process.execPath, [path.join(root, 'bin/k8snet.js'), 'completion', 'bash']).stdout;
function bashComplete(words, extraEnv) {
  const body = `${script}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_k8snet_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = run('bash', ['-c', body], extraEnv, 30000);
  return { ...r, reply: r.stdout.split('\n').filter(Boolean) };
}

await check('bash completion, real CLI: diagnose pay<TAB> -> payments/', () => {
  const r = bashComplete(['k8snet', 'diagnose', 'pay'], { KUBECONFIG: reader });
  expect(r.reply.includes('payments/'), `COMPREPLY ${JSON.stringify(r.reply)} stderr ${r.stderr.slice(0, 200)}`);
  return `${r.ms} ms`;
});

await check('bash completion, real CLI: payments/<TAB> -> payments/payments-api; --from orders/ -> orders-api', () => {
  const a = bashComplete(['k8snet', 'diagnose', 'payments/'], { KUBECONFIG: reader });
  expect(a.reply.includes('payments/payments-api'), `COMPREPLY ${JSON.stringify(a.reply)}`);
  const b = bashComplete(['k8snet', 'diagnose', 'payments/payments-api', '--from', 'orders/'], { KUBECONFIG: reader });
  expect(b.reply.includes('orders/orders-api'), `--from COMPREPLY ${JSON.stringify(b.reply)}`);
  return `${a.ms} ms, ${b.ms} ms`;
});

await check('bash completion, -n honoured: -n payments diagnose <TAB> offers payments-api bare', () => {
  const r = bashComplete(['k8snet', '-n', 'payments', 'diagnose', ''], { KUBECONFIG: reader });
  expect(r.reply.includes('payments-api') && r.reply.includes('orders/'), `COMPREPLY ${JSON.stringify(r.reply)}`);
});

await check('completion is silent when the cluster refuses (RBAC nobody): no candidates, no error', () => {
  const r = bashComplete(['k8snet', 'diagnose', 'pay'], { KUBECONFIG: nobody });
  expect(
    r.code === 0 && r.reply.length === 0 && r.stderr.trim() === '',
    `exit ${r.code} COMPREPLY ${JSON.stringify(r.reply)} stderr ${r.stderr.slice(0, 200)}`,
  );
});

await check('kubectl __complete k8snet diagnose payments/ (kubectl_complete-k8snet)', () => {
  const r = run(kubectl, ['__complete', 'k8snet', 'diagnose', 'payments/'], { KUBECONFIG: reader });
  expect(r.stdout.split('\n').includes('payments/payments-api'), `stdout ${r.stdout.slice(0, 300)} stderr ${r.stderr.slice(0, 200)}`);
  return `${r.ms} ms`;
});

rmSync(tmp, { recursive: true, force: true });
const pad = (s, n) => (String(s).length >= n ? String(s) : String(s) + ' '.repeat(n - String(s).length));
console.log('\nkubectl plugin and completion against the lab');
for (const r of results) console.log(`${pad(r.ok ? 'pass' : 'FAIL', 5)} ${pad(r.ms + ' ms', 9)} ${r.name}${r.note ? `\n                ${r.note}` : ''}`);
console.log(`\n${results.length - failed} passed, ${failed} failed`);
mkdirSync(path.join(root, '.lab'), { recursive: true });
writeFileSync(path.join(root, '.lab', 'plugin-e2e.json'), JSON.stringify(results, null, 2));
process.exit(failed ? 1 : 0);
