// Issue 11: Api sends its requests over one HTTP/2 connection when the API server picks h2 in ALPN,
// over HTTP/1.1 otherwise, with the same TLS material, auth, timeouts, truncation and errors. Against
// loopback stand-ins (test/fixtures/tls): an HTTP/2 server that also speaks HTTP/1.1 (as
// kube-apiserver does) and an HTTP/1.1-only one. K8SNET_HTTP1=1 (the escape hatch) gives the HTTP/1.1
// answers to compare with.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { Api } from '../../../src/cluster/api.js';
import { runExec } from '../../../src/cluster/exec.js';
import { loadKubeConfig } from '../../../src/cluster/kubeconfig.js';
import { ClusterError } from '../../../src/errors.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'tls');
const pem = (f: string) => readFileSync(path.join(fixtures, f));
const b64 = (f: string) => pem(f).toString('base64');
const dir = mkdtempSync(path.join(tmpdir(), 'k8snet-h2-'));

interface Seen {
  server: 'h2' | 'h1';
  version: string;
  method: string;
  path: string;
  /** Which TLS connection (numbered per server). */
  conn: number;
  cn?: string;
  authorization?: string;
  contentType?: string;
  body: string;
}
const seen: Seen[] = [];
const conns = new WeakMap<object, number>();
let connCount = 0;
let h2Sessions = 0;
let h2Closed = 0;
const refused = new Set<string>();
const upgrades: { reused: boolean; cn?: string }[] = [];

/** One handler for both servers (the compatibility API of http2 looks like http's). */
function handler(server: Seen['server']) {
  return (req: http2.Http2ServerRequest | import('node:http').IncomingMessage, res: http2.Http2ServerResponse | import('node:http').ServerResponse) => {
    // HTTP/2: the connection is the session (its socket); HTTP/1.1: the socket
    const tlsSocket = ('stream' in req ? req.stream.session?.socket : req.socket) as tls.TLSSocket;
    const cert = tlsSocket.getPeerCertificate();
    const key = 'stream' in req ? req.stream.session! : tlsSocket;
    if (!conns.has(key)) conns.set(key, ++connCount);
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const url = req.url ?? '';
      seen.push({
        server,
        version: req.httpVersion,
        method: req.method ?? '',
        path: url,
        conn: conns.get(key)!,
        cn: cert && 'subject' in cert ? cert.subject?.CN : undefined,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      });
      const r = res as import('node:http').ServerResponse;
      if (url === '/slow') return; // never answers
      if (url === '/refuse-once' && 'stream' in req && !refused.has(url)) {
        refused.add(url);
        req.stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
        return;
      }
      const status = (code: number, reason: string, message: string) =>
        r.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', status: 'Failure', reason, message, code }));
      if (url === '/missing') return status(404, 'NotFound', 'pods "x" not found');
      if (url === '/denied') return status(403, 'Forbidden', 'pods is forbidden: User "u" cannot list resource "pods"');
      if (url === '/big') return r.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(200_000));
      r.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: url, version: req.httpVersion, body }));
      if (url === '/goaway' && 'stream' in req) req.stream.session?.goaway(http2.constants.NGHTTP2_NO_ERROR);
    });
  };
}

const tlsOptions = { key: pem('server.key'), cert: pem('server.crt'), ca: pem('ca.crt'), requestCert: true, rejectUnauthorized: false };
let h2server: http2.Http2SecureServer;
let h1server: https.Server;
beforeAll(async () => {
  // kube-apiserver offers h2 and http/1.1 (exec's WebSockets need the latter)
  h2server = http2.createSecureServer({ ...tlsOptions, allowHTTP1: true }, handler('h2'));
  h2server.on('session', (s: http2.ServerHttp2Session) => {
    h2Sessions++;
    s.on('close', () => h2Closed++);
  });
  // exec's WebSocket (HTTP/1.1 upgrade) on the same port
  new WebSocketServer({ server: h2server as unknown as https.Server, handleProtocols: () => 'v4.channel.k8s.io' }).on('connection', (ws, req) => {
    const sock = req.socket as tls.TLSSocket;
    upgrades.push({ reused: sock.isSessionReused(), cn: sock.getPeerCertificate().subject?.CN });
    ws.send(Buffer.concat([Buffer.from([3]), Buffer.from('{"status":"Success"}')]), () => ws.close());
  });
  h1server = https.createServer(tlsOptions, handler('h1'));
  await new Promise<void>((r) => h2server.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => h1server.listen(0, '127.0.0.1', r));
});
afterAll(() => {
  h2server.close();
  h1server.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  seen.length = 0;
});

