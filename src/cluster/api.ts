// The only place that sends HTTP requests to the API server: GETs (JSON or text), the
// access-review POSTs, every one bounded by a timeout and counted, errors translated to types.

import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterError, type ClusterErrorKind } from '../errors.js';
import { countRequest } from './request-count.js';
import type { Read } from '../model/facts.js';
import { prepareCredentials } from './credentials.js';
import { H2Client, H2NotAnswered, h2Headers, h2Send } from './h2.js';

export interface RequestOptions {
  /** Per-request timeout; capped by the run's deadline. */
  timeoutMs?: number;
  accept?: string;
  /** Max response bytes kept (logs); the rest is dropped. */
  maxBytes?: number;
  contentType?: string;
}

/** Request options with the TLS context applyAuth adds (https.RequestOptions lacks it in @types/node). */
export type AuthOptions = https.RequestOptions & { secureContext?: tls.SecureContext };

export interface ApiStats {
  requests: number;
}

/** Thin API client over the kubeconfig's TLS and auth settings. */
export class Api {
  readonly stats: ApiStats = { requests: 0 };
  private readonly server: URL;
  /** One keep-alive agent for the run: a TLS handshake per request costs more than the request. */
  private agent?: Promise<https.Agent | undefined>;
  /** The agent of upgraded connections (exec's WebSockets): no keep-alive, no socket limit; built for one context. */
  private upgradeAgent?: { agent: https.Agent; context: tls.SecureContext };
  /** Upgrade agents replaced after the TLS material changed (closed with the Api). */
  private readonly oldUpgradeAgents: https.Agent[] = [];
  /** One SecureContext for every connection of the run (issue 11: each one built its own, 1.5-2.5 ms of CPU apiece). */
  private readonly contexts = new SecureContextCache();
  /** The newest TLS session of any connection: new connections resume it (no certificate exchange). */
  private readonly sessions: TlsSessionStore = {};
  /**
   * Requests over one HTTP/2 connection when the server offers h2 (issue 11): not through a proxy-url,
   * not over http://, not with K8SNET_HTTP1=1 (to measure against HTTP/1.1).
   */
  private readonly h2?: H2Client;

  constructor(
    readonly kc: KubeConfig,
    /** Absolute time (ms since epoch) after which no request may run. */
    readonly deadline: number,
    readonly defaultTimeoutMs = 8000,
  ) {
    this.server = new URL(kc.getCurrentCluster()!.server);
    if (this.server.protocol === 'https:' && !kc.getCurrentCluster()?.proxyUrl && process.env.K8SNET_HTTP1 !== '1') {
      this.h2 = new H2Client(this.server, this.sessions);
    }
  }

  /** The exec credential plugin's run (once per Api, within the deadline) and the http:// check. */
  private credentials?: Promise<void>;

  /** Apply the kubeconfig's TLS and auth settings to request options (also used by exec's WebSocket). */
  async applyAuth(opts: AuthOptions): Promise<void> {
    this.credentials ??= prepareCredentials(this.kc, this.deadline);
    await this.credentials;
    // http:// (kubectl proxy) only without credentials (checked above): nothing to apply, and
    // client-node would refuse it
    if (this.server.protocol === 'http:') return;
    await this.kc.applyToHTTPSOptions(opts);
    // through a proxy, client-node's proxy agent connects, with the options as client-node set them
    if (this.kc.getCurrentCluster()?.proxyUrl) return;
    // client-node's options hold the kubeconfig's TLS material (CA, client certificate and key, as
    // it read them now) and a new agent; the material becomes one SecureContext, reused while it
    // stays the same, and the agent one per Api, whose connections resume the run's TLS session
    const context = this.secureContext(opts);
    opts.secureContext = context;
    if (this.upgradeAgent?.context !== context) {
      // new material (files changed during the run): a new agent, as client-node's new agent per call
      // would have, and no session of the old material is offered
      if (this.upgradeAgent) {
        this.oldUpgradeAgents.push(this.upgradeAgent.agent);
        this.sessions.session = undefined;
      }
      this.upgradeAgent = { agent: new ResumingAgent(agentOptions(opts, { keepAlive: false }), this.sessions), context };
    }
    opts.agent = this.upgradeAgent.agent;
  }

  /** The context of the TLS material in `opts`; material TLS refuses (a key not the certificate's) is a configuration error. */
  private secureContext(opts: AuthOptions): tls.SecureContext {
    try {
      return this.contexts.get(opts);
    } catch (e) {
      const user = this.kc.getCurrentUser()?.name ?? '?';
      throw new ClusterError({
        kind: 'config',
        message: `could not use the TLS settings of kubeconfig user "${user}" and cluster "${this.kc.getCurrentCluster()?.name ?? '?'}"`,
        why: e instanceof Error ? e.message : String(e),
        next: "check the user's client-certificate(-data) and client-key(-data) (the key must be the certificate's) and the cluster's certificate-authority(-data)",
        cause: e,
      });
    }
  }

