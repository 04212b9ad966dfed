// The lab cluster's environment (`lab.sh env`: kubeconfigs, kubectl, audit log), or exit 3 with a
// clear message when the lab is not up. Shared by the e2e runner, the agreement test and the bench.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const lab = path.join(root, 'test/lab/lab.sh');

export function labEnv() {
  const r = spawnSync('bash', [lab, 'env'], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(
      `error: the lab cluster is not available\n  why:  \`lab.sh env\` failed: ${(r.stderr || r.stdout).trim()}\n  next: run \`npm run lab:up\` first`,
    );
    process.exit(3);
  }
  const env = {};
  for (const m of r.stdout.matchAll(/^export ([A-Z0-9_]+)=(?:"([^"]*)"|'([^']*)'|(\S*))$/gm)) env[m[1]] = m[2] ?? m[3] ?? m[4] ?? '';
  return env;
}