let n = 0;
/** A kubeconfig for a stand-in; `cluster` and `user` are YAML flow mappings' contents. */
function kubeconfig(server: http2.Http2SecureServer | https.Server, cluster: string, user: string): string {
  const p = path.join(dir, `kc${n++}.yaml`);
  const port = (server.address() as AddressInfo).port;
  writeFileSync(
    p,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:${port}", ${cluster}}\nusers:\n- name: u\n  user: {${user}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`,
  );
  return p;
}
const CA = `certificate-authority-data: ${b64('ca.crt')}, tls-server-name: api.k8snet.test`;
const CLIENT = `client-certificate-data: ${b64('client.crt')}, client-key-data: ${b64('client.key')}`;

/** An Api for `kc`; `http1` builds it with K8SNET_HTTP1=1 (restored after). */
async function api(kc: string, http1 = false): Promise<Api> {
  const { kc: config } = await loadKubeConfig({ kubeconfig: kc });
  const before = process.env.K8SNET_HTTP1;
  if (http1) process.env.K8SNET_HTTP1 = '1';
  try {
    return new Api(config, Date.now() + 8000);
  } finally {
    if (before === undefined) delete process.env.K8SNET_HTTP1;
    else process.env.K8SNET_HTTP1 = before;
  }
}
async function using<T>(a: Api, f: (a: Api) => Promise<T>): Promise<T> {
  try {
    return await f(a);
  } finally {
    a.close();
  }
}
const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.unreachable('the request succeeded'),
    (e: unknown) => e as ClusterError,
  );
const until = async (f: () => boolean) => {
  for (let i = 0; i < 100 && !f(); i++) await new Promise((r) => setTimeout(r, 20));
  return f();
};

describe('HTTP/2 when the server offers it', () => {
  it('parallel reads go over one HTTP/2 session (one TLS connection) with the client certificate; close() ends it', async () => {
    const sessions = h2Sessions;
    const closed = h2Closed;
    const a = await api(kubeconfig(h2server, CA, CLIENT));
    const reads = await using(a, () => Promise.all(Array.from({ length: 12 }, (_, i) => a.getJson<{ path: string }>(`/r${i}`))));
    expect(reads.map((r) => r.path)).toEqual(Array.from({ length: 12 }, (_, i) => `/r${i}`));
    expect(a.stats.requests).toBe(12);
    expect(seen).toHaveLength(12);
    expect(new Set(seen.map((s) => s.version))).toEqual(new Set(['2.0']));
    expect(new Set(seen.map((s) => s.conn)).size).toBe(1);
    expect(seen.every((s) => s.cn === 'k8snet-test-user')).toBe(true);
    expect(h2Sessions - sessions).toBe(1);
    expect(await until(() => h2Closed - closed === 1)).toBe(true);
  });

  it('a bearer token and basic auth become headers', async () => {
    await using(await api(kubeconfig(h2server, CA, 'token: tok-h2')), (a) => a.getJson('/token'));
    await using(await api(kubeconfig(h2server, CA, 'username: alice, password: s3cret')), (a) => a.getJson('/basic'));
    expect(seen.map((s) => [s.version, s.path, s.cn, s.authorization])).toEqual([
      ['2.0', '/token', undefined, 'Bearer tok-h2'],
      ['2.0', '/basic', undefined, `Basic ${Buffer.from('alice:s3cret').toString('base64')}`],
    ]);
  });

  it('POST and PATCH carry their body and content type', async () => {
    const a = await api(kubeconfig(h2server, CA, CLIENT));
    await using(a, async () => {
      expect(await a.postJson('/post', { kind: 'SelfSubjectAccessReview' })).toMatchObject({ version: '2.0', body: '{"kind":"SelfSubjectAccessReview"}' });
      await a.patchStrategic('/patch', { spec: {} });
    });
    expect(seen.map((s) => [s.method, s.contentType, s.body])).toEqual([
      ['POST', 'application/json', '{"kind":"SelfSubjectAccessReview"}'],
      ['PATCH', 'application/strategic-merge-patch+json', '{"spec":{}}'],
    ]);
  });

  it('GOAWAY: the next request opens a new session', async () => {
    const sessions = h2Sessions;
    const closed = h2Closed;
    const a = await api(kubeconfig(h2server, CA, CLIENT));
    await using(a, async () => {
      await a.getJson('/goaway');
      expect(await until(() => h2Closed === closed + 1)).toBe(true);
      await a.getJson('/after');
    });
    expect(seen.map((s) => [s.path, s.version])).toEqual([
      ['/goaway', '2.0'],
      ['/after', '2.0'],
    ]);
    expect(seen[0].conn).not.toBe(seen[1].conn);
    expect(h2Sessions - sessions).toBe(2);
  });

  it('client certificate files replaced during the run: a new session presents the new certificate', async () => {
    const crt = path.join(dir, 'rotating.crt');
    const key = path.join(dir, 'rotating.key');
    writeFileSync(crt, pem('client.crt'));
    writeFileSync(key, pem('client.key'));
    const a = await api(kubeconfig(h2server, CA, `client-certificate: ${crt}, client-key: ${key}`));
    await using(a, async () => {
      await a.getJson('/old');
      writeFileSync(crt, pem('server.crt')); // another certificate of the same CA
      writeFileSync(key, pem('server.key'));
      await a.getJson('/new');
    });
    expect(seen.map((s) => [s.path, s.version, s.cn])).toEqual([
      ['/old', '2.0', 'k8snet-test-user'],
      ['/new', '2.0', 'api.k8snet.test'],
    ]);
    expect(seen[0].conn).not.toBe(seen[1].conn);
  });
});

