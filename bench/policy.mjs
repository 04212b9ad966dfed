// Benchmark of the NetworkPolicy engine on a synthetic cluster (10,000 pods, 2,000 policies, 200 namespaces).
// Builds dist/ first (refuses to run on a failed build), then imports the compiled engine. Prints median and p95.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Always build first: benchmarking a stale dist/ (or one a failed build left behind) measures old code.
console.log('building dist/ (npx tsc -p tsconfig.build.json) ...');
try {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
} catch {
  console.error('error: the build failed, so bench/policy.mjs will not measure what dist/ holds');
  console.error('  why:  tsc reported errors (above); dist/ may be stale or partly written');
  console.error('  next: fix the type errors, then re-run npm run bench:policy');
  process.exit(2);
}
if (!existsSync(join(root, 'dist/policy/evaluate.js'))) {
  console.error('error: dist/policy/evaluate.js is missing after the build');
  console.error('  why:  tsconfig.build.json did not emit the policy engine');
  console.error('  next: check tsconfig.build.json includes src/policy');
  process.exit(2);
}
const { WorldIndex } = await import(join(root, 'dist/policy/world-index.js'));
const { evaluateFlow } = await import(join(root, 'dist/policy/evaluate.js'));
const { lintVerdict } = await import(join(root, 'dist/policy/lint.js'));
const { suggestAllowRule } = await import(join(root, 'dist/policy/suggest.js'));
const { podMatrix, namespaceMatrix } = await import(join(root, 'dist/policy/matrix.js'));

const NS = 200,
  PODS = 10_000,
  POLICIES = 2_000;
let seed = 42;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};
const apps = Array.from({ length: 20 }, (_, i) => `app-${i}`);
const tiers = ['web', 'api', 'db', 'cache'];

const namespaces = Array.from({ length: NS }, (_, i) => ({
  metadata: { name: `ns-${i}`, labels: { team: `team-${i % 17}`, env: i % 3 === 0 ? 'prod' : 'dev' } },
}));
const pods = Array.from({ length: PODS }, (_, i) => {
  const n = i % NS;
  return {
    metadata: {
      name: `pod-${i}`,
      namespace: `ns-${n}`,
      labels: { app: apps[rand(apps.length)], tier: tiers[rand(tiers.length)], 'pod-template-hash': String(i) },
    },
    spec: {
      containers: [
        {
          name: 'c',
          ports: [
            { name: 'http', containerPort: 8080 + rand(3) },
            { name: 'metrics', containerPort: 9090 },
          ],
        },
      ],
    },
    status: { podIP: `10.${Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}` },
  };
});
const peers = () =>
  [
    { namespaceSelector: { matchLabels: { team: `team-${rand(17)}` } }, podSelector: { matchLabels: { app: apps[rand(apps.length)] } } },
    { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: [tiers[rand(4)], tiers[rand(4)]] }] } },
    { namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] } },
    { ipBlock: { cidr: '192.168.0.0/16', except: ['192.168.1.0/24'] } },
  ].slice(0, 1 + rand(4));
const policies = Array.from({ length: POLICIES }, (_, i) => {
  const ns = `ns-${i % NS}`;
  if (i % 10 === 0) return { metadata: { name: `deny-${i}`, namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
  if (i % 10 === 1)
    return {
      metadata: { name: `egress-${i}`, namespace: ns },
      spec: {
        podSelector: { matchLabels: { tier: tiers[rand(4)] } },
        policyTypes: ['Egress'],
        egress: [
          { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] },
          { to: peers(), ports: [{ port: 'http' }] },
        ],
      },
    };
  return {
    metadata: { name: `allow-${i}`, namespace: ns },
    spec: {
      podSelector: { matchLabels: { app: apps[rand(apps.length)] } },
      ingress: [{ from: peers(), ports: [{ port: 8080, endPort: 8081 }, { port: 'metrics' }] }, { from: peers() }],
    },
  };
});
const world = { namespaces, pods, workloads: [], services: [], policies, enforced: true };

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)], max: s[s.length - 1] };
};
const fmt = (o) => `median ${o.median.toFixed(3)} ms, p95 ${o.p95.toFixed(3)} ms, max ${o.max.toFixed(3)} ms`;

let t = performance.now();
new WorldIndex(world); // built here only for its time
console.log(`world: ${NS} namespaces, ${PODS} pods, ${POLICIES} policies; index built in ${(performance.now() - t).toFixed(1)} ms`);

const times = [],
  full = [];
for (let i = 0; i < 300; i++) {
  const src = { kind: 'pod', pod: pods[rand(PODS)] },
    dst = { kind: 'pod', pod: pods[rand(PODS)] };
  const flow = { src, dst, port: 8080, protocol: 'TCP', servicePort: 80 };
  const fresh = new WorldIndex(world); // no warm per-pod cache: the cost a single CLI verdict pays
  t = performance.now();
  evaluateFlow(fresh, flow);
  times.push(performance.now() - t);
  t = performance.now();
  const v = evaluateFlow(fresh, flow);
  v.lints = lintVerdict(fresh, flow, v);
  v.suggestion = suggestAllowRule(flow, v);
  full.push(performance.now() - t);
}
console.log(`one verdict (evaluateFlow), 300 random pairs: ${fmt(stats(times))}`);
console.log(`one verdict + lints + suggestion:           ${fmt(stats(full))}`);

const runs = [];
for (let r = 0; r < 3; r++) {
  const sample = Array.from({ length: 200 }, () => pods[rand(PODS)]);
  const fresh = new WorldIndex(world);
  t = performance.now();
  podMatrix(fresh, sample, 8080, 'TCP');
  runs.push(performance.now() - t);
}
console.log(`200x200 pod matrix (40,000 verdicts), 3 runs: ${fmt(stats(runs))}`);

t = performance.now();
namespaceMatrix(
  new WorldIndex(world),
  namespaces.slice(0, 20).map((n) => n.metadata.name),
  8080,
  'TCP',
);
console.log(`20x20 namespace matrix (all pod pairs, folded by labels): ${(performance.now() - t).toFixed(1)} ms`);