  /** ms left before the run's deadline. */
  remaining(): number {
    return this.deadline - Date.now();
  }

  async getJson<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const body = await this.request('GET', path, undefined, opts);
    return JSON.parse(body) as T;
  }

  async getText(path: string, opts: RequestOptions = {}): Promise<string> {
    // the log subresource answers 406 to a bare "text/plain" (Kubernetes 1.34): accept anything else too
    return this.request('GET', path, undefined, { accept: 'text/plain, */*', ...opts });
  }

  async postJson<T>(path: string, payload: unknown, opts: RequestOptions = {}): Promise<T> {
    const body = await this.request('POST', path, JSON.stringify(payload), opts);
    return JSON.parse(body) as T;
  }

  /** PATCH with a strategic-merge patch (the one write: --ephemeral's debug container). */
  async patchStrategic<T>(path: string, payload: unknown, opts: RequestOptions = {}): Promise<T> {
    const body = await this.request('PATCH', path, JSON.stringify(payload), {
      ...opts,
      contentType: 'application/strategic-merge-patch+json',
    });
    return JSON.parse(body) as T;
  }

  /** GET as a Read: not-found/forbidden/timeout become states, not exceptions. */
  async read<T>(path: string, opts: RequestOptions = {}): Promise<Read<T>> {
    try {
      return { state: 'ok', value: await this.getJson<T>(path, opts) };
    } catch (e) {
      return readFailure(e);
    }
  }

  /** List as a Read of the items array. */
  async list<T>(path: string, opts: RequestOptions = {}): Promise<Read<T[]>> {
    const r = await this.read<{ items?: T[] }>(path, opts);
    return r.state === 'ok' ? { state: 'ok', value: r.value.items ?? [] } : r;
  }

  /** Build the keep-alive agent from the kubeconfig's TLS material (not when a proxy is configured). */
  private sharedAgent(opts: AuthOptions): Promise<https.Agent | undefined> {
    this.agent ??= Promise.resolve(
      this.kc.getCurrentCluster()?.proxyUrl || this.server.protocol !== 'https:'
        ? undefined
        : new ResumingAgent(
            agentOptions(opts, {
              keepAlive: true,
              // few sockets, reused: on the lab each new connection costed ~60 ms; 16 parallel ones made reads 10x slower
              maxSockets: 4,
            }),
            this.sessions,
          ),
    );
    return this.agent;
  }

  /** Close idle keep-alive sockets and the HTTP/2 connection so the process can exit. */
  close(): void {
    this.h2?.close();
    void this.agent?.then((a) => a?.destroy());
    this.upgradeAgent?.agent.destroy();
    for (const a of this.oldUpgradeAgents) a.destroy();
  }

  private async request(method: string, path: string, payload: string | undefined, opts: RequestOptions): Promise<string> {
    const left = this.remaining();
    if (left <= 0) {
      throw new ClusterError({
        kind: 'timeout',
        message: `${method} ${path} was not sent`,
        why: 'the run reached its --timeout',
        next: 'raise --timeout, or check why the API server is slow',
      });
    }
    const timeoutMs = Math.min(opts.timeoutMs ?? this.defaultTimeoutMs, left);
    const url = new URL(this.server.toString().replace(/\/$/, '') + path);
    const reqOpts: AuthOptions = {
      method,
      headers: {
        Accept: opts.accept ?? 'application/json',
        'User-Agent': 'k8snet',
        ...(payload ? { 'Content-Type': opts.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
      },
    };
    await this.applyAuth(reqOpts);
    this.stats.requests++;
    countRequest();
    const started = Date.now();
    if (this.h2 && !this.h2.off) {
      const answered = await this.viaH2(this.h2, method, path, url, reqOpts, payload, opts, timeoutMs);
      if (answered) return answered.body;
      // not over HTTP/2 (no h2 here, connecting failed, or the stream was refused before any answer): HTTP/1.1
    }
    const shared = await this.sharedAgent(reqOpts);
    if (shared) reqOpts.agent = shared;
    return this.viaH1(method, path, url, reqOpts, payload, opts, timeoutMs, Math.max(1, timeoutMs - (Date.now() - started)));
  }

  /** The request over the run's HTTP/2 session; undefined when it should go over HTTP/1.1 instead. */
  private viaH2(
    h2: H2Client,
    method: string,
    path: string,
    url: URL,
    reqOpts: AuthOptions,
    payload: string | undefined,
    opts: RequestOptions,
    timeoutMs: number,
  ): Promise<{ body: string } | undefined> {
    return new Promise((resolve, reject) => {
      let done = false;
      let cancel: (() => void) | undefined;
      const finish = (f: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        f();
      };
      // the timeout covers connecting too, as on HTTP/1.1
      const timer = setTimeout(() => {
        finish(() => {
          cancel?.();
          reject(this.timeoutError(method, path, timeoutMs, new TimeoutError()));
        });
      }, timeoutMs);
      void h2.session(reqOpts, this.remaining()).then((session) => {
        if (done) return;
        if (!session) {
          finish(() => resolve(undefined));
          return;
        }
        const sent = h2Send(session, {
          method,
          authority: url.host,
          path: url.pathname + url.search,
          headers: h2Headers(reqOpts),
          payload,
          maxBytes: opts.maxBytes,
        });
        cancel = sent.cancel;
        sent.response.then(
          ({ status, body }) => finish(() => (status >= 200 && status < 300 ? resolve({ body }) : reject(httpError(method, path, status, body)))),
          (e: unknown) =>
            finish(() => {
              // refused or reset before any answer: once more over HTTP/1.1 (a write only when surely not processed)
              if (e instanceof H2NotAnswered && (e.unprocessed || method === 'GET')) resolve(undefined);
              else reject(networkError(method, path, this.server, e instanceof H2NotAnswered ? (e.cause ?? e) : e));
            }),
        );
      });
    });
  }

  private viaH1(
    method: string,
    path: string,
    url: URL,
    reqOpts: AuthOptions,
    payload: string | undefined,
    opts: RequestOptions,
    timeoutMs: number,
    budgetMs: number,
  ): Promise<string> {
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise<string>((resolve, reject) => {
      const req = lib.request(url, reqOpts, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (opts.maxBytes && size >= opts.maxBytes) return;
          size += c.length;
          chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(timer);
          const body = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(body);
          else reject(httpError(method, path, status, body));
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(networkError(method, path, this.server, e));
        });
      });
      const timer = setTimeout(() => {
        req.destroy(new TimeoutError());
      }, budgetMs);
      req.on('error', (e) => {
        clearTimeout(timer);
        if (e instanceof TimeoutError) reject(this.timeoutError(method, path, timeoutMs, e));
        else reject(networkError(method, path, this.server, e));
      });
      if (payload) req.write(payload);
      req.end();
    });
  }

  private timeoutError(method: string, path: string, timeoutMs: number, cause: TimeoutError): ClusterError {
    return new ClusterError({
      kind: 'timeout',
      message: `${method} ${path} timed out after ${timeoutMs} ms`,
      why: `the API server at ${this.server.host} did not answer in time`,
      next: 'check the API server (is it overloaded or stopped?), or raise --timeout',
      cause,
    });
  }
}