describe('exec beside HTTP/2', () => {
  it("exec's WebSocket stays on HTTP/1.1 and resumes the TLS session of the HTTP/2 connection", async () => {
    const a = await api(kubeconfig(h2server, CA, CLIENT));
    await using(a, async () => {
      await a.getJson('/first');
      const x = await runExec(a, { namespace: 'ns', pod: 'p', container: 'c', argv: ['true'], timeoutMs: 5000 });
      expect([x.state, x.exitCode]).toEqual(['completed', 0]);
    });
    expect(seen.map((s) => [s.path, s.version])).toEqual([['/first', '2.0']]);
    expect(upgrades).toEqual([{ reused: true, cn: 'k8snet-test-user' }]);
  });
});

describe('the same answers and errors as HTTP/1.1', () => {
  it('a server that speaks only HTTP/1.1: the requests go over HTTP/1.1', async () => {
    const a = await api(kubeconfig(h1server, CA, CLIENT));
    const reads = await using(a, async () => [...(await Promise.all([a.getJson('/a'), a.getJson('/b'), a.getJson('/c')])), await a.getJson('/d')]);
    expect(reads).toHaveLength(4);
    expect(seen.map((s) => [s.server, s.version, s.cn])).toEqual(Array.from({ length: 4 }, () => ['h1', '1.1', 'k8snet-test-user']));
  });

  it('K8SNET_HTTP1=1 forces HTTP/1.1 although the server offers h2', async () => {
    const sessions = h2Sessions;
    await using(await api(kubeconfig(h2server, CA, CLIENT), true), (a) => a.getJson('/forced'));
    expect(seen.map((s) => [s.path, s.version])).toEqual([['/forced', '1.1']]);
    expect(h2Sessions).toBe(sessions);
  });

  it('a CA that did not sign the server certificate: the error of HTTP/1.1', async () => {
    const kc = kubeconfig(h2server, `certificate-authority-data: ${b64('other-ca.crt')}, tls-server-name: api.k8snet.test`, CLIENT);
    const e2 = await using(await api(kc), (a) => failure(a.getJson('/version')));
    const e1 = await using(await api(kc, true), (a) => failure(a.getJson('/version')));
    expect(e2).toBeInstanceOf(ClusterError);
    expect([e2.kind, e2.message, e2.why, e2.next]).toEqual([e1.kind, e1.message, e1.why, e1.next]);
    expect(e2.kind).toBe('config');
    expect(e2.why).toMatch(/TLS failed/);
    expect(seen).toHaveLength(0);
  });

  it('a server that does not answer in time: kind timeout with the HTTP/1.1 text; the session still serves', async () => {
    const a = await api(kubeconfig(h2server, CA, CLIENT));
    await using(a, async () => {
      const t0 = Date.now();
      const e = await failure(a.getJson('/slow', { timeoutMs: 300 }));
      expect(Date.now() - t0).toBeLessThan(2000);
      expect([e.kind, e.message, e.why]).toEqual([
        'timeout',
        'GET /slow timed out after 300 ms',
        `the API server at 127.0.0.1:${(h2server.address() as AddressInfo).port} did not answer in time`,
      ]);
      expect(await a.read('/slow', { timeoutMs: 200 })).toEqual({ state: 'timeout', message: 'GET /slow timed out after 200 ms: ' + e.why });
      expect(await a.getJson('/after')).toMatchObject({ version: '2.0' });
    });
    expect(new Set(seen.map((s) => s.conn)).size).toBe(1);
  });

  it('maxBytes truncates a log as on HTTP/1.1', async () => {
    const kc = kubeconfig(h2server, CA, CLIENT);
    const t2 = await using(await api(kc), (a) => a.getText('/big', { maxBytes: 1000 }));
    const t1 = await using(await api(kc, true), (a) => a.getText('/big', { maxBytes: 1000 }));
    expect(seen.map((s) => s.version)).toEqual(['2.0', '1.1']);
    for (const t of [t2, t1]) {
      expect(t.length).toBeGreaterThanOrEqual(1000);
      expect(t.length).toBeLessThan(200_000);
    }
  });

  it('404 and 403 are the same Read states and messages', async () => {
    const kc = kubeconfig(h2server, CA, CLIENT);
    const reads = async (http1: boolean) => using(await api(kc, http1), async (a) => [await a.read('/missing'), await a.read('/denied')]);
    const r2 = await reads(false);
    expect(r2).toEqual(await reads(true));
    expect(r2).toEqual([
      { state: 'not-found', message: 'GET /missing failed with HTTP 404: pods "x" not found' },
      { state: 'forbidden', message: 'GET /denied failed with HTTP 403: pods is forbidden: User "u" cannot list resource "pods"' },
    ]);
    expect(seen.map((s) => s.version)).toEqual(['2.0', '2.0', '1.1', '1.1']);
  });

  it('a stream refused before any answer is sent again over HTTP/1.1, once; the next request is on HTTP/2 again', async () => {
    const a = await api(kubeconfig(h2server, CA, CLIENT));
    await using(a, async () => {
      expect(await a.getJson('/refuse-once')).toMatchObject({ path: '/refuse-once', version: '1.1' });
      expect(await a.getJson('/next')).toMatchObject({ version: '2.0' });
    });
    expect(seen.map((s) => [s.path, s.version])).toEqual([
      ['/refuse-once', '2.0'],
      ['/refuse-once', '1.1'],
      ['/next', '2.0'],
    ]);
    expect(a.stats.requests).toBe(2);
  });
});

