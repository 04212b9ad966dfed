#!/usr/bin/env node
// k8snet entry point: runs the bundled CLI (dist/k8snet.cjs, built by `npm run build`, through bin/load-main.js) and exits
// with its code.
import { loadMain } from './load-main.js';

const main = await loadMain();
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
