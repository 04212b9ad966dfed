#!/usr/bin/env node
// npm run build (and prepack): bundles the CLI (src/cli/main.ts and everything it imports,
// dependencies included) into one tree-shaken CommonJS file, dist/k8snet.cjs, which bin/k8snet.js
// loads through bin/load-main.js (with V8's compile cache: cliBundleOptions below says why CommonJS);
// what only some commands need (the cluster client, the policy engine, the spinner) runs on first
// use. Start-up then reads one file instead of resolving hundreds of modules (docs/benchmarks.md has
// the numbers). Type-checking stays with `tsc --noEmit`; esbuild only strips types.
//   node scripts/build.mjs            the CLI bundle
// bundle() is also used by bench/render.mjs to load the pure pipeline from the sources.

import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// CommonJS dependencies bundled into ESM call require() for Node built-ins: give them a real one.
const BANNER = "import { createRequire as __k8snetCreateRequire } from 'node:module';\nconst require = __k8snetCreateRequire(import.meta.url);";

/**
 * The cluster client's chunk, trimmed to what KubeConfig needs (issue 11; docs/benchmarks.md). It was
 * 1.6 MB of which the start of every cluster command compiled all: 100 ms of CPU before the first request.
 * - @kubernetes/client-node's package.json does not say its modules are free of side effects, so
 *   esbuild kept every module its index re-exports (700 generated models, the API classes, cp's tar
 *   code) although k8snet imports KubeConfig alone. Its modules have none (no bare imports, no globals
 *   set): marked so, only what KubeConfig reaches stays.
 * - node-fetch (imported by KubeConfig's module) loads whatwg-url, and with it tr46's 290 KB mapping
 *   table, only as a fallback for a missing `require('url').URL`, which every Node.js has: it gets
 *   Node's URL instead.
 * - The proxy agents KubeConfig imports at its top (socks-proxy-agent with socks, ip-address, agent-base
 *   and debug; hpagent) were evaluated at every start, 13 ms of CPU for socks-proxy-agent alone:
 *   client-node's imports of them get a stand-in (LAZY below) that requires the real module, bundled as
 *   before, when first used, so a kubeconfig with a proxy-url loads them at its first connection and
 *   others never. node-fetch (client-node's fetch-based API clients, unused here) gets the same.
 */
const trimClusterClient = {
  name: 'k8snet-trim-cluster-client',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'k8snet-trim' || args.namespace === 'k8snet-lazy' || args.namespace === 'k8snet-narrow') return undefined;
      // KubeConfig comes from the package's config.js: import that module instead of the package index,
      // and config.js's two names from the generated client's index from their own modules, so esbuild
      // no longer parses the ~900 modules (14 MB) the indexes re-export only to drop them (the bundle
      // is the same; the build and the bundling unit test take seconds less)
      if (args.path === '@kubernetes/client-node' && !/[\\/]node_modules[\\/]/.test(args.importer)) {
        const index = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'k8snet-trim' });
        if (index.errors.length > 0) return { errors: index.errors };
        return { path: path.join(path.dirname(index.path), 'config.js'), sideEffects: false };
      }
      if (args.path === './gen/index.js' && /[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]config\.js$/.test(args.importer)) {
        return { path: path.join(args.resolveDir, 'gen', 'index.js'), namespace: 'k8snet-narrow' };
      }
      if (Object.hasOwn(LAZY, args.path) && /[\\/]node_modules[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]/.test(args.importer)) {
        return { path: args.path, namespace: 'k8snet-lazy', pluginData: { resolveDir: args.resolveDir } };
      }
      if (args.path === 'whatwg-url' && /[\\/]node_modules[\\/]node-fetch[\\/]/.test(args.importer)) {
        return { path: 'whatwg-url', namespace: 'k8snet-node-url' };
      }
      if (!/@kubernetes[\\/]client-node/.test(`${args.resolveDir}|${args.path}`)) return undefined;
      const r = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'k8snet-trim' });
      if (r.errors.length > 0 || !/[\\/]node_modules[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]/.test(r.path)) return undefined;
      return { ...r, sideEffects: false };
    });
    b.onLoad({ filter: /.*/, namespace: 'k8snet-node-url' }, () => ({ contents: "module.exports = { URL: require('node:url').URL };", loader: 'js' }));
    b.onLoad({ filter: /.*/, namespace: 'k8snet-narrow' }, (args) => ({
      contents: "export { createConfiguration } from './configuration.js';\nexport { ServerConfiguration } from './servers.js';\n",
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
    b.onLoad({ filter: /.*/, namespace: 'k8snet-lazy' }, (args) => ({
      contents: lazyModule(args.path, LAZY[args.path]),
      loader: 'js',
      resolveDir: args.pluginData.resolveDir,
    }));
  },
};

/**
 * CommonJS modules client-node imports at the top of KubeConfig's module but uses only with a proxy-url,
 * and the classes it imports from each (it only constructs them: `new X(...)` in KubeConfig.createAgent).
 */
export const LAZY = {
  'socks-proxy-agent': ['SocksProxyAgent'],
  hpagent: ['HttpProxyAgent', 'HttpsProxyAgent'],
  // KubeConfig.applyToFetchOptions (`new Headers()`) and the generated clients' fetch (the default
  // export, called): neither is used by k8snet, which sends its requests itself (src/cluster/api.ts)
  'node-fetch': ['Headers', 'default()'],
};

/**
 * A stand-in for the module `name` exporting `classes`: constructing one requires the real module
 * (bundled; evaluated at that first require) and returns an instance of the real class (a constructor
 * may return an object), built from the same arguments.
 */
export function lazyModule(name, classes) {
  const lines = [
    `// k8snet: ${name}, loaded when first used (scripts/build.mjs, LAZY)`,
    'let real;',
    `const load = () => (real ??= require(${JSON.stringify(name)}));`,
  ];
  for (const c of classes) {
    // 'default()': the module itself is the function (CommonJS `module.exports = fn`), called
    if (c === 'default()')
      lines.push('export default function lazyDefault(...args) { const m = load(); return (typeof m === "function" ? m : m.default)(...args); }');
    else lines.push(`export class ${c} { constructor(...args) { return new (load().${c})(...args); } }`);
  }
  return lines.join('\n');
}

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
    plugins: [trimClusterClient],
    ...extra,
  };
}

