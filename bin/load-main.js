// Finds and loads the CLI for the bin/ entry points: the bundle `npm run build` makes (dist/k8snet.cjs),
// or, in a checkout built with `tsc -p tsconfig.build.json` after the last bundle, tsc's output instead
// of a stale bundle (development only: a package holds the bundle alone).
//
// The bundle is compiled through V8's code cache (issue 11; docs/benchmarks.md): the first run of a
// command keeps the code V8 compiled for it (the functions that run compiled too, not only the
// top level) in a file under the user's cache directory, and later runs of that command start from
// it instead of parsing and compiling again: about 100 ms less for a healthy `diagnose` on the lab.
// The file holds compiled code of the bundle only, never data the run read. It is keyed by the
// bundle's hash, size and time and by the Node.js version and architecture, one file per command;
// V8 itself refuses a cache of another V8 or other flags (then it is written again). Where it lives:
// $K8SNET_CACHE_DIR, else $XDG_CACHE_HOME/k8snet, else ~/.cache/k8snet, made with mode 0700 and used
// only while it is the user's own and writable by no one else. K8SNET_COMPILE_CACHE=0 turns it off.
// Any failure to read or write it only costs the compile time it would have saved.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const BUNDLE = fileURLToPath(new URL('../dist/k8snet.cjs', import.meta.url));
const BUILD_INFO = fileURLToPath(new URL('../dist/k8snet.build.json', import.meta.url));
/** Commands with a cache file of their own (each compiles different code); the rest share one. */
const COMMANDS = new Set(['diagnose', 'analyze', 'sweep', 'policy', 'rbac']);

export async function loadMain() {
  const tscMain = new URL('../dist/cli/main.js', import.meta.url);
  const useTsc = existsSync(tscMain) && (!existsSync(BUNDLE) || statSync(tscMain).mtimeMs > statSync(BUNDLE).mtimeMs);
  if (useTsc) return (await import(tscMain.href)).main;
  if (!existsSync(BUNDLE)) {
    process.stderr.write('error: k8snet is not built\n  why:  dist/k8snet.cjs is missing\n  next: run `npm run build` in the k8snet checkout\n');
    process.exit(3);
  }
  // --debug prints stack traces: map them from the bundle back to src/ (a plain require, which
  // Node.js maps; no compile cache then)
  if (process.argv.includes('--debug')) {
    process.setSourceMapsEnabled(true);
    return createRequire(import.meta.url)(BUNDLE).main;
  }
  return loadBundle(process.argv, process.env).main;
}

/** Runs the bundle as CommonJS does, through the compile cache when one can be used. */
export function loadBundle(argv, env) {
  const bytes = readFileSync(BUNDLE);
  const info = readBuildInfo();
  // an ASCII bundle (the build says so) needs no UTF-8 decoding pass (7 ms for this file)
  const source = bytes.toString(info?.ascii ? 'latin1' : 'utf8');
  const found = info ? compileCacheFile(info, argv, env) : undefined;
  const cacheFile = found && ownedDir(path.dirname(found)) ? found : undefined;
  let cached;
  if (cacheFile) {
    try {
      // compiled code runs as this user: only a file this user wrote is read
      cached = ownedByMe(statSync(cacheFile)) ? readFileSync(cacheFile) : undefined;
    } catch {
      cached = undefined; // not written yet (or unreadable): compiled as without a cache
    }
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapper, { filename: BUNDLE, ...(cached ? { cachedData: cached } : {}) });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE));
  // written once the run is over, so it holds what the command compiled (its functions included)
  if (cacheFile && (!cached || script.cachedDataRejected)) process.once('exit', () => writeCompileCache(cacheFile, () => script.createCachedData()));
  return module.exports;
}

const ownedByMe = (st) => typeof process.getuid !== 'function' || st.uid === process.getuid();

/**
 * Whether the cache directory is this user's alone (or does not exist yet: it is then made so). A
 * directory others can write to could hold a planted file, and compiled code is not checked.
 */
export function ownedDir(dir) {
  try {
    const st = statSync(dir);
    // (Windows has no such mode bits: the owner check stands alone there)
    return st.isDirectory() && ownedByMe(st) && (process.platform === 'win32' || (st.mode & 0o022) === 0);
  } catch (e) {
    return e?.code === 'ENOENT';
  }
}

function readBuildInfo() {
  try {
    const info = JSON.parse(readFileSync(BUILD_INFO, 'utf8'));
    return typeof info.sha256 === 'string' && /^[0-9a-f]{64}$/.test(info.sha256) ? info : undefined;
  } catch {
    return undefined; // no build info (a hand-made bundle): no cache, nothing could key it
  }
}

/** The cache file of this bundle, Node.js and command; undefined when turned off or no directory is known. */
export function compileCacheFile(info, argv, env) {
  if (env.K8SNET_COMPILE_CACHE === '0') return undefined;
  let dir = env.K8SNET_CACHE_DIR || (env.XDG_CACHE_HOME ? path.join(env.XDG_CACHE_HOME, 'k8snet') : '');
  if (!dir) {
    try {
      dir = path.join(homedir(), '.cache', 'k8snet');
    } catch {
      return undefined;
    }
  }
  if (!path.isAbsolute(dir)) return undefined;
  const st = statSync(BUNDLE);
  const command = argv.slice(2).find((a) => COMMANDS.has(a)) ?? 'other';
  const key = `${info.sha256.slice(0, 16)}-${st.size}-${Math.trunc(st.mtimeMs)}-${process.version}-${process.arch}`;
  return path.join(dir, `compile-${key}-${command}.v8`);
}

/** Other builds' files are removed once a day old, and beyond this many files, oldest first. */
const KEEP_OTHER_MS = 24 * 3600 * 1000;
const MAX_FILES = 32;

/**
 * Writes the cache atomically (temp file, then rename), and removes other builds' files that are a day
 * old (two installed versions used by turns each keep theirs) or too many. Never throws.
 */
export function writeCompileCache(file, data) {
  try {
    const dir = path.dirname(file);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data(), { mode: 0o600 });
    renameSync(tmp, file);
    const key = path.basename(file).replace(/-[a-z]+\.v8$/, '-');
    const now = Date.now();
    const others = readdirSync(dir)
      // (a temp file left by a run killed while writing goes the same way)
      .filter((name) => /^compile-.*\.v8(\.\d+\.tmp)?$/.test(name) && !name.startsWith(key))
      .map((name) => ({ name, mtimeMs: statSync(path.join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const [i, f] of others.entries()) {
      if (now - f.mtimeMs > KEEP_OTHER_MS || i >= MAX_FILES) unlinkSync(path.join(dir, f.name));
    }
  } catch {
    // a read-only or full disk: the next run compiles again
  }
}
