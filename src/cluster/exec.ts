// Runs one command in a container through the exec API (WebSocket, v4 channel protocol) with a
// hard deadline; the exit code comes from the status object the API returns, never from text.

import type WebSocket from 'ws';
import { countRequest } from './request-count.js';
import type { Api } from './api.js';
import type { ExecResult } from '../model/probe.js';

export interface ExecRequest {
  namespace: string;
  pod: string;
  container: string;
  argv: string[];
  /** k8snet gives up after this long; the result is then state 'timeout'. */
  timeoutMs: number;
  /** Max bytes kept per stream. */
  maxBytes?: number;
  /** Also return stdout's raw bytes (a batch's frames are counted in bytes, not characters). */
  rawStdout?: boolean;
}

interface ExecStatus {
  status?: string;
  reason?: string;
  message?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;

/** Execute argv in the container. Never throws: every failure is an ExecResult. */
export async function runExec(api: Api, req: ExecRequest): Promise<ExecResult & { stdoutRaw?: Buffer }> {
  const started = Date.now();
  const base: Omit<ExecResult, 'state' | 'exitCode' | 'stdout' | 'stderr' | 'elapsedMs'> = {
    namespace: req.namespace,
    pod: req.pod,
    container: req.container,
    argv: req.argv,
  };
  const timeoutMs = Math.max(1, Math.min(req.timeoutMs, api.remaining()));
  const maxBytes = req.maxBytes ?? 64 * 1024;
  const params = new URLSearchParams();
  params.set('container', req.container);
  params.set('stdout', 'true');
  params.set('stderr', 'true');
  for (const a of req.argv) params.append('command', a);
  const server = api.kc.getCurrentCluster()!.server.replace(/\/$/, '');
  const url = `${server.replace(/^http/, 'ws')}/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/exec?${params}`;
  const opts: Record<string, unknown> = {};
  const [Ws] = await Promise.all([loadWebSocket(), api.applyAuth(opts)]);
  api.stats.requests++;
  countRequest();

  return new Promise<ExecResult & { stdoutRaw?: Buffer }>((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    let status: ExecStatus | undefined;
    let done = false;
    const finish = (r: Pick<ExecResult, 'state' | 'exitCode'> & Partial<ExecResult>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        ws.terminate();
      } catch {
        /* already closed */
      }
      resolve({
        ...base,
        stdout: Buffer.concat(out).toString('utf8'),
        ...(req.rawStdout ? { stdoutRaw: Buffer.concat(out) } : {}),
        stderr: Buffer.concat(err).toString('utf8'),
        elapsedMs: Date.now() - started,
        ...r,
      });
    };
    const ws = new Ws(url, ['v4.channel.k8s.io'], { ...opts, handshakeTimeout: timeoutMs });
    const timer = setTimeout(() => {
      finish({ state: 'timeout', exitCode: null, error: `no result after ${timeoutMs} ms; k8snet stopped waiting` });
    }, timeoutMs);
    ws.on('unexpected-response', (_req, res) => {
      refusal(res, (code, msg) => {
        finish({
          state: 'exec-failed',
          exitCode: null,
          error: `HTTP ${code}: ${msg}`,
          errorKind: code === 403 || code === 401 ? 'forbidden' : classifyExecMessage(msg),
        });
      });
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const buf = isBinary ? data : Buffer.from(data);
      if (buf.length < 1) return;
      const channel = buf[0];
      const payload = buf.subarray(1);
      if (channel === STDOUT && outLen < maxBytes) {
        out.push(payload);
        outLen += payload.length;
      } else if (channel === STDERR && errLen < maxBytes) {
        err.push(payload);
        errLen += payload.length;
      } else if (channel === STATUS && payload.length > 0) {
        try {
          status = JSON.parse(payload.toString('utf8')) as ExecStatus;
        } catch {
          status = { status: 'Failure', message: payload.toString('utf8') };
        }
      }
    });
    ws.on('close', () => finish(fromStatus(status)));
    ws.on('error', (e: Error) => {
      finish({
        state: 'exec-failed',
        exitCode: null,
        error: e.message,
        errorKind: /ETIMEDOUT|ECONNREFUSED|EHOSTUNREACH|ENOTFOUND|handshake/i.test(e.message) ? 'unreachable' : 'other',
      });
    });
  });
}

