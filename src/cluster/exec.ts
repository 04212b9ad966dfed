// Runs one command in a container through the exec API (WebSocket, v4 channel protocol) with a
// hard deadline; the exit code comes from the status object the API returns, never from text.

import WebSocket from 'ws';
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
  await api.applyAuth(opts);
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
    const ws = new WebSocket(url, ['v4.channel.k8s.io'], { ...opts, handshakeTimeout: timeoutMs });
    const timer = setTimeout(() => {
      finish({ state: 'timeout', exitCode: null, error: `no result after ${timeoutMs} ms; k8snet stopped waiting` });
    }, timeoutMs);
    ws.on('unexpected-response', (_req, res) => {
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
        const code = res.statusCode ?? 0;
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
