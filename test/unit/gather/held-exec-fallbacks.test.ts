// The held source exec's fallbacks through the real exec client: a loopback WebSocket server stands
// in for the API server's exec endpoint (v4.channel.k8s.io), running each exec's argv in this
// machine's sh (stdin frames piped to it when the exec asked for stdin). Checks that the old paths
// (a plain inspection exec, a new batch exec, one exec per probe) take over where the held one cannot.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Api } from '../../../src/cluster/api.js';
import { loadKubeConfig } from '../../../src/cluster/kubeconfig.js';
import { inspectSource, type HeldHolder } from '../../../src/gather/index.js';
import { inspectHeld } from '../../../src/gather/probe-batch.js';
import { runProbes, type PlannedProbe } from '../../../src/gather/probes.js';
import type { DiagnoseRequest, SourceFacts } from '../../../src/model/facts.js';
import type { Pod } from '../../../src/model/k8s.js';

const dir = mkdtempSync(path.join(tmpdir(), 'k8snet-held-fb-'));
const resolv = path.join(dir, 'resolv.conf');
writeFileSync(resolv, 'nameserver 10.96.0.10\n');
// a PATH with sh only: the inspection runs, the batch finds no mktemp (it says `fallback`)
const onlySh = path.join(dir, 'only-sh');
mkdirSync(onlySh);
if (!existsSync(path.join(onlySh, 'sh'))) symlinkSync('/bin/sh', path.join(onlySh, 'sh'));

/** How the stand-in answers: refuse stdin (HTTP 400), and the PATH its shells get. */
const mode = { refuseStdin: false, path: process.env.PATH ?? '/usr/bin:/bin' };
/** Every exec asked for: its container, whether with stdin, its argv. */
let execs: { container: string; stdin: boolean; argv: string[] }[] = [];

let server: http.Server;
let kubeconfig = '';
beforeAll(async () => {
  server = http.createServer((_req, res) => {
    res.statusCode = 404;
    res.end('{}');
  });
  const wss = new WebSocketServer({ noServer: true, handleProtocols: () => 'v4.channel.k8s.io' });
  server.on('upgrade', (req, socket, head) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    const stdin = q.get('stdin') === 'true';
    if (stdin && mode.refuseStdin) {
      socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\r\n{"kind":"Status","message":"stdin refused here"}');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const argv = q.getAll('command').map((a, i) => (i === 2 ? a.split('/etc/resolv.conf').join(resolv) : a));
      execs.push({ container: q.get('container') ?? '', stdin, argv });
      const child = spawn(argv[0], argv.slice(1), { env: { PATH: mode.path }, stdio: ['pipe', 'pipe', 'pipe'] });
      child.on('error', () => undefined);
      child.stdin.on('error', () => undefined);
      if (!stdin) child.stdin.end();
      child.stdout.on('data', (d: Buffer) => ws.send(Buffer.concat([Buffer.from([1]), d])));
      child.stderr.on('data', (d: Buffer) => ws.send(Buffer.concat([Buffer.from([2]), d])));
      ws.on('message', (d: Buffer) => d[0] === 0 && child.stdin.write(d.subarray(1)));
      ws.on('close', () => child.stdin.end());
      child.on('close', (code) => {
        const status =
          code === 0
            ? { status: 'Success' }
            : { status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] } };
        ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(status))]));
        ws.close();
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  kubeconfig = path.join(dir, 'kc.yaml');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${base}"}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n`,
  );
});
afterAll(() => server.close());
beforeEach(() => {
  execs = [];
  mode.refuseStdin = false;
  mode.path = process.env.PATH ?? '/usr/bin:/bin';
});

const newApi = async () => new Api((await loadKubeConfig({ kubeconfig })).kc, Date.now() + 15000);
const site = { namespace: 'orders', pod: 'orders-api-1', container: 'toolbox' };
const probeSite = { ...site, tools: {} };
const plan = (id: string, argv: string[]): PlannedProbe => ({
  id,
  kind: 'tcp',
  label: id,
  target: { host: '127.0.0.1', port: 1 },
  command: { tool: 'nc', argv },
});
const plans = [plan('a', ['echo', 'a']), plan('b', ['sh', '-c', 'echo b >&2; exit 4'])];