describe('the process', () => {
  it('is not kept alive by the HTTP/2 session: a request without close() exits promptly', async () => {
    const { bundle } = (await import(path.join(root, 'scripts', 'build.mjs'))) as { bundle: (o: object) => Promise<unknown> };
    const script = path.join(dir, 'one-request.mjs');
    await bundle({
      stdin: {
        contents: [
          "import { loadKubeConfig } from './src/cluster/kubeconfig.ts';",
          "import { Api } from './src/cluster/api.ts';",
          'const api = new Api((await loadKubeConfig({ kubeconfig: process.argv[2] })).kc, Date.now() + 8000);',
          "console.log(JSON.stringify(await api.getJson('/exit')));",
        ].join('\n'),
        resolveDir: root,
        sourcefile: 'h2-exit-entry.ts',
        loader: 'ts',
      },
      outfile: script,
      sourcemap: false,
      legalComments: 'none',
    });
    const kc = kubeconfig(h2server, CA, CLIENT);
    const t0 = Date.now();
    const r = await new Promise<{ code: number | null; out: string; err: string; ms: number }>((resolve) => {
      const child = execFile(process.execPath, [script, kc], { encoding: 'utf8', timeout: 10000 }, (_e, out, err) =>
        resolve({ code: child.exitCode, out, err, ms: Date.now() - t0 }),
      );
    });
    expect(r.out.trim(), r.err).toBe(JSON.stringify({ path: '/exit', version: '2.0', body: '' }));
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(5000); // a session that kept the process alive would run into the 10 s kill
  }, 30000);
});
