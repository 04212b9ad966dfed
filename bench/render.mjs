#!/usr/bin/env node
// Benchmark (npm run bench:render): render time of table, markdown and table -v for every recorded
// run (test/fixtures/recorded/*), and how -v grows with a finding's evidence (10, 100, 1,000 lines).
// Prints every measurement; exits 1 when a target is missed (50 ms per render, linear growth).
//   node bench/render.mjs [--reps N]

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundle, root } from '../scripts/build.mjs';

const reps = Number(process.argv[process.argv.indexOf('--reps') + 1]) || 7;
const BUDGET_MS = 50;

// The pure pipeline from the sources, bundled as the CLI is, so the bench needs no build step.
const dir = mkdtempSync(path.join(tmpdir(), 'k8snet-bench-render-'));
const entry = path.join(dir, 'entry.ts');
const out = path.join(dir, 'render.mjs');
await bundle({
  stdin: {
    contents: `export { analyzeFacts } from ${JSON.stringify(path.join(root, 'src/pipeline.ts'))};\nexport { renderTable, renderMarkdown } from ${JSON.stringify(path.join(root, 'src/report/index.ts'))};`,
    resolveDir: root,
    sourcefile: entry,
    loader: 'ts',
  },
  outfile: out,
  sourcemap: false,
  legalComments: 'none',
});
const { analyzeFacts, renderTable, renderMarkdown } = await import(pathToFileURL(out).href);
rmSync(dir, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
// CPU time (user + system) of this process, not wall time: the machine is shared, and a render
// that waits for a core is not a slower render. One warm-up call, then the median of `reps`.
function time(fn) {
  const ms = [];
  let result = fn();
  for (let i = 0; i < reps; i++) {
    const t = process.cpuUsage();
    result = fn();
    const d = process.cpuUsage(t);
    ms.push((d.user + d.system) / 1e3);
  }
  return { ms: median(ms), result };
}
const renders = {
  table: (r) => renderTable(r, { color: true, verbose: false }),
  markdown: (r) => renderMarkdown(r),
  'table -v': (r) => renderTable(r, { color: true, verbose: true }),
};

let failed = false;
const recorded = path.join(root, 'test/fixtures/recorded');
console.log(`render CPU time, median of ${reps} after a warm-up (ms; budget ${BUDGET_MS} ms each)`);
console.log('run'.padEnd(38), 'evidence', ...Object.keys(renders).map((k) => k.padStart(9)), 'lines -v');
let largest = null;
for (const name of readdirSync(recorded).sort()) {
  const facts = JSON.parse(readFileSync(path.join(recorded, name, 'facts.json'), 'utf8'));
  const { report } = analyzeFacts(facts);
  const evidence = report.steps.reduce((n, s) => n + s.findings.reduce((m, f) => m + f.evidence.length, 0), 0);
  const row = Object.entries(renders).map(([, fn]) => time(() => fn(report)));
  for (const x of row) if (x.ms > BUDGET_MS) failed = true;
  console.log(
    name.padEnd(38),
    String(evidence).padStart(8),
    ...row.map((x) => x.ms.toFixed(2).padStart(9)),
    String(row[2].result.split('\n').length).padStart(8),
  );
  if (!largest || evidence > largest.evidence) largest = { name, evidence, report };
}

// Growth: the largest run with one failing finding carrying N lines of evidence.
console.log(
  `\n-v growth on ${largest.name} (one finding with N evidence lines of ~90 characters;\n table and markdown show at most 4 and 6 evidence lines of a finding, so they stay flat)`,
);
const sample = 'ingress of payments/payments-api-687d8d6878-5kljh: isolated by allow-traefik-to-payments, default-deny-ingress';
const points = [];
for (const n of [10, 100, 1000]) {
  const r = structuredClone(largest.report);
  const f = r.steps.flatMap((s) => s.findings)[0];
  f.evidence = Array.from({ length: n }, (_, i) => `${i} ${sample}`);
  const d = r.diagnosis.evidence[0];
  if (d) d.evidence = f.evidence;
  const row = Object.entries(renders).map(([, fn]) => time(() => fn(r)));
  points.push({ n, ms: row.map((x) => x.ms) });
  console.log(`  N=${String(n).padStart(5)}`, ...Object.keys(renders).map((k, i) => `${k} ${row[i].ms.toFixed(2)} ms`.padEnd(22)));
}
// linear: going from 100 to 1,000 lines may cost at most ~10x (allow 15x for noise), never 100x
const [, p100, p1000] = points;
Object.keys(renders).forEach((k, i) => {
  const ratio = p1000.ms[i] / Math.max(p100.ms[i], 0.05);
  const ok = ratio <= 15;
  if (!ok) failed = true;
  console.log(`  ${k}: 1,000 lines / 100 lines = ${ratio.toFixed(1)}x (linear is ~10x) ${ok ? 'ok' : 'SUPER-LINEAR'}`);
});
console.log(failed ? '\nFAILED: a render missed its budget or grew faster than linear' : '\nok: every render under budget and linear');
process.exit(failed ? 1 : 0);
