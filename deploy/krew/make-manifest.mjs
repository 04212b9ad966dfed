#!/usr/bin/env node
// Builds the krew archive and manifest from the real `npm pack` tarball: stages the package with its
// production dependencies bundled (krew installs no dependencies), runs `npm pack` there, and writes
// the manifest with that tarball's sha256. Offline: copies node_modules already installed here.
//
//   node deploy/krew/make-manifest.mjs [--out DIR] [--uri-base URL]
//
// Prints one JSON line: {"archive","sha256","manifest","bytes","entries"}.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const out = resolve(opt('--out', join(ROOT, 'dist-krew')));
const uriBase = opt('--uri-base', 'https://github.com/k8snet/k8snet/releases/download');

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
if (!existsSync(join(ROOT, 'dist', 'k8snet.mjs'))) {
  console.error('error: dist/ is missing\n  why:  the archive carries the bundled CLI\n  next: run `npm run build` first');
  process.exit(2);
}

const NM = realpathSync(join(ROOT, 'node_modules'));

/** The production dependency closure, as paths relative to node_modules, resolved the way Node resolves them. */
function productionTree(root) {
  const found = new Set();
  const visit = (dir, isRoot) => {
    const p = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const names = [...Object.keys(p.dependencies ?? {}), ...Object.keys(p.optionalDependencies ?? {})];
    for (const name of names) {
      const hit = resolveDir(name, isRoot ? NM : dir);
      if (!hit) {
        if (p.optionalDependencies?.[name]) continue;
        throw new Error(`dependency ${name} of ${p.name} is not installed: run npm ci first`);
      }
      const rel = relative(NM, hit);
      if (found.has(rel)) continue;
      found.add(rel);
      visit(hit, false);
    }
  };
  visit(root, true);
  return [...found];
}

/** Node's lookup: DIR/node_modules/NAME, then each parent's, up to the top node_modules. */
function resolveDir(name, from) {
  let d = from;
  for (;;) {
    const cand = basename(d) === 'node_modules' ? join(d, name) : join(d, 'node_modules', name);
    if (existsSync(join(cand, 'package.json'))) return cand;
    if (d === NM || d === dirname(d)) return undefined;
    d = dirname(d);
  }
}

// 1. stage: the files npm would pack, plus the production dependency tree, bundled
const stage = mkdtempSync(join(tmpdir(), 'k8snet-krew-'));
try {
  for (const f of pkg.files) if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(stage, f), { recursive: true, dereference: true });
  for (const rel of productionTree(ROOT)) {
    cpSync(join(NM, rel), join(stage, 'node_modules', rel), { recursive: true, dereference: true });
  }
  const staged = { ...pkg, bundleDependencies: Object.keys(pkg.dependencies ?? {}) };
  delete staged.scripts; // dist is already built; packing must not run prepack in the stage
  delete staged.devDependencies;
  writeFileSync(join(stage, 'package.json'), JSON.stringify(staged, null, 2) + '\n');

  // 2. the real npm pack tarball
  mkdirSync(out, { recursive: true });
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: stage, encoding: 'utf8' }))[0];
  const tarball = join(out, packed.filename);
  const sha256 = createHash('sha256').update(readFileSync(tarball)).digest('hex');

  // 3. the manifest, from the template, with this tarball's checksum
  const uri = `${uriBase}/v${pkg.version}/${packed.filename}`;
  const platforms = ['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64'].map((p) => {
    const [os, arch] = p.split('/');
    return [
      '  - selector:',
      '      matchLabels:',
      `        os: ${os}`,
      `        arch: ${arch}`,
      `    uri: ${uri}`,
      `    sha256: ${sha256}`,
      '    files:',
      '      - from: package/*',
      '        to: .',
      '    bin: bin/kubectl-k8snet.js',
    ].join('\n');
  }).join('\n');
  const manifest = readFileSync(join(HERE, 'k8snet.yaml.tmpl'), 'utf8')
    .replaceAll('{{VERSION}}', pkg.version)
    .replaceAll('{{HOMEPAGE}}', pkg.homepage ?? 'https://github.com/k8snet/k8snet')
    .replace('{{PLATFORMS}}', platforms);
  const manifestPath = join(out, 'k8snet.yaml');
  writeFileSync(manifestPath, manifest);
  console.log(JSON.stringify({ archive: tarball, sha256, manifest: manifestPath, bytes: packed.size, entries: packed.entryCount }));
} finally {
  rmSync(stage, { recursive: true, force: true });
}