export async function bundle(extra) {
  return build(bundleOptions(extra));
}

/** The CLI bundle, and the file beside it that bin/load-main.js reads to key its compile cache. */
const CLI_BUNDLE = 'k8snet.cjs';
const CLI_BUILD_INFO = 'k8snet.build.json';

/**
 * The CLI as one CommonJS file (issue 11; docs/benchmarks.md). k8snet's sources are ESM; the shipped
 * bundle is CommonJS because Node.js 20 can keep V8's compiled code of a script between runs
 * (vm.Script's cachedData, used by bin/load-main.js) but not of an ES module (module.enableCompileCache
 * came with Node.js 22). esbuild keeps what `import()` loads (the cluster client, the analysis, the
 * spinner) in closures run on first use, as the ESM chunks were. Whitespace and comments are dropped:
 * a smaller file to parse, and the output is then ASCII (esbuild escapes non-ASCII characters in code,
 * comments were the only place left), which the loader decodes without a UTF-8 pass.
 */
function cliBundleOptions(version) {
  return bundleOptions({
    format: 'cjs',
    // "use strict" first: the banner goes above esbuild's own "use strict", which is then no directive
    // (the ES modules the bundle is made of were strict). Then the bundle's own path as a file: URL
    // (src/version.ts reads package.json beside it); CommonJS has a real require(), so the ESM
    // banner's createRequire is not needed
    banner: { js: '"use strict";var __k8snetMetaUrl=require("node:url").pathToFileURL(__filename).href;' },
    define: { __K8SNET_VERSION__: JSON.stringify(version), 'import.meta.url': '__k8snetMetaUrl' },
    entryPoints: { k8snet: path.join(root, 'src/cli/main.ts') },
    outdir: path.join(root, 'dist'),
    outExtension: { '.js': '.cjs' },
    minifyWhitespace: true,
    metafile: true,
  });
}

/** What the loader needs to know about the bundle: its hash (the compile cache's key) and that it is ASCII. */
function cliBuildInfo(bytes, version) {
  const ascii = !bytes.some((b) => b > 0x7f);
  return { version, sha256: createHash('sha256').update(bytes).digest('hex'), ascii };
}

/**
 * The bundle carries code of npm packages that are not installed beside it (they are devDependencies):
 * their license texts go into one file shipped in dist/. Returns how many packages it lists.
 */
function writeThirdPartyLicenses(metafile, file) {
  const dirs = new Set();
  for (const o of Object.values(metafile.outputs)) {
    for (const input of Object.keys(o.inputs)) {
      const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.replace(/^k8snet-[\w-]+:/, '')); // a plugin's namespace: prefix
      if (m) dirs.add(path.resolve(root, m[1]));
    }
  }
  const parts = [...dirs]
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const lic = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
      const text = lic
        ? readFileSync(path.join(dir, lic), 'utf8').trim()
        : `(no license file in the package; package.json says: ${JSON.stringify(pkg.license ?? 'none')})`;
      return {
        id: `${pkg.name}@${pkg.version}`,
        text: `${pkg.name}@${pkg.version} (${typeof pkg.license === 'string' ? pkg.license : 'see below'})\n\n${text}\n`,
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  const head = 'k8snet bundles code of these npm packages into dist/ (npm run build). Their licenses follow.\n';
  writeFileSync(file, [head, ...parts.map((p) => p.text)].join(`\n${'-'.repeat(78)}\n\n`));
  return parts.length;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  const result = await bundle(cliBundleOptions(version));
  const file = path.join(root, 'dist', CLI_BUNDLE);
  const bytes = readFileSync(file);
  writeFileSync(path.join(root, 'dist', CLI_BUILD_INFO), JSON.stringify(cliBuildInfo(bytes, version)) + '\n');
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  const notices = writeThirdPartyLicenses(result.metafile, path.join(root, 'dist/THIRD-PARTY-LICENSES.txt'));
  console.log(
    `built dist/${CLI_BUNDLE} (${kib(bytes.length)}) in ${Date.now() - t0} ms; licenses of ${notices} bundled packages in dist/THIRD-PARTY-LICENSES.txt`,
  );
}