/** The agent options of a connection to the API server: the TLS settings of `opts` (from applyAuth) and `extra`. */
function agentOptions(opts: AuthOptions, extra: https.AgentOptions): https.AgentOptions {
  return {
    ca: opts.ca,
    cert: opts.cert,
    key: opts.key,
    pfx: opts.pfx,
    passphrase: opts.passphrase,
    servername: opts.servername,
    rejectUnauthorized: opts.rejectUnauthorized,
    ...(opts.secureContext ? { secureContext: opts.secureContext } : {}),
    ...extra,
  };
}

/** The options tls.createSecureContext reads (Node.js 20-24): equal values make an equal context. */
const SECURE_CONTEXT_OPTIONS = [
  'ca',
  'cert',
  'key',
  'pfx',
  'passphrase',
  'crl',
  'ciphers',
  'ecdhCurve',
  'dhparam',
  'honorCipherOrder',
  'secureOptions',
  'secureProtocol',
  'sessionIdContext',
  'sessionTimeout',
  'ticketKeys',
  'minVersion',
  'maxVersion',
  'sigalgs',
  'clientCertEngine',
  'privateKeyEngine',
  'privateKeyIdentifier',
  'allowPartialTrustChain',
] as const;

type ContextOptions = Partial<Record<(typeof SECURE_CONTEXT_OPTIONS)[number], unknown>>;

/** Same value for a secure context: Buffers by content, arrays element by element, the rest by identity. */
function sameOption(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameOption(x, b[i]));
  return false;
}

/**
 * One tls.SecureContext per distinct TLS material: what tls.connect would build from the same options
 * for every connection (parsing the CA, the certificate and the key each time), built once. A kubeconfig
 * whose files change during a run (client-node reads them at each request) gets a new context.
 */
export class SecureContextCache {
  private last?: { options: ContextOptions; context: tls.SecureContext };
  /** How many contexts were built (for tests and benchmarks). */
  built = 0;

