#!/usr/bin/env node
// npm run build (and prepack): bundles the CLI (src/cli/main.ts and everything it imports,
// dependencies included) into one tree-shaken ESM entry, dist/k8snet.mjs, which bin/k8snet.js loads;
// what only some commands need (the cluster client, the policy engine, the spinner) goes into
// chunks under dist/chunks/ loaded by those commands. Start-up then reads a few files instead of
// resolving hundreds of modules (docs/benchmarks.md has the numbers). Type-checking stays with
// `tsc --noEmit`; esbuild only strips types.
//   node scripts/build.mjs            the CLI bundle
// bundle() is also used by bench/render.mjs to load the pure pipeline from the sources.

import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// CommonJS dependencies bundled into ESM call require() for Node built-ins: give them a real one.
const BANNER = "import { createRequire as __k8snetCreateRequire } from 'node:module';\nconst require = __k8snetCreateRequire(import.meta.url);";

/** esbuild options for a Node ESM bundle of TypeScript sources; `extra` overrides. */
export function bundleOptions(extra) {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: BANNER },
    sourcemap: true,
    legalComments: 'linked',
    logLevel: 'warning',
    ...extra,
  };
}

export async function bundle(extra) {
  return build(bundleOptions(extra));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  const result = await bundle({
    define: { __K8SNET_VERSION__: JSON.stringify(version) },
    entryPoints: { k8snet: path.join(root, 'src/cli/main.ts') },
    outdir: path.join(root, 'dist'),
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
  });
  const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.mjs'));
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`built dist/k8snet.mjs and ${outputs.length - 1} chunks in dist/chunks (${kib(outputs.reduce((n, [, o]) => n + o.bytes, 0))}) in ${Date.now() - t0} ms`);
}
