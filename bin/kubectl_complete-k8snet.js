#!/usr/bin/env node
// kubectl's completion for the plugin: `kubectl k8snet <TAB>` makes kubectl (1.26+) run this
// executable with the words after the plugin name and the word being completed; it answers in the
// __complete protocol (candidates, then ":DIRECTIVE") that kubectl reads.
import { loadMain } from './load-main.js';

const main = await loadMain();
main([process.argv[0], process.argv[1], '__complete', ...process.argv.slice(2)], undefined, { name: 'kubectl k8snet' }).then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 50).unref();
  },
  () => process.exit(0), // completion never fails loudly
);
