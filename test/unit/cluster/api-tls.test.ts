// Issue 11: every connection of a run (the keep-alive reads' and each exec's WebSocket) uses one
// tls.SecureContext built from the kubeconfig's TLS material, and a new connection resumes the run's
// TLS session; every kubeconfig TLS/auth path still works: client certificate (inline and files),
// token, exec credential plugin returning a certificate, insecure-skip-tls-verify, tls-server-name,
// proxy-url. Against a loopback HTTPS+WebSocket stand-in for the API server (test/fixtures/tls).

import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { main } from '../../../src/cli/main.js';
import { Api, SecureContextCache } from '../../../src/cluster/api.js';
import { runExec } from '../../../src/cluster/exec.js';
import { loadKubeConfig } from '../../../src/cluster/kubeconfig.js';
import { ClusterError } from '../../../src/errors.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'tls');
const pem = (f: string) => readFileSync(path.join(fixtures, f));
const b64 = (f: string) => pem(f).toString('base64');
const dir = mkdtempSync(path.join(tmpdir(), 'k8snet-api-tls-'));

interface Seen {
  kind: 'http' | 'ws';
  cn?: string;
  authorized: boolean;
  reused: boolean;
  authorization?: string;
}
const seen: Seen[] = [];
const record = (kind: Seen['kind'], req: http.IncomingMessage) => {
  const sock = req.socket as tls.TLSSocket;
  const cert = sock.getPeerCertificate();
  seen.push({
    kind,
    cn: cert && 'subject' in cert ? cert.subject?.CN : undefined,
    authorized: sock.authorized,
    reused: sock.isSessionReused(),
    authorization: req.headers.authorization,
  });
};

