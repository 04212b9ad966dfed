// A reader that stops early (`k8snet policy --help | head -1`) closes stdout before k8snet writes:
// the run ends quietly with its exit code, never with an EPIPE stack trace (it did for long outputs).
// Runs the built CLI (test/run.sh builds before the unit tests; alone, this builds it first).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

beforeAll(() => {
  if (!existsSync(path.join(root, 'dist', 'k8snet.cjs'))) {
    const b = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`npm run build failed: ${b.stderr}`);
  }
}, 60000);

function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'k8snet.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, K8SNET_COMPILE_CACHE: '0' },
    });
    child.stdout.destroy(); // the reader is gone before the first byte
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('stdout closed by the reader', () => {
  for (const [args, code] of [
    [['policy', '--help'], 0],
    [['rbac'], 0],
    [['analyze', path.join(root, 'test', 'fixtures', 'recorded', '31-and-vs-or', 'facts.json'), '-v'], 1],
  ] as const) {
    it(`k8snet ${args.join(' ').replace(root + '/', '')}: no stack trace, exit ${code}`, async () => {
      const r = await runWithClosedStdout([...args]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(code);
    });
  }
});
