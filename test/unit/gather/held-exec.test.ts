// The held source exec (inspection, then the probe batch on the same shell's stdin), at the level of
// the exec WebSocket: `localShell` stands in for the API server -> kubelet -> container path by
// running the argv from the exec URL in this machine's real sh, stdin frames (channel 0) piped to it,
// its stdout/stderr sent back as channel 1/2 frames and its exit as the channel-3 status, as the
// v4.channel.k8s.io protocol does. Scripted sockets cover what a real shell will not do (hang, refuse).

import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Api } from '../../../src/cluster/api.js';
import type { ExecSocket, ExecSocketFactory } from '../../../src/cluster/exec.js';
import { inspectSource, type HeldHolder } from '../../../src/gather/index.js';
import { inspectHeld, runHeldBatch } from '../../../src/gather/probe-batch.js';
import type { DiagnoseRequest, SourceFacts } from '../../../src/model/facts.js';
import type { Pod } from '../../../src/model/k8s.js';
import { FACTS_SHAPE } from '../../../src/model/facts-schema.js';

const fakeApi = (remainingMs = 30000): Api => {
  const deadline = Date.now() + remainingMs;
  return {
    kc: { getCurrentCluster: () => ({ server: 'https://127.0.0.1:6443' }) },
    applyAuth: async () => undefined,
    stats: { requests: 0 },
    remaining: () => deadline - Date.now(),
  } as unknown as Api;
};

const dir = mkdtempSync(path.join(tmpdir(), 'k8snet-held-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

const frame = (ch: number, data: Buffer | string) => Buffer.concat([Buffer.from([ch]), Buffer.from(data)]);
const statusFrame = (code: number | null) =>
  frame(
    3,
    JSON.stringify(
      code === 0
        ? { status: 'Success' }
        : { status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] } },
    ),
  );

interface Recorded {
  urls: string[];
  stdin: string[];
  children: ChildProcess[];
  terminated: number;
}

/** The exec's argv runs in this machine's sh; /etc/resolv.conf in the script reads `resolv` instead. */
function localShell(resolv: string, rec: Recorded, env: NodeJS.ProcessEnv = process.env): ExecSocketFactory {
  return (url) => {
    rec.urls.push(url);
    const argv = new URL(url).searchParams.getAll('command');
    argv[2] = argv[2].split('/etc/resolv.conf').join(resolv);
    const ws = new EventEmitter();
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['pipe', 'pipe', 'pipe'] });
    rec.children.push(child);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      ws.emit('close');
    };
    // 'open' before any message, as a WebSocket does (with setImmediate, a fast child's first output
    // could come first under load, and release() would then not send `exit 0`)
    process.nextTick(() => ws.emit('open'));
    child.stdout.on('data', (d: Buffer) => ws.emit('message', frame(1, d), true));
    child.stderr.on('data', (d: Buffer) => ws.emit('message', frame(2, d), true));
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => {
      if (!closed) ws.emit('message', statusFrame(code), true);
      close();
    });
    const sock: ExecSocket = Object.assign(ws, {
      send(data: Buffer, cb?: (err?: Error) => void) {
        expect(data[0]).toBe(0); // stdin is channel 0
        rec.stdin.push(data.subarray(1).toString('utf8'));
        child.stdin.write(data.subarray(1), () => cb?.());
      },
      terminate() {
        rec.terminated++;
        child.stdin.end(); // the stream is gone: the shell reads EOF
        close();
      },
    });
    return sock;
  };
}

/** A socket that plays back frames and then stays silent (a shell that never gets further). */
function scripted(frames: Buffer[], rec: Recorded, then?: (ws: EventEmitter) => void): ExecSocketFactory {
  return (url) => {
    rec.urls.push(url);
    const ws = new EventEmitter();
    setImmediate(() => {
      ws.emit('open');
      for (const f of frames) ws.emit('message', f, true);
      then?.(ws);
    });
    return Object.assign(ws, {
      send(data: Buffer, cb?: () => void) {
        rec.stdin.push(data.subarray(1).toString('utf8'));
        cb?.();
      },
      terminate() {
        rec.terminated++;
        ws.emit('close');
      },
    });
  };
}