function fromStatus(s: ExecStatus | undefined): Pick<ExecResult, 'state' | 'exitCode' | 'error' | 'errorKind'> {
  if (!s) {
    return { state: 'exec-failed', exitCode: null, error: 'the exec stream closed without a status', errorKind: 'other' };
  }
  if (s.status === 'Success') return { state: 'completed', exitCode: 0 };
  if (s.reason === 'NonZeroExitCode') {
    const cause = s.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = cause?.message !== undefined ? Number(cause.message) : NaN;
    if (Number.isFinite(code)) return { state: 'completed', exitCode: code };
  }
  const msg = s.message ?? s.reason ?? 'exec failed';
  return { state: 'exec-failed', exitCode: null, error: msg, errorKind: classifyExecMessage(msg) };
}

/** The runtime's words for "no such binary" / "container not running" (the API gives no code). */
function classifyExecMessage(msg: string): ExecResult['errorKind'] {
  if (/executable file not found|no such file or directory|not found in \$PATH/i.test(msg)) return 'not-found-binary';
  if (/container not found|is not running|not running|unable to upgrade connection: container/i.test(msg)) {
    return 'container-not-running';
  }
  if (/forbidden/i.test(msg)) return 'forbidden';
  if (/dial tcp|connection refused|i\/o timeout|no route to host|kubelet/i.test(msg)) return 'unreachable';
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// A held exec: opened with stdin, it stays open after its first output so a second script can be
// sent to the same shell (the source inspection becomes the probe batch: one round trip fewer).
// v4.channel.k8s.io: stdin is channel 0 (a frame whose first byte is 0, then the bytes). v4 has no
// half-close, so the script sent must end the shell itself (`exit`); when the socket closes, the
// shell reads EOF and ends (checked in the lab: no shell is left in the container).

/**
 * The WebSocket client, loaded at the first exec instead of at start-up (issue 11: its modules'
 * evaluation was 5 ms of CPU before the first API request; the first exec comes later anyway).
 */
let wsClass: Promise<typeof WebSocket> | undefined;
const loadWebSocket = (): Promise<typeof WebSocket> => (wsClass ??= import('ws').then((m) => m.default));

/** The part of a WebSocket a held exec uses (the `ws` client, or a fake in unit tests). */
export interface ExecSocket {
  on(event: 'message', cb: (data: Buffer, isBinary: boolean) => void): unknown;
  on(event: 'close', cb: () => void): unknown;
  on(event: 'error', cb: (e: Error) => void): unknown;
  on(event: 'open', cb: () => void): unknown;
  on(event: 'unexpected-response', cb: (req: unknown, res: import('node:http').IncomingMessage) => void): unknown;
  send(data: Buffer, cb?: (err?: Error) => void): void;
  terminate(): void;
}

export type ExecSocketFactory = (url: string, protocols: string[], opts: Record<string, unknown>) => ExecSocket;

export interface HeldExecRequest {
  namespace: string;
  pod: string;
  container: string;
  argv: string[];
  /** Max stdout bytes kept before the first script is sent (then setStdoutCap raises it). */
  maxBytes?: number;
  /** How the socket is made (unit tests). */
  socket?: ExecSocketFactory;
}

export type HeldWait = 'matched' | 'ended' | 'timeout';

/**
 * One exec with stdin, held open. It never outlives the run's deadline (api.remaining()): then it is
 * torn down and its result is state 'timeout'. Never throws.
 */
export class HeldExec {
  readonly started = Date.now();
  private readonly out: Buffer[] = [];
  private outLen = 0;
  private outCap: number;
  private readonly err: Buffer[] = [];
  private errLen = 0;
  private status: ExecStatus | undefined;
  private ended: (Pick<ExecResult, 'state' | 'exitCode'> & Partial<ExecResult>) | undefined;
  private readonly listeners = new Set<() => void>();
  private opened = false;
  private readonly deadlineTimer: NodeJS.Timeout;
  private ws!: ExecSocket;
  /** Why the exec ended early, for notes ("the run's deadline ..."). */
  endReason?: string;

  private constructor(
    private readonly base: Pick<ExecResult, 'namespace' | 'pod' | 'container' | 'argv'>,
    maxBytes: number,
    lifetimeMs: number,
  ) {
    this.outCap = maxBytes;
    this.deadlineTimer = setTimeout(() => {
      this.endReason = `the held exec reached the run's deadline after ${Date.now() - this.started} ms`;
      this.finish({ state: 'timeout', exitCode: null, error: this.endReason });
    }, lifetimeMs);
  }

  static async open(api: Api, req: HeldExecRequest): Promise<HeldExec> {
    const lifetime = Math.max(1, api.remaining());
    const held = new HeldExec({ namespace: req.namespace, pod: req.pod, container: req.container, argv: req.argv }, req.maxBytes ?? 64 * 1024, lifetime);
    const params = new URLSearchParams();
    params.set('container', req.container);
    params.set('stdin', 'true');
    params.set('stdout', 'true');
    params.set('stderr', 'true');
    for (const a of req.argv) params.append('command', a);
    const server = api.kc.getCurrentCluster()!.server.replace(/\/$/, '');
    const url = `${server.replace(/^http/, 'ws')}/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/exec?${params}`;
    const opts: Record<string, unknown> = {};
    const [Ws] = await Promise.all([req.socket ? undefined : loadWebSocket(), api.applyAuth(opts)]);
    api.stats.requests++;
    countRequest();
    const socket: ExecSocketFactory = req.socket ?? ((u, protocols, o) => new Ws!(u, protocols, o));
    held.connect(socket(url, ['v4.channel.k8s.io'], { ...opts, handshakeTimeout: Math.min(lifetime, 10000) }));
    return held;
  }

  /** For unit tests: a held exec over a given socket. */
  static over(socket: ExecSocket, base: Pick<ExecResult, 'namespace' | 'pod' | 'container' | 'argv'>, maxBytes: number, lifetimeMs: number): HeldExec {
    const held = new HeldExec(base, maxBytes, lifetimeMs);
    held.connect(socket);
    return held;
  }

  private connect(ws: ExecSocket): void {
    this.ws = ws;
    ws.on('open', () => (this.opened = true));
    ws.on('unexpected-response', (_req, res) => {
      refusal(res, (code, msg) => {
        this.finish({
          state: 'exec-failed',
          exitCode: null,
          error: `HTTP ${code}: ${msg}`,
          errorKind: code === 403 || code === 401 ? 'forbidden' : classifyExecMessage(msg),
        });
      });
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const buf = isBinary ? data : Buffer.from(data);
      if (buf.length < 1 || this.ended) return;
      const payload = buf.subarray(1);
      if (buf[0] === STDOUT) {
        // over the cap, the rest is dropped (a frame is then cut short: its parser says so)
        const room = this.outCap - this.outLen;
        if (room > 0) {
          const part = payload.length > room ? payload.subarray(0, room) : payload;
          this.out.push(part);
          this.outLen += part.length;
        }
      } else if (buf[0] === STDERR && this.errLen < 64 * 1024) {
        this.err.push(payload);
        this.errLen += payload.length;
      } else if (buf[0] === STATUS && payload.length > 0) {
        try {
          this.status = JSON.parse(payload.toString('utf8')) as ExecStatus;
        } catch {
          this.status = { status: 'Failure', message: payload.toString('utf8') };
        }
      }
      this.notify();
    });
    ws.on('close', () => this.finish(fromStatus(this.status)));
    ws.on('error', (e: Error) => {
      this.finish({
        state: 'exec-failed',
        exitCode: null,
        error: e.message,
        errorKind: /ETIMEDOUT|ECONNREFUSED|EHOSTUNREACH|ENOTFOUND|handshake/i.test(e.message) ? 'unreachable' : 'other',
      });
    });
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private finish(r: Pick<ExecResult, 'state' | 'exitCode'> & Partial<ExecResult>, lastWords?: Buffer): void {
    if (this.ended) return;
    this.ended = r;
    clearTimeout(this.deadlineTimer);
    const terminate = () => {
      try {
        this.ws?.terminate();
      } catch {
        /* already closed */
      }
    };
    if (lastWords) {
      // written out first (terminate() would drop a queued frame); a stuck write is cut at 1 s
      const cut = setTimeout(terminate, 1000);
      cut.unref();
      try {
        this.ws.send(lastWords, () => (clearTimeout(cut), terminate()));
      } catch {
        clearTimeout(cut);
        terminate();
      }
    } else {
      terminate();
    }
    this.notify();
  }

  /** The exec has ended (its status arrived, it failed, or it was torn down). */
  get isEnded(): boolean {
    return this.ended !== undefined;
  }

  /** stdout so far (raw bytes). */
  stdout(): Buffer {
    if (this.out.length > 1) this.out.splice(0, this.out.length, Buffer.concat(this.out));
    return this.out[0] ?? Buffer.alloc(0);
  }

  /** Raise (or lower) how many stdout bytes are kept in all, e.g. for a batch's frames. */
  setStdoutCap(bytes: number): void {
    this.outCap = bytes;
  }

  /**
   * Wait until `test(stdout)` holds, the exec ends, or timeoutMs pass (tested on every frame; null:
   * only the end, without joining stdout on every frame of a large batch).
   */
  waitFor(test: ((stdout: Buffer) => boolean) | null, timeoutMs: number): Promise<HeldWait> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.listeners.delete(check);
          resolve('timeout');
        },
        Math.max(1, timeoutMs),
      );
      const check = () => {
        const r: HeldWait | undefined = test?.(this.stdout()) ? 'matched' : this.ended ? 'ended' : undefined;
        if (!r) return;
        this.listeners.delete(check);
        clearTimeout(timer);
        resolve(r);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Write to the process's stdin (channel 0). false when the exec has ended. */
  write(text: string): boolean {
    if (this.ended) return false;
    try {
      this.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(text, 'utf8')]));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The result once the exec ends, waiting at most timeoutMs (then it is torn down: state
   * 'timeout'). `since` (ms since epoch) is where elapsedMs counts from (default: the open).
   */
  async result(timeoutMs: number, since = this.started): Promise<ExecResult & { stdoutRaw: Buffer }> {
    if ((await this.waitFor(null, timeoutMs)) === 'timeout') {
      this.finish({ state: 'timeout', exitCode: null, error: `no result after ${timeoutMs} ms; k8snet stopped waiting` });
    }
    return this.snapshot(since);
  }

  /** What the exec gave so far, as an ExecResult (state as it ended; 'timeout' while still open). */
  snapshot(since = this.started): ExecResult & { stdoutRaw: Buffer } {
    const raw = this.stdout();
    return {
      ...this.base,
      stdout: raw.toString('utf8'),
      stdoutRaw: raw,
      stderr: Buffer.concat(this.err).toString('utf8'),
      elapsedMs: Date.now() - since,
      ...(this.ended ?? { state: 'timeout', exitCode: null, error: 'the exec is still open' }),
    };
  }

  /** Tell the shell to end (`exit 0` on stdin) and close the stream. Idempotent. */
  release(): void {
    if (this.ended) return;
    // the socket closing also ends the shell (EOF on its stdin); the status is not waited for
    this.finish({ state: 'completed', exitCode: 0 }, this.opened ? Buffer.from('\0exit 0\n', 'latin1') : undefined);
  }

  /** Tear the stream down now (the shell reads EOF and ends). */
  terminate(why: string): void {
    this.finish({ state: 'timeout', exitCode: null, error: why });
  }
}

/** The API server refused the upgrade: its HTTP status and the Status message (or the body's start). */
function refusal(res: import('node:http').IncomingMessage, then: (code: number, msg: string) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    let msg = text.slice(0, 300);
    try {
      msg = (JSON.parse(text) as ExecStatus).message ?? msg;
    } catch {
      /* not JSON: keep the text */
    }
    then(res.statusCode ?? 0, msg);
  });
}
