// bin/load-main.js (issue 11): the CLI bundle runs through V8's compile cache. Runs the built CLI in
// child processes with the cache in a temp dir: one file per command, written once, read after; a
// damaged file is refused by V8 and written again (same output); turned off, or in a directory
// others can write to, nothing is read or written; other builds' day-old files are removed; and the file
// holds compiled code only, never data the run read.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = path.join(root, 'bin', 'k8snet.js');
const facts = path.join(root, 'test', 'fixtures', 'two-node', '00-healthy-baseline', 'facts.json');
const base = mkdtempSync(path.join(tmpdir(), 'k8snet-compile-cache-'));
let n = 0;
const freshDir = () => path.join(base, `c${n++}`);

function k8snet(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: 30000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const files = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);

beforeAll(() => {
  // the unit suite runs after `npm run build` (test/run.sh); alone, it builds the bundle first
  if (!existsSync(path.join(root, 'dist', 'k8snet.cjs'))) {
    const b = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`npm run build failed: ${b.stderr}`);
  }
}, 60000);

describe('the compile cache', () => {
  it('is written once per command (mode 0600 in a 0700 dir), then read, with the same output', () => {
    const dir = freshDir();
    const first = k8snet(['analyze', facts], { K8SNET_CACHE_DIR: dir });
    expect(first.code).toBe(0);
    expect(files(dir)).toEqual([expect.stringMatching(/^compile-[0-9a-f]{16}-\d+-\d+-v\d+\.\d+\.\d+-\w+-analyze\.v8$/)]);
    const [file] = files(dir);
    const st = statSync(path.join(dir, file));
    expect(st.mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(st.size).toBeGreaterThan(100 * 1024); // the analysis's compiled functions, not only the top level

    const again = k8snet(['analyze', facts], { K8SNET_CACHE_DIR: dir });
    expect(again.out).toBe(first.out);
    expect(statSync(path.join(dir, file)).mtimeMs).toBe(st.mtimeMs); // read, not written again

    expect(k8snet(['--version'], { K8SNET_CACHE_DIR: dir }).code).toBe(0);
    expect(files(dir)).toEqual([file, file.replace(/-analyze\.v8$/, '-other.v8')].sort());
  });

  it('a damaged file is refused by V8, the run is unchanged, and the file is written again', () => {
    const dir = freshDir();
    const clean = k8snet(['analyze', facts], { K8SNET_CACHE_DIR: dir });
    const [file] = files(dir);
    const damaged = Buffer.alloc(statSync(path.join(dir, file)).size, 0x5a);
    writeFileSync(path.join(dir, file), damaged);
    const run = k8snet(['analyze', facts], { K8SNET_CACHE_DIR: dir });
    expect(run.code).toBe(0);
    expect(run.out).toBe(clean.out);
    expect(readFileSync(path.join(dir, file)).equals(damaged)).toBe(false);
  });

  it('K8SNET_COMPILE_CACHE=0 reads and writes nothing', () => {
    const dir = freshDir();
    expect(k8snet(['analyze', facts], { K8SNET_CACHE_DIR: dir, K8SNET_COMPILE_CACHE: '0' }).code).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });

  it('a directory others can write to is not used', () => {
    const dir = freshDir();
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const run = k8snet(['analyze', facts], { K8SNET_CACHE_DIR: dir });
    expect(run.code).toBe(0);
    expect(files(dir)).toEqual([]);
  });

  it("another build's files are removed once a day old when this build's file is written; recent ones and other files stay", () => {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    const old = path.join(dir, 'compile-0000000000000000-1-1-v0.0.0-x64-analyze.v8');
    writeFileSync(old, 'old');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(old, twoDaysAgo, twoDaysAgo);
    const leftTemp = path.join(dir, 'compile-2222222222222222-1-1-v0.0.0-x64-analyze.v8.4242.tmp'); // a run killed while writing
    writeFileSync(leftTemp, 'partial');
    utimesSync(leftTemp, twoDaysAgo, twoDaysAgo);
    const recent = 'compile-1111111111111111-1-1-v0.0.0-x64-analyze.v8'; // another version, used by turns
    writeFileSync(path.join(dir, recent), 'recent');
    writeFileSync(path.join(dir, 'notes.txt'), 'not ours');
    expect(k8snet(['analyze', facts], { K8SNET_CACHE_DIR: dir }).code).toBe(0);
    const left = files(dir);
    expect(left).toHaveLength(3);
    expect(left).toContain('notes.txt');
    expect(left).toContain(recent);
    expect(left.some((f) => f.startsWith('compile-0000000000000000') || f.startsWith('compile-2222222222222222'))).toBe(false);
  });

  it('holds compiled code, never data the run read', () => {
    const dir = freshDir();
    const marker = 'k8snet-cache-marker-7f3a9c';
    const withMarker = JSON.parse(readFileSync(facts, 'utf8')) as { notes: string[] };
    withMarker.notes.push(`a note that names ${marker}`);
    const file = path.join(base, 'marked-facts.json');
    writeFileSync(file, JSON.stringify(withMarker));
    const run = k8snet(['analyze', file, '-o', 'json'], { K8SNET_CACHE_DIR: dir });
    expect(run.code).toBe(0);
    expect(run.out).toContain(marker); // the run did read and print it
    const [cache] = files(dir);
    const bytes = readFileSync(path.join(dir, cache));
    expect(bytes.includes(Buffer.from(marker, 'latin1'))).toBe(false);
    expect(bytes.includes(Buffer.from(marker, 'utf16le'))).toBe(false);
  });
});
