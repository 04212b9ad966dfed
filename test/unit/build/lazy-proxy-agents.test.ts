// scripts/build.mjs (issue 11): in the bundle, client-node's proxy agents (socks-proxy-agent, hpagent)
// and node-fetch are stand-ins that load the real module when first used (a proxy-url; fetch options). Bundles k8snet's
// kubeconfig loading and API client the way the CLI bundle does, then, in a child process each:
// without a proxy the socks chain is never evaluated (its `debug` dependency's require of
// supports-color is the marker); with an http:// and a socks5:// proxy-url the request reaches a
// loopback HTTPS server through a loopback proxy (test/fixtures/tls).

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'tls');
const pem = (f: string) => readFileSync(path.join(fixtures, f));
const dir = mkdtempSync(path.join(tmpdir(), 'k8snet-lazy-proxy-'));
const bundleFile = path.join(dir, 'client.mjs');
const preload = path.join(dir, 'requires.cjs');

let server: https.Server;
let port = 0;
let httpProxy: http.Server;
let socksProxy: net.Server;
const via: string[] = [];

beforeAll(async () => {
  const { bundle } = (await import(path.join(root, 'scripts', 'build.mjs'))) as { bundle: (o: object) => Promise<unknown> };
  await bundle({
    stdin: {
      contents: [
        "import { loadKubeConfig } from './src/cluster/kubeconfig.ts';",
        "import { Api } from './src/cluster/api.ts';",
        'const loaded = await loadKubeConfig({ kubeconfig: process.argv[2] });',
        'const api = new Api(loaded.kc, Date.now() + 8000);',
        "if (process.argv[3] === 'fetch-options') { const o = await loaded.kc.applyToFetchOptions({}); console.log(o.headers.constructor.name, o.headers.get('authorization')); process.exit(0); }",
        "try { console.log(JSON.stringify(await api.getJson('/version'))); } finally { api.close(); }",
      ].join('\n'),
      resolveDir: root,
      sourcefile: 'lazy-proxy-entry.ts',
      loader: 'ts',
    },
    outfile: bundleFile,
    sourcemap: false,
    legalComments: 'none',
  });
  // every require the bundle makes at run time (Node built-ins, and the optional supports-color), listed at exit
  writeFileSync(
    preload,
    "const M = require('node:module'); const seen = new Set(); const r = M.prototype.require; M.prototype.require = function (id) { seen.add(id); return r.apply(this, arguments); }; process.on('exit', () => process.stderr.write('REQUIRES ' + JSON.stringify([...seen]) + '\\n'));\n",
  );

  server = https.createServer({ key: pem('server.key'), cert: pem('server.crt') }, (req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ gitVersion: 'v1.34.0', path: req.url }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  const tunnel = (client: net.Socket, host: string, p: number, ready: () => void) => {
    if (host !== '127.0.0.1' || p !== port) return client.destroy(); // the stand-in only, nothing else
    const up = net.connect(p, host, () => {
      ready();
      up.pipe(client);
      client.pipe(up);
    });
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  };
  httpProxy = http.createServer((_q, s) => s.writeHead(405).end());
  httpProxy.on('connect', (req: http.IncomingMessage, sock: net.Socket) => {
    via.push('http');
    const [h, p] = (req.url ?? '').split(':');
    tunnel(sock, h, Number(p), () => sock.write('HTTP/1.1 200 Connection Established\r\n\r\n'));
  });
  // SOCKS5, no authentication, CONNECT to an IPv4 address: what socks-proxy-agent sends for socks5://127.0.0.1
  socksProxy = net.createServer((sock) => {
    sock.once('data', () => {
      sock.write(Buffer.from([5, 0]));
      sock.once('data', (req: Buffer) => {
        via.push('socks');
        if (req[1] !== 1 || req[3] !== 1) return sock.destroy();
        tunnel(sock, [...req.subarray(4, 8)].join('.'), req.readUInt16BE(8), () => sock.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0])));
      });
    });
  });
  await new Promise<void>((r) => httpProxy.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => socksProxy.listen(0, '127.0.0.1', r));
}, 60000);
afterAll(() => {
  server?.close();
  httpProxy?.close();
  socksProxy?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the bundle in a child (asynchronously: the servers above answer from this process). */
async function run(proxyUrl?: string, mode?: string): Promise<{ out: string; requires: string[]; err: string }> {
  const kc = path.join(dir, `kc-${via.length}-${proxyUrl ? proxyUrl.split(':')[0] : 'direct'}.yaml`);
  const cluster = `{server: "https://127.0.0.1:${port}", certificate-authority-data: ${pem('ca.crt').toString('base64')}, tls-server-name: api.k8snet.test${proxyUrl ? `, proxy-url: "${proxyUrl}"` : ''}}`;
  writeFileSync(
    kc,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: ${cluster}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`,
  );
  const p = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['-r', preload, bundleFile, kc, ...(mode ? [mode] : [])], { encoding: 'utf8', timeout: 20000 }, (_e, stdout, stderr) =>
      resolve({ stdout, stderr }),
    );
  });
  const m = /REQUIRES (.*)/.exec(p.stderr);
  return { out: p.stdout.trim(), requires: m ? (JSON.parse(m[1]) as string[]) : [], err: p.stderr };
}

describe('proxy agents in the bundle', () => {
  it('without a proxy-url the socks chain is not evaluated, and the request works', async () => {
    const r = await run();
    expect(r.out, r.err).toBe(JSON.stringify({ gitVersion: 'v1.34.0', path: '/version' }));
    expect(r.err).toContain('REQUIRES '); // the preload reported (the list is empty: nothing optional was loaded)
    expect(r.requires).not.toContain('supports-color');
    expect(r.requires).not.toContain('zlib'); // node-fetch's marker: not evaluated either
  });

  it("client-node's fetch options still get node-fetch's Headers (node-fetch, loaded on use)", async () => {
    const r = await run(undefined, 'fetch-options');
    expect(r.out, r.err).toMatch(/^_?Headers Bearer t$/); // node-fetch's class (esbuild may rename it beside the stand-in's)
    expect(r.requires).toContain('zlib'); // the marker of the test above does appear when node-fetch is loaded
  });

  it('proxy-url http:// goes through the proxy (hpagent, loaded on use)', async () => {
    const before = via.length;
    const r = await run(`http://127.0.0.1:${(httpProxy.address() as AddressInfo).port}`);
    expect(r.out, r.err).toBe(JSON.stringify({ gitVersion: 'v1.34.0', path: '/version' }));
    expect(via.slice(before)).toEqual(['http']);
  });

  it('proxy-url socks5:// goes through the proxy (socks-proxy-agent, loaded on use)', async () => {
    const before = via.length;
    const r = await run(`socks5://127.0.0.1:${(socksProxy.address() as AddressInfo).port}`);
    expect(r.out, r.err).toBe(JSON.stringify({ gitVersion: 'v1.34.0', path: '/version' }));
    expect(via.slice(before)).toEqual(['socks']);
    expect(r.requires).toContain('supports-color'); // the marker of the negative test above does appear when loaded
  });
});
