#!/usr/bin/env node
// Builds the krew archive and manifest from the real `npm pack` tarball: builds the bundle (dist/
// k8snet.cjs carries its dependencies, so the tarball runs without npm install, as krew needs),
// runs `npm pack`, and writes the manifest with that tarball's sha256. No network.
//
//   node deploy/krew/make-manifest.mjs [--out DIR] [--uri-base URL] [--no-build]
//
// Prints one JSON line: {"archive","sha256","manifest","bytes","entries"}.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

// 1. the bundle (what `npm pack`'s prepack would build; run here so its log stays off our stdout)
if (!args.includes('--no-build')) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
if (!existsSync(join(ROOT, 'dist', 'k8snet.cjs'))) {
  console.error('error: dist/k8snet.cjs is missing\n  why:  the archive carries the bundled CLI\n  next: run `npm run build` first');
  process.exit(2);
}
{
  // 2. the real npm pack tarball
  mkdirSync(out, { recursive: true });
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' }))[0];
  const tarball = join(out, packed.filename);
  const sha256 = createHash('sha256').update(readFileSync(tarball)).digest('hex');

  // 3. the manifest, from the template, with this tarball's checksum
  const uri = `${uriBase}/v${pkg.version}/${packed.filename}`;
  const platforms = ['linux/amd64', 'linux/arm64', 'darwin/amd64', 'darwin/arm64']
    .map((p) => {
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
    })
    .join('\n');
  const manifest = readFileSync(join(HERE, 'k8snet.yaml.tmpl'), 'utf8')
    .replaceAll('{{VERSION}}', pkg.version)
    .replaceAll('{{HOMEPAGE}}', pkg.homepage ?? 'https://github.com/k8snet/k8snet')
    .replace('{{PLATFORMS}}', platforms);
  const manifestPath = join(out, 'k8snet.yaml');
  writeFileSync(manifestPath, manifest);
  console.log(JSON.stringify({ archive: tarball, sha256, manifest: manifestPath, bytes: packed.size, entries: packed.entryCount }));
}