let server: https.Server;
let port = 0;
let proxy: http.Server;
let proxyPort = 0;
let connects = 0;
beforeAll(async () => {
  // asks for a client certificate but lets requests without one in (the token user): each test checks what it saw
  server = https.createServer(
    { key: pem('server.key'), cert: pem('server.crt'), ca: pem('ca.crt'), requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      record('http', req);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ gitVersion: 'v1.34.0', path: req.url }));
    },
  );
  const wss = new WebSocketServer({ server, handleProtocols: () => 'v4.channel.k8s.io' });
  wss.on('connection', (ws, req) => {
    record('ws', req);
    ws.send(Buffer.concat([Buffer.from([1]), Buffer.from('hello')]));
    ws.send(Buffer.concat([Buffer.from([3]), Buffer.from('{"status":"Success"}')]), () => ws.close());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  // an HTTP CONNECT proxy on loopback that tunnels to the stand-in only
  proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req: http.IncomingMessage, sock: net.Socket, head: Buffer) => {
    connects++;
    if (req.url !== `127.0.0.1:${port}`) {
      sock.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const up = net.connect(port, '127.0.0.1', () => {
      sock.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(sock);
      sock.pipe(up);
    });
    up.on('error', () => sock.destroy());
    sock.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyPort = (proxy.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
  proxy.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  seen.length = 0;
  vi.restoreAllMocks();
});

let n = 0;
/** A kubeconfig for the stand-in; `cluster` and `user` are YAML flow mappings' contents. */
function kubeconfig(cluster: string, user: string): string {
  const p = path.join(dir, `kc${n++}.yaml`);
  writeFileSync(
    p,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:${port}", ${cluster}}\nusers:\n- name: u\n  user: {${user}}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`,
  );
  return p;
}
const CA = `certificate-authority-data: ${b64('ca.crt')}`;
const NAME = 'tls-server-name: api.k8snet.test';
const CLIENT = `client-certificate-data: ${b64('client.crt')}, client-key-data: ${b64('client.key')}`;

async function api(kc: string): Promise<Api> {
  return new Api((await loadKubeConfig({ kubeconfig: kc })).kc, Date.now() + 8000);
}
const exec = (a: Api) => runExec(a, { namespace: 'ns', pod: 'p', container: 'c', argv: ['true'], timeoutMs: 5000 });

describe('one SecureContext and resumed sessions per run', () => {
  it('client certificate: concurrent reads and two execs build one context; the execs resume the session and keep the identity', async () => {
    const a = await api(kubeconfig(`${CA}, ${NAME}`, CLIENT));
    const spy = vi.spyOn(tls, 'createSecureContext');
    try {
      const reads = await Promise.all(Array.from({ length: 8 }, (_, i) => a.getJson<{ path: string }>(`/r${i}`)));
      expect(reads.map((r) => r.path)).toEqual(Array.from({ length: 8 }, (_, i) => `/r${i}`));
      const e1 = await exec(a);
      const e2 = await exec(a);
      expect([e1.state, e1.exitCode, e1.stdout]).toEqual(['completed', 0, 'hello']);
      expect([e2.state, e2.exitCode, e2.stdout]).toEqual(['completed', 0, 'hello']);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      a.close();
    }
    expect(seen).toHaveLength(10);
    expect(seen.every((s) => s.cn === 'k8snet-test-user' && s.authorized)).toBe(true);
    const ws = seen.filter((s) => s.kind === 'ws');
    expect(ws).toHaveLength(2);
    expect(ws.every((s) => s.reused)).toBe(true);
  });

  it('through proxy-url the proxy agent of client-node connects (no shared context): reads and execs go through the proxy', async () => {
    const a = await api(kubeconfig(`${CA}, ${NAME}, proxy-url: "http://127.0.0.1:${proxyPort}"`, CLIENT));
    const before = connects;
    try {
      expect((await a.getJson<{ path: string }>('/through-proxy')).path).toBe('/through-proxy');
      expect((await exec(a)).stdout).toBe('hello');
    } finally {
      a.close();
    }
    expect(connects - before).toBe(2);
    expect(seen.map((s) => [s.kind, s.cn, s.authorized])).toEqual([
      ['http', 'k8snet-test-user', true],
      ['ws', 'k8snet-test-user', true],
    ]);
  });
});

describe('TLS material that changes during a run', () => {
  it('certificate files replaced between two execs: the second exec presents the new certificate (as a new client-node agent would)', async () => {
    const crt = path.join(dir, 'rotating.crt');
    const key = path.join(dir, 'rotating.key');
    writeFileSync(crt, pem('client.crt'));
    writeFileSync(key, pem('client.key'));
    const a = await api(kubeconfig(`${CA}, ${NAME}`, `client-certificate: ${crt}, client-key: ${key}`));
    try {
      await a.getJson('/version');
      expect((await exec(a)).exitCode).toBe(0);
      // another certificate of the same CA (the server's own serves as a second identity here)
      writeFileSync(crt, pem('server.crt'));
      writeFileSync(key, pem('server.key'));
      expect((await exec(a)).exitCode).toBe(0);
    } finally {
      a.close();
    }
    expect(seen.map((s) => [s.kind, s.cn])).toEqual([
      ['http', 'k8snet-test-user'],
      ['ws', 'k8snet-test-user'],
      ['ws', 'api.k8snet.test'],
    ]);
    expect(seen[2].reused).toBe(false); // the old identity's session is not offered
  });
});

describe('every kubeconfig TLS and auth path', () => {
  it('certificate and CA from files', async () => {
    const a = await api(
      kubeconfig(
        `certificate-authority: ${path.join(fixtures, 'ca.crt')}, ${NAME}`,
        `client-certificate: ${path.join(fixtures, 'client.crt')}, client-key: ${path.join(fixtures, 'client.key')}`,
      ),
    );
    try {
      await a.getJson('/version');
      expect((await exec(a)).exitCode).toBe(0);
    } finally {
      a.close();
    }
    expect(seen.map((s) => s.cn)).toEqual(['k8snet-test-user', 'k8snet-test-user']);
  });

  it('a token, no client certificate', async () => {
    const a = await api(kubeconfig(`${CA}, ${NAME}`, 'token: tok-abc'));
    try {
      await a.getJson('/version');
      expect((await exec(a)).exitCode).toBe(0);
    } finally {
      a.close();
    }
    expect(seen.map((s) => [s.cn, s.authorization])).toEqual([
      [undefined, 'Bearer tok-abc'],
      [undefined, 'Bearer tok-abc'],
    ]);
  });

  it('an exec credential plugin that returns a client certificate', async () => {
    const cred = JSON.stringify({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { clientCertificateData: pem('client.crt').toString(), clientKeyData: pem('client.key').toString() },
    });
    const plugin = path.join(dir, 'plugin.sh');
    writeFileSync(path.join(dir, 'cred.json'), cred);
    writeFileSync(plugin, `#!/bin/sh\ncat ${path.join(dir, 'cred.json')}\n`);
    chmodSync(plugin, 0o755);
    const a = await api(kubeconfig(`${CA}, ${NAME}`, `exec: {apiVersion: client.authentication.k8s.io/v1, command: "${plugin}", interactiveMode: Never}`));
    try {
      await a.getJson('/version');
      expect((await exec(a)).exitCode).toBe(0);
    } finally {
      a.close();
    }
    expect(seen.map((s) => s.cn)).toEqual(['k8snet-test-user', 'k8snet-test-user']);
  });

  it('insecure-skip-tls-verify: no CA, no name, still connects (and, verifying nothing, resumes sessions too)', async () => {
    const a = await api(kubeconfig('insecure-skip-tls-verify: true', CLIENT));
    try {
      await a.getJson('/version');
      expect((await exec(a)).exitCode).toBe(0);
    } finally {
      a.close();
    }
    expect(seen.map((s) => [s.cn, s.reused])).toEqual([
      ['k8snet-test-user', false],
      ['k8snet-test-user', true],
    ]);
  });

  it('the server name is checked: without tls-server-name the certificate (api.k8snet.test) does not match 127.0.0.1', async () => {
    const a = await api(kubeconfig(CA, CLIENT));
    try {
      const e = (await a.getJson('/version').catch((x: unknown) => x)) as ClusterError;
      expect(e).toBeInstanceOf(ClusterError);
      expect(e.kind).toBe('config');
      expect(e.why).toMatch(/TLS failed: .*(altnames|does not match)/i);
      const x = await exec(a);
      expect(x.state).toBe('exec-failed');
      expect(x.error).toMatch(/altnames|does not match/i);
    } finally {
      a.close();
    }
    expect(seen).toHaveLength(0);
  });

  it('a CA that did not sign the server certificate is refused, reads and execs alike', async () => {
    const a = await api(kubeconfig(`certificate-authority-data: ${b64('other-ca.crt')}, ${NAME}`, CLIENT));
    try {
      const e = (await a.getJson('/version').catch((x: unknown) => x)) as ClusterError;
      expect(e.kind).toBe('config');
      expect(e.why).toMatch(/TLS failed/);
      expect((await exec(a)).state).toBe('exec-failed');
    } finally {
      a.close();
    }
    expect(seen).toHaveLength(0);
  });
});

describe('TLS material that cannot be used', () => {
  it("a client key that is not the certificate's: a configuration error in three parts, not an internal one", async () => {
    const kc = kubeconfig(`${CA}, ${NAME}`, `client-certificate-data: ${b64('client.crt')}, client-key-data: ${b64('server.key')}`);
    let err = '';
    const io = { out: () => undefined, err: (t: string) => void (err += `${t}\n`), stderrIsTty: false, stdoutIsTty: false };
    expect(await main(['node', 'k8snet', 'diagnose', 'payments/payments-api', '--kubeconfig', kc, '--timeout', '5s'], io)).toBe(3);
    expect(err).toMatch(/error: could not use the TLS settings of kubeconfig user "u"/);
    expect(err).toMatch(/why: .*key values mismatch/);
    expect(err).toMatch(/next: /);
    expect(err).not.toContain('bug in k8snet');
    const a = await api(kc);
    try {
      const e = (await a.getJson('/version').catch((x: unknown) => x)) as ClusterError;
      expect(e).toBeInstanceOf(ClusterError);
      expect(e.kind).toBe('config');
      expect(e.message).toBe('could not use the TLS settings of kubeconfig user "u" and cluster "c"');
      expect(e.why).toMatch(/key values mismatch/);
      expect(e.next).toMatch(/client-key/);
    } finally {
      a.close();
    }
    expect(seen).toHaveLength(0);
  });
});

describe('SecureContextCache', () => {
  const ca = pem('ca.crt');
  const cert = pem('client.crt');
  const key = pem('client.key');

  it('equal material (equal bytes in other Buffers) reuses the context; other material builds a new one', () => {
    const c = new SecureContextCache();
    const x = c.get({ ca, cert, key, headers: { a: 'b' } });
    expect(c.get({ ca: Buffer.from(ca), cert: Buffer.from(cert), key: Buffer.from(key), servername: 'other' })).toBe(x);
    expect(c.built).toBe(1);
    const y = c.get({ ca, cert, key, minVersion: 'TLSv1.3' });
    expect(y).not.toBe(x);
    const z = c.get({ ca });
    expect(z).not.toBe(y);
    expect(c.get({ ca: [ca] })).not.toBe(z);
    expect(c.get({ ca: [Buffer.from(ca)] })).toBe(c.get({ ca: [ca] }));
    expect(c.built).toBe(4);
  });

  it('a certificate file changed during the run gets a new context (the last one is kept)', () => {
    const c = new SecureContextCache();
    const x = c.get({ ca, cert, key });
    const y = c.get({ ca, cert: pem('server.crt'), key: pem('server.key') });
    expect(y).not.toBe(x);
    expect(c.get({ ca, cert: pem('server.crt'), key: pem('server.key') })).toBe(y);
    expect(c.built).toBe(2);
  });

  it('material tls refuses (a key that does not match the certificate) throws as tls.connect would, and is not kept', () => {
    const c = new SecureContextCache();
    const x = c.get({ ca, cert, key });
    expect(() => c.get({ ca, cert, key: pem('server.key') })).toThrow(/key values mismatch|private key/i);
    expect(c.get({ ca, cert, key })).toBe(x);
  });
});