  get(opts: object): tls.SecureContext {
    const o = opts as ContextOptions;
    const last = this.last;
    if (last && SECURE_CONTEXT_OPTIONS.every((k) => sameOption(last.options[k], o[k]))) return last.context;
    const options: ContextOptions = {};
    for (const k of SECURE_CONTEXT_OPTIONS) if (o[k] !== undefined) options[k] = o[k];
    const context = tls.createSecureContext(options as tls.SecureContextOptions);
    this.built++;
    this.last = { options, context };
    return context;
  }
}

/** The newest TLS session ticket seen on a connection to the API server. */
export interface TlsSessionStore {
  session?: Buffer;
}

/**
 * An https.Agent whose new connections offer the newest session of the run's connections (of either
 * agent), so that an exec's WebSocket resumes the session of the reads before it instead of a full
 * handshake with certificates. The server may refuse it: then the handshake is a full one, as before.
 * A session is only offered to the same server with the same TLS settings (one Api, one kubeconfig
 * context); a connection that closes on an error drops the session it offered.
 */
export class ResumingAgent extends https.Agent {
  constructor(
    options: https.AgentOptions,
    private readonly store: TlsSessionStore,
  ) {
    super(options);
  }

  override createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, stream: import('node:stream').Duplex) => void) {
    const offered = this.store.session;
    const withSession = offered && !(options as tls.ConnectionOptions).session ? { ...options, session: offered } : options;
    const socket = super.createConnection(withSession, callback) as tls.TLSSocket;
    // Node.js skips the host name check on a resumed session: keep only sessions of connections that
    // passed verification (authorized), or that verify nothing anyway (insecure-skip-tls-verify)
    const verifies = (withSession as tls.ConnectionOptions).rejectUnauthorized !== false;
    socket.on('session', (s: Buffer) => {
      if (socket.authorized || !verifies) this.store.session = s;
    });
    socket.once('close', (hadError: boolean) => {
      if (hadError && offered && this.store.session === offered) this.store.session = undefined;
    });
    return socket;
  }
}

class TimeoutError extends Error {
  constructor() {
    super('request timed out');
  }
}

interface StatusBody {
  message?: string;
  reason?: string;
}

function httpError(method: string, path: string, status: number, body: string): ClusterError {
  let parsed: StatusBody;
  try {
    parsed = JSON.parse(body) as StatusBody;
  } catch {
    parsed = { message: body.slice(0, 200) };
  }
  const serverMsg = parsed.message ?? `HTTP ${status}`;
  const map: Record<number, { kind: ClusterErrorKind; next: string }> = {
    401: { kind: 'unauthorized', next: 'your credentials were rejected: refresh them (log in again) or check the kubeconfig user' },
    403: { kind: 'forbidden', next: 'ask for the permission (see `k8snet rbac` for the rules k8snet needs)' },
    404: { kind: 'not-found', next: 'check the name and namespace' },
  };
  const m = map[status] ?? { kind: status >= 500 ? 'server' : 'other', next: 'retry; if it persists, check the API server' };
  return new ClusterError({
    kind: m.kind,
    message: `${method} ${path} failed with HTTP ${status}`,
    why: serverMsg,
    next: m.next,
  });
}

function networkError(method: string, path: string, server: URL, e: unknown): ClusterError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const msg = e instanceof Error ? e.message : String(e);
  const tls = /CERT|SSL|TLS|self.signed|unable to verify/i.test(code + ' ' + msg);
  return new ClusterError({
    kind: tls ? 'config' : 'unreachable',
    message: `could not reach the API server at ${server.host}`,
    why: tls ? `TLS failed: ${msg}` : `${code || 'network error'}: ${msg}`,
    next: tls
      ? 'check the cluster CA in the kubeconfig (certificate-authority-data)'
      : 'check the server address in the kubeconfig, your VPN/network, and that the API server runs',
    cause: e,
  });
}

/** Convert a thrown error into the failed-Read shape. */
export function readFailure(e: unknown): Exclude<Read<never>, { state: 'ok' }> {
  if (e instanceof ClusterError) {
    const msg = [e.message, e.why].filter(Boolean).join(': ');
    switch (e.kind) {
      case 'not-found':
        return { state: 'not-found', message: msg };
      case 'forbidden':
        return { state: 'forbidden', message: msg };
      case 'timeout':
        return { state: 'timeout', message: msg };
      case 'unreachable':
        return { state: 'unreachable', message: msg };
      default:
        return { state: 'error', message: msg };
    }
  }
  return { state: 'error', message: e instanceof Error ? e.message : String(e) };
}

/** Build a query string from defined values. */
export function qs(params: Record<string, string | number | boolean | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
