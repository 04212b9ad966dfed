#!/usr/bin/env node
// k8snet entry point: runs the bundled CLI (dist/k8snet.mjs, built by `npm run build`) and exits
// with its code.
import { existsSync, statSync } from 'node:fs';

const bundle = new URL('../dist/k8snet.mjs', import.meta.url);
// In a checkout built with `tsc -p tsconfig.build.json` after the last bundle, run tsc's output
// instead of a stale bundle (development only: a package holds the bundle alone).
const tscMain = new URL('../dist/cli/main.js', import.meta.url);
const useTsc = existsSync(tscMain) && (!existsSync(bundle) || statSync(tscMain).mtimeMs > statSync(bundle).mtimeMs);

if (!useTsc && !existsSync(bundle)) {
  process.stderr.write('error: k8snet is not built\n  why:  dist/k8snet.mjs is missing\n  next: run `npm run build` in the k8snet checkout\n');
  process.exit(3);
}
const { main } = await import(useTsc ? tscMain.href : bundle.href);

main(process.argv).then(
  (code) => {
    process.exitCode = code;
    // sockets of an aborted request must not keep a finished run alive
    setTimeout(() => process.exit(code), 50).unref();
  },
  (e) => {
    process.stderr.write(`error: k8snet failed unexpectedly: ${e && e.message ? e.message : e}\n`);
    process.exit(3);
  },
);
