#!/usr/bin/env node
// Benchmark (npm run bench:startup): start-up of the built CLI against a bare Node.js start.
// Runs `node -e 0`, `k8snet --version`, `k8snet analyze` of a healthy and of a faulty recorded run
// (31-and-vs-or: a denied flow with a suggested rule) one after another, round after round, in a
// rotating order so load changes hit every command alike; prints each command's wall-time median
// (and quartiles) and its ratio to `node -e 0`, and the CPU time (user + system) each process used,
// which a loaded machine disturbs less than wall time (read at exit by a one-line preload, `-r`,
// given to every command alike, `node -e 0` included). Target (issue 11): --version and analyze within 2x.
// A cluster command's start-up is timed too: `k8snet diagnose` against a kubeconfig (client certificate,
// like the lab's) whose server, https://127.0.0.1:1, refuses the connection, so the command ends (exit 3)
// right after its first request: loading the cluster client, the kubeconfig and the TLS material included
// (issue 11); it has no target.
// Exits 1 when a command fails or misses the target. --baseline DIR adds the same k8snet commands run
// from another built checkout (e.g. an older commit), alternated with these, for before/after numbers.
//   npm run build && node bench/startup.mjs [--runs N] [--baseline DIR]

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 31;
const baseline = process.argv.includes('--baseline') ? path.resolve(process.argv[process.argv.indexOf('--baseline') + 1]) : undefined;
const rec = (name) => path.join(root, 'test/fixtures/recorded', name, 'facts.json');
const probeDir = mkdtempSync(path.join(tmpdir(), 'k8snet-bench-startup-'));
// loopback port 1: nothing listens there, the connection is refused at once; the TLS material is the unit tests'
const tlsFile = (f) => readFileSync(path.join(root, 'test/fixtures/tls', f)).toString('base64');
const refusedKubeconfig = path.join(probeDir, 'refused.kubeconfig');
writeFileSync(
  refusedKubeconfig,
  `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: "https://127.0.0.1:1", certificate-authority-data: ${tlsFile('ca.crt')}}
users:
- name: u
  user: {client-certificate-data: ${tlsFile('client.crt')}, client-key-data: ${tlsFile('client.key')}}
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
`,
);
const cli = (dir, label) => {
  // dist/k8snet.mjs: a baseline built before the CommonJS bundle
  if (!['dist/k8snet.cjs', 'dist/k8snet.mjs'].some((f) => existsSync(path.join(dir, f)))) {
    console.error(`error: ${dir}/dist/k8snet.cjs is missing\n  next: npm run build (in ${dir})`);
    process.exit(1);
  }
  const bin = path.join(dir, 'bin/k8snet.js');
  return [
    { name: `k8snet --version${label}`, args: [bin, '--version'], exit: 0 },
    { name: `k8snet analyze 00-healthy-baseline${label}`, args: [bin, 'analyze', rec('00-healthy-baseline')], exit: 0 },
    { name: `k8snet analyze 31-and-vs-or${label}`, args: [bin, 'analyze', rec('31-and-vs-or')], exit: 1 },
    {
      name: `k8snet diagnose, to the 1st request${label}`,
      args: [bin, 'diagnose', 'payments/payments-api', '--kubeconfig', refusedKubeconfig],
      exit: 3,
      noTarget: true,
    },
  ];
};
const commands = [{ name: 'node -e 0', args: ['-e', '0'], exit: 0 }, ...cli(root, ''), ...(baseline ? cli(baseline, ' (baseline)') : [])];

const probe = path.join(probeDir, 'cpu.cjs');
writeFileSync(probe, "process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeSync(3, String((u.user + u.system) / 1000)); });\n");
const times = commands.map(() => []);
const cpu = commands.map(() => []);
const env = { ...process.env, NO_COLOR: '1' };
const load0 = loadavg()[0];
for (let r = -1; r < runs; r++) {
  for (let k = 0; k < commands.length; k++) {
    const i = (k + Math.max(r, 0)) % commands.length;
    const c = commands[i];
    const t0 = process.hrtime.bigint();
    const p = spawnSync(process.execPath, ['-r', probe, ...c.args], { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (p.status !== c.exit) {
      console.error(`error: ${c.name} exited ${p.status} (expected ${c.exit}): ${p.stderr}`);
      process.exit(1);
    }
    if (r >= 0) {
      // round -1 warms the page cache
      times[i].push(ms);
      cpu[i].push(Number(String(p.output[3])));
    }
  }
}
rmSync(probeDir, { recursive: true, force: true });
const q = (xs, f) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))];
};
const base = q(times[0], 0.5);
const cpuBase = q(cpu[0], 0.5);
console.log(`start-up, ${runs} alternating runs each, ms (median [p25-p75]); load ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}, node ${process.version}`);
console.log(`  ${'command'.padEnd(48)} ${'wall'.padStart(14)}  ${'wall/node'.padEnd(9)} ${'CPU'.padStart(14)}  CPU/node`);
let missed = false;
commands.forEach((c, i) => {
  const m = q(times[i], 0.5);
  const ratio = m / base;
  const cm = q(cpu[i], 0.5);
  const late = i > 0 && !c.noTarget && ratio > 2;
  if (late) missed = true;
  const range = (xs) => `${q(xs, 0.5).toFixed(0)} [${q(xs, 0.25).toFixed(0)}-${q(xs, 0.75).toFixed(0)}]`;
  console.log(
    `  ${c.name.padEnd(48)} ${range(times[i]).padStart(14)}  ${i > 0 ? `${ratio.toFixed(2)}x`.padEnd(9) : ''.padEnd(9)} ${range(cpu[i]).padStart(14)}  ${i > 0 ? `${(cm / cpuBase).toFixed(2)}x` : ''}${late ? '  (wall target 2x: missed)' : ''}`,
  );
});
process.exit(missed ? 1 : 0);