const newRec = (): Recorded => ({ urls: [], stdin: [], children: [], terminated: 0 });
const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null || c.signalCode ? r(c.exitCode) : c.on('exit', (code) => r(code))));
const site = { namespace: 'orders', pod: 'orders-api-1', container: 'toolbox' };
let recs: Recorded[] = [];
afterEach(() => {
  for (const r of recs) for (const c of r.children) if (c.exitCode === null && !c.signalCode) c.kill('SIGKILL');
  recs = [];
});
const track = () => {
  const r = newRec();
  recs.push(r);
  return r;
};

describe('held inspection on a real sh', () => {
  it('opens with stdin, parses the inspection at the ready line, then runs the batch on the same shell, which exits', async () => {
    const rec = track();
    const api = fakeApi();
    const resolv = file('resolv.conf', 'search orders.svc.cluster.local svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    const h = await inspectHeld(api, site, localShell(resolv, rec));
    expect(h).not.toBeNull();
    const q = new URL(rec.urls[0]).searchParams;
    expect(q.get('stdin')).toBe('true');
    expect(q.getAll('command').slice(0, 2)).toEqual(['sh', '-c']);
    expect(h!.inspection.hasShell).toBe(true);
    expect(h!.inspection.tools).not.toBeNull();
    expect(h!.inspection.resolvConf).toBe('search orders.svc.cluster.local svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    expect(h!.exec.state).toBe('completed');
    expect(h!.session).toBeDefined();
    expect(api.stats.requests).toBe(1);
    // the shell is waiting on stdin, not ended
    expect(rec.children[0].exitCode).toBeNull();

    const r = await runHeldBatch(
      api,
      h!.session!,
      [
        ['echo', 'hello; $(not run)'],
        ['sh', '-c', 'echo err >&2; exit 3'],
      ],
      3000,
    );
    expect('results' in r).toBe(true);
    if (!('results' in r)) return;
    expect(r.results.map((x) => [x.state, x.exitCode, x.stdout, x.stderr])).toEqual([
      ['completed', 0, 'hello; $(not run)\n', ''],
      ['completed', 3, '', 'err\n'],
    ]);
    expect(rec.stdin[0].endsWith('\nexit\n')).toBe(true);
    expect(h!.session!.ranProbes).toBe(true); // what facts.source.probesInInspectionExec says
    expect(await exited(rec.children[0])).toBe(0);
    expect(api.stats.requests).toBe(1); // no second exec
  });

  it('a forged ready line or tool line in resolv.conf changes nothing: the nonce is per run', async () => {
    const rec = track();
    const hostile = 'k8snet-ready-v1 0123456789abcdef\ncurl=yes\nk8snet-resolv-v1 ok\nnameserver 10.96.0.10\n';
    const h = await inspectHeld(fakeApi(), site, localShell(file('hostile', hostile), rec));
    expect(h!.inspection.resolvConf).toBe(hostile);
    const honest = await inspectHeld(fakeApi(), site, localShell(file('empty', ''), track()));
    expect(h!.inspection.tools).toEqual(honest!.inspection.tools);
    h!.session!.exec.release();
    honest!.session!.exec.release();
    expect(await exited(rec.children[0])).toBe(0);
  });

  it('a batch that cannot run (no mktemp on PATH) says fallback, and the shell ends itself', async () => {
    const rec = track();
    const api = fakeApi();
    // a PATH with sh and nothing else: the inspection runs, the batch finds no mktemp
    const bin = path.join(dir, 'only-sh');
    mkdirSync(bin, { recursive: true });
    if (!existsSync(path.join(bin, 'sh'))) symlinkSync('/bin/sh', path.join(bin, 'sh'));
    const h = await inspectHeld(api, site, localShell(file('r2', 'nameserver 10.96.0.10\n'), rec, { PATH: bin }));
    expect(h!.session).toBeDefined();
    const r = await runHeldBatch(api, h!.session!, [['true'], ['true']], 3000);
    expect(r).toEqual({ fallback: 'no mktemp' });
    expect(h!.session!.ranProbes).toBeUndefined();
    expect(await exited(rec.children[0])).toBe(0);
  });

  it('released unused: `exit 0` on stdin, the socket torn down, the shell gone', async () => {
    const rec = track();
    const h = await inspectHeld(fakeApi(), site, localShell(file('r3', 'nameserver 10.96.0.10\n'), rec));
    h!.session!.exec.release();
    expect(rec.stdin).toEqual(['exit 0\n']);
    expect(await exited(rec.children[0])).toBe(0);
    expect(rec.terminated).toBe(1);
  });
});

describe.each(['dash', 'busybox', 'bash'].filter((sh) => existsSync(`/usr/bin/${sh}`)))('the held session in %s as sh', (shell) => {
  it('inspection, batch on stdin, exit', async () => {
    const bin = path.join(dir, `sh-${shell}`);
    mkdirSync(bin, { recursive: true });
    if (!existsSync(path.join(bin, 'sh'))) symlinkSync(`/usr/bin/${shell}`, path.join(bin, 'sh'));
    const rec = track();
    const api = fakeApi();
    const h = await inspectHeld(api, site, localShell(file(`r-${shell}`, 'nameserver 10.96.0.10'), rec, { PATH: `${bin}:/usr/bin:/bin` }));
    expect(h!.inspection.resolvConf).toBe('nameserver 10.96.0.10\n');
    const r = await runHeldBatch(
      api,
      h!.session!,
      [
        ['echo', 'a'],
        ['sh', '-c', 'exit 7'],
      ],
      3000,
    );
    expect('results' in r && r.results.map((x) => [x.exitCode, x.stdout])).toEqual([
      [0, 'a\n'],
      [7, ''],
    ]);
    expect(await exited(rec.children[0])).toBe(0);
  });
});

describe('held inspection: what a real shell will not do', () => {
  const detection = frame(1, 'k8snet-detect-v1\ncurl=yes\nk8snet-resolv-v1 ok\nnameserver 10.96.0.10\n');

  it('a shell that never prints the ready line: a timeout at the inspection bound, no tools, no session, socket closed', async () => {
    const rec = track();
    const t = Date.now();
    const h = await inspectHeld(fakeApi(), site, scripted([detection], rec), 300);
    expect(Date.now() - t).toBeLessThan(2000);
    expect(h!.exec.state).toBe('timeout');
    expect(h!.inspection.tools).toBeNull();
    expect(h!.inspection.hasShell).toBeNull();
    expect(h!.session).toBeUndefined();
    expect(rec.terminated).toBe(1);
  });

  it('a ready line with another nonce is not the ready line', async () => {
    const rec = track();
    const h = await inspectHeld(fakeApi(), site, scripted([detection, frame(1, 'k8snet-ready-v1 ffffffffffffffff\n')], rec), 300);
    expect(h!.exec.state).toBe('timeout');
    expect(h!.inspection.tools).toBeNull();
  });

  it('refused stdin (HTTP 400 upgrade): null, so the caller runs the plain exec', async () => {
    const rec = track();
    const refuse = scripted([], rec, (ws) => {
      const res = new EventEmitter() as EventEmitter & { statusCode: number };
      res.statusCode = 400;
      ws.emit('unexpected-response', {}, res);
      res.emit('data', Buffer.from(JSON.stringify({ kind: 'Status', message: 'stdin is not allowed here' })));
      res.emit('end');
    });
    expect(await inspectHeld(fakeApi(), site, refuse, 1000)).toBeNull();
  });

  it('no sh in the container: hasShell false, as the plain inspection says', async () => {
    const rec = track();
    const noSh = scripted(
      [frame(3, JSON.stringify({ status: 'Failure', message: 'exec: "sh": executable file not found in $PATH', reason: 'InternalError' }))],
      rec,
      (ws) => ws.emit('close'),
    );
    const h = await inspectHeld(fakeApi(), site, noSh, 1000);
    expect(h!.inspection.hasShell).toBe(false);
    expect(h!.session).toBeUndefined();
  });

  it('the shell ends right after the ready line (stdin not attached): the inspection counts, the probes take a new exec', async () => {
    const rec = track();
    const api = fakeApi();
    const factory: ExecSocketFactory = (url) => {
      const nonce = new URL(url).searchParams.getAll('command').at(-1)!;
      return scripted([detection, frame(1, `k8snet-ready-v1 ${nonce}\n`), statusFrame(0)], rec, (ws) => ws.emit('close'))(url, [], {});
    };
    const h = await inspectHeld(api, site, factory, 1000);
    expect(h!.inspection.tools).toMatchObject({ curl: true });
    expect(h!.inspection.resolvConf).toBe('nameserver 10.96.0.10\n');
    expect(h!.session).toBeUndefined();
    // the same, the end arriving after the inspection was taken: the held batch is unavailable
    const later: ExecSocketFactory = (url) => {
      const nonce = new URL(url).searchParams.getAll('command').at(-1)!;
      return scripted([detection, frame(1, `k8snet-ready-v1 ${nonce}\n`)], rec, (ws) =>
        setTimeout(() => (ws.emit('message', statusFrame(0), true), ws.emit('close')), 50),
      )(url, [], {});
    };
    const h2 = await inspectHeld(api, site, later, 1000);
    expect(h2!.session).toBeDefined();
    await new Promise((r) => setTimeout(r, 100));
    expect(await runHeldBatch(api, h2!.session!, [['true']], 1000)).toEqual({ unavailable: 'the inspection exec had ended (its shell exited)' });
  });

  it('the results are read once every frame and the end line are in, without waiting for the shell to end', async () => {
    const rec = track();
    const api = fakeApi();
    let ws: EventEmitter | undefined;
    const factory: ExecSocketFactory = (url) => {
      const nonce = new URL(url).searchParams.getAll('command').at(-1)!;
      return scripted([detection, frame(1, `k8snet-ready-v1 ${nonce}\n`)], rec, (w) => (ws = w))(url, [], {});
    };
    const h = await inspectHeld(api, site, factory, 1000);
    const pending = runHeldBatch(api, h!.session!, [['true'], ['false']], 3000);
    // the batch's script went to stdin; its nonce is in its first line
    const n = /^n=([0-9a-f]+);/.exec(rec.stdin[0])![1];
    const t = Date.now();
    ws!.emit('message', frame(1, `k8snet-batch-v1 ${n} 0 0 0 1 2 0 0\nk8snet-batch-v1 ${n} 1 1 0 1 2 0 0\n`), true);
    ws!.emit('message', frame(1, `k8snet-batch-v1 ${n} end\n`), true);
    // no status frame and no close from the pod: still answered at once, and the stream then closed
    const r = await pending;
    expect(Date.now() - t).toBeLessThan(1000);
    expect('results' in r && r.results.map((x) => [x.state, x.exitCode])).toEqual([
      ['completed', 0],
      ['completed', 1],
    ]);
    expect(h!.session!.ranProbes).toBe(true);
    expect(rec.terminated).toBe(1);
  });

  it('probes sent but no answer: each probe is a timeout at the bound, never a hang', async () => {
    const rec = track();
    const api = fakeApi(400); // the run's deadline bounds the probe phase below probeTimeout + 2 s
    const factory: ExecSocketFactory = (url) => {
      const nonce = new URL(url).searchParams.getAll('command').at(-1)!;
      return scripted([detection, frame(1, `k8snet-ready-v1 ${nonce}\n`)], rec)(url, [], {});
    };
    const h = await inspectHeld(api, site, factory, 300);
    expect(h!.session).toBeDefined();
    const t = Date.now();
    const r = await runHeldBatch(api, h!.session!, [['true'], ['false']], 3000);
    expect(Date.now() - t).toBeLessThan(1500);
    expect(r).toHaveProperty('results');
    if ('results' in r) expect(r.results.map((x) => x.state)).toEqual(['timeout', 'timeout']);
    expect(rec.terminated).toBe(1);
  });

  it('held while the reads take long: the run deadline ends it and says so; the probes are then unavailable', async () => {
    const rec = track();
    const api = fakeApi(250);
    const factory: ExecSocketFactory = (url) => {
      const nonce = new URL(url).searchParams.getAll('command').at(-1)!;
      return scripted([detection, frame(1, `k8snet-ready-v1 ${nonce}\n`)], rec)(url, [], {});
    };
    const h = await inspectHeld(api, site, factory, 200);
    expect(h!.session).toBeDefined();
    await new Promise((r) => setTimeout(r, 350));
    expect(h!.session!.exec.isEnded).toBe(true);
    expect(h!.session!.exec.endReason).toMatch(/deadline/);
    expect(await runHeldBatch(api, h!.session!, [['true']], 3000)).toHaveProperty('unavailable');
  });
});

describe('inspectSource with a held exec', () => {
  const pod = (containers: string[]): Pod => ({
    metadata: { name: 'orders-api-1', namespace: 'orders' },
    spec: { nodeName: 'node-a', containers: containers.map((name) => ({ name })) },
    status: { phase: 'Running' },
  });
  const request: DiagnoseRequest = { target: { namespace: 'payments', name: 'payments-api' }, path: '/', probeTimeoutMs: 3000, ephemeral: false };
  const src = (p: Pod): { state: 'ok'; value: SourceFacts } => ({ state: 'ok', value: { pod: p, container: '', tools: null, hasShell: null } as SourceFacts });

  it('keeps the chosen container shell for the probes and tells the other one to exit at once', async () => {
    const rec = track();
    const held: HeldHolder = { socket: localShell(file('r4', 'nameserver 10.96.0.10\n'), rec) };
    const notes: string[] = [];
    const r = await inspectSource(fakeApi(), src(pod(['app', 'toolbox'])), request, false, notes, held);
    expect(r.state).toBe('ok');
    if (r.state !== 'ok') return;
    expect(r.value.container).toBe('app'); // both have sh here: the first in order is chosen
    expect(held.session).toBeDefined();
    expect(held.session!.exec.isEnded).toBe(false);
    // two inspected at once; the second (toolbox) got `exit 0` and its shell ended
    expect(rec.urls.map((u) => new URL(u).searchParams.get('container'))).toEqual(['app', 'toolbox']);
    expect(await exited(rec.children[1])).toBe(0);
    // `exit 0` on stdin when its shell had opened; before that, the torn-down socket (EOF) ends it: nothing else is sent
    expect(['exit 0\n', '']).toContain(rec.stdin.join(''));
    expect(rec.children[0].exitCode).toBeNull();
    held.session!.exec.release();
    expect(await exited(rec.children[0])).toBe(0);
  });

  it('no held session is kept when no container has the tools (both shells told to exit)', async () => {
    const rec = track();
    const noSh = scripted(
      [frame(3, JSON.stringify({ status: 'Failure', message: 'exec: "sh": executable file not found in $PATH', reason: 'InternalError' }))],
      rec,
      (ws) => ws.emit('close'),
    );
    const held: HeldHolder = { socket: noSh };
    const r = await inspectSource(fakeApi(), src(pod(['app', 'other'])), request, false, [], held);
    expect(r.state === 'ok' && r.value.hasShell).toBe(false);
    expect(held.session).toBeUndefined();
  });
});

describe('facts.source.probesInInspectionExec', () => {
  const recorded = JSON.parse(readFileSync(new URL('../../fixtures/recorded/00-healthy-baseline/facts.json', import.meta.url), 'utf8')) as {
    source: { value: Record<string, unknown> };
  };
  it('is optional (recorded files lack it), a boolean when present', () => {
    expect(FACTS_SHAPE(recorded, '')).toBeNull();
    expect(FACTS_SHAPE({ ...recorded, source: { ...recorded.source, value: { ...recorded.source.value, probesInInspectionExec: true } } }, '')).toBeNull();
    expect(FACTS_SHAPE({ ...recorded, source: { ...recorded.source, value: { ...recorded.source.value, probesInInspectionExec: 'yes' } } }, '')).not.toBeNull();
  });
});
