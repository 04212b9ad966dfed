#!/usr/bin/env node
// kubectl plugin entry point: `kubectl k8snet ...` runs exactly what `k8snet ...` runs. kubectl
// finds this file as `kubectl-k8snet` on PATH and passes every argument after the plugin name
// unchanged, with its own environment (KUBECONFIG included); k8snet reads --context,
// --kubeconfig and -n/--namespace like kubectl, before or after the subcommand.
import { loadMain } from './load-main.js';

const main = await loadMain();
main(process.argv, undefined, { name: 'kubectl k8snet' }).then(
  (code) => {
    process.exitCode = code;
    // sockets of an aborted request must not keep a finished run alive
    setTimeout(() => process.exit(code), 50).unref();
  },
  (e) => {
    process.stderr.write(`error: kubectl k8snet failed unexpectedly: ${e && e.message ? e.message : e}\n`);
    process.exit(3);
  },
);