describe('the held exec through the real exec client', () => {
  it('healthy: one exec with stdin inspects and then runs both probes', async () => {
    const api = await newApi();
    try {
      const h = await inspectHeld(api, site);
      expect(h!.session).toBeDefined();
      const notes: string[] = [];
      const facts = await runProbes(api, probeSite, plans, 2000, undefined, notes, h!.session);
      expect(facts.map((f) => [f.exec?.state, f.exec?.exitCode, f.exec?.stdout, f.exec?.stderr])).toEqual([
        ['completed', 0, 'a\n', ''],
        ['completed', 4, '', 'b\n'],
      ]);
      expect(execs.map((e) => e.stdin)).toEqual([true]);
      expect(notes).toEqual([]);
      expect(h!.session!.ranProbes).toBe(true);
    } finally {
      api.close();
    }
  });

  it('stdin refused: inspectSource runs the plain inspection exec, keeps no session, and the probes take a new batch exec', async () => {
    mode.refuseStdin = true;
    const api = await newApi();
    try {
      const pod = { metadata: { name: 'orders-api-1', namespace: 'orders' }, spec: { containers: [{ name: 'toolbox' }] }, status: {} } as unknown as Pod;
      const request: DiagnoseRequest = { target: { namespace: 'p', name: 's' }, path: '/', probeTimeoutMs: 2000, ephemeral: false };
      const held: HeldHolder = {};
      const r = await inspectSource(
        api,
        { state: 'ok', value: { pod, container: '', tools: null, hasShell: null } as unknown as SourceFacts },
        request,
        false,
        [],
        held,
      );
      expect(r.state === 'ok' && r.value.hasShell).toBe(true);
      expect(r.state === 'ok' && r.value.resolvConf).toBe('nameserver 10.96.0.10\n');
      expect(held.session).toBeUndefined();
      const facts = await runProbes(api, probeSite, plans, 2000, undefined, [], held.session);
      expect(facts.map((f) => f.exec?.exitCode)).toEqual([0, 4]);
      // the refused held exec never reached the server; then the plain inspection, then one batch
      expect(execs.map((e) => [e.stdin, e.argv.length])).toEqual([
        [false, 3],
        [false, 3],
      ]);
    } finally {
      api.close();
    }
  });

  it('the held shell ended before the probes: they run in a new batch exec, and the notes say why', async () => {
    const api = await newApi();
    try {
      const h = await inspectHeld(api, site);
      h!.session!.exec.terminate('ended for the test');
      const notes: string[] = [];
      const facts = await runProbes(api, probeSite, plans, 2000, undefined, notes, h!.session);
      expect(facts.map((f) => f.exec?.exitCode)).toEqual([0, 4]);
      expect(execs.map((e) => e.stdin)).toEqual([true, false]);
      expect(notes.join('\n')).toMatch(/could not take them/);
    } finally {
      api.close();
    }
  });

  it('the batch says fallback in the held shell (no mktemp): one exec per probe, as before', async () => {
    mode.path = onlySh;
    const api = await newApi();
    try {
      const h = await inspectHeld(api, site);
      const notes: string[] = [];
      const facts = await runProbes(api, probeSite, [plan('a', ['sh', '-c', 'echo a']), plan('b', ['sh', '-c', 'exit 4'])], 2000, undefined, notes, h!.session);
      expect(facts.map((f) => [f.exec?.exitCode, f.exec?.stdout])).toEqual([
        [0, 'a\n'],
        [4, ''],
      ]);
      expect(execs.map((e) => [e.stdin, e.argv[0]])).toEqual([
        [true, 'sh'],
        [false, 'sh'],
        [false, 'sh'],
      ]);
      expect(notes.join('\n')).toMatch(/one exec each.*no mktemp/);
    } finally {
      api.close();
    }
  });
});
