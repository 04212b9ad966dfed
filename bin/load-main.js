// Finds the CLI for the bin/ entry points: the bundle `npm run build` makes (dist/k8snet.mjs), or,
// in a checkout built with `tsc -p tsconfig.build.json` after the last bundle, tsc's output instead
// of a stale bundle (development only: a package holds the bundle alone).
import { existsSync, statSync } from 'node:fs';

export async function loadMain() {
  const bundle = new URL('../dist/k8snet.mjs', import.meta.url);
  const tscMain = new URL('../dist/cli/main.js', import.meta.url);
  const useTsc = existsSync(tscMain) && (!existsSync(bundle) || statSync(tscMain).mtimeMs > statSync(bundle).mtimeMs);
  if (!useTsc && !existsSync(bundle)) {
    process.stderr.write('error: k8snet is not built\n  why:  dist/k8snet.mjs is missing\n  next: run `npm run build` in the k8snet checkout\n');
    process.exit(3);
  }
  // --debug prints stack traces: map them from the bundle back to src/ (costs nothing otherwise)
  if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
  return (await import(useTsc ? tscMain.href : bundle.href)).main;
}
