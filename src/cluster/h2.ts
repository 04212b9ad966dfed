// HTTP/2 to the API server (issue 11): every request of a run over one connection, instead of up to
// 4 keep-alive HTTP/1.1 sockets with a TLS handshake each, on which the first round of ~25 parallel
// reads queued. Api.request() uses it when the server URL is https:, no proxy-url is set and the
// server picks "h2" in ALPN; otherwise (or after any failure to connect) the run stays on HTTP/1.1.
// Same TLS material as the HTTP/1.1 path: the run's SecureContext, servername, rejectUnauthorized.

import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import type { AuthOptions, TlsSessionStore } from './api.js';

/** Per-stream receive window: a large list or log arrives without waiting for WINDOW_UPDATEs (HTTP/2's default is 64 KiB). */
const STREAM_WINDOW = 1 << 20;
/** Receive window of the whole connection. */
const SESSION_WINDOW = 8 << 20;

/** Headers HTTP/2 forbids (connection-specific): Node.js throws on them. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

/**
 * A request that got no response headers over HTTP/2 (stream refused or reset, session gone): the
 * caller may send it again over HTTP/1.1. `unprocessed`: the server certainly did not act on it
 * (REFUSED_STREAM, or it was never sent), so even a POST or PATCH may be sent again.
 */
export class H2NotAnswered extends Error {
  constructor(
    readonly unprocessed: boolean,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : 'the HTTP/2 stream closed before the response headers');
  }
}

interface Connection {
  context: tls.SecureContext;
  socket: tls.TLSSocket;
  ready: Promise<http2.ClientHttp2Session | undefined>;
  session?: http2.ClientHttp2Session;
  /** Takes new requests (false after GOAWAY, an error, close, or new TLS material). */
  open: boolean;
  /** Closed by close(): not a reason to leave HTTP/2 for the run. */
  closedByUs: boolean;
}

/** The run's HTTP/2 connection to the API server (a new one after GOAWAY or when the TLS material changes). */
export class H2Client {
  /** HTTP/1.1 for the rest of the run: the server did not pick h2, or connecting failed. */
  off = false;
  /** Connections opened (tests and benchmarks). */
  opened = 0;
  private current?: Connection;
  private readonly live = new Set<Connection>();

  constructor(
    private readonly server: URL,
    /** The run's TLS session store (shared with the HTTP/1.1 agents: exec's WebSockets resume this connection's session). */
    private readonly store: TlsSessionStore,
  ) {}

  /**
   * The session for the TLS material of `opts` (from Api.applyAuth): the open one, or a new one.
   * Resolves to undefined when the request should go over HTTP/1.1 (then `off` is set for the run).
   */
  session(opts: AuthOptions, connectTimeoutMs: number): Promise<http2.ClientHttp2Session | undefined> {
    const context = opts.secureContext;
    if (this.off || !context) return Promise.resolve(undefined);
    const cur = this.current;
    if (cur?.open && cur.context === context) return cur.ready;
    // new TLS material (files replaced during the run), or the old session is going away: the old
    // one closes after its streams end
    if (cur) this.retire(cur);
    const c = this.connect(opts, context, connectTimeoutMs);
    this.current = c;
    return c.ready;
  }

  /** Close every connection now (Api.close()). */
  close(): void {
    for (const c of this.live) {
      c.closedByUs = true;
      c.open = false;
      if (c.session) c.session.destroy();
      else c.socket.destroy();
    }
    this.live.clear();
    this.current = undefined;
  }

  private retire(c: Connection): void {
    c.open = false;
    if (this.current === c) this.current = undefined;
    // graceful: streams already sent finish (Node.js sends GOAWAY once they have)
    if (c.session && !c.session.closed && !c.session.destroyed) c.session.close();
  }

  private connect(opts: AuthOptions, context: tls.SecureContext, timeoutMs: number): Connection {
    this.opened++;
    const host = this.server.hostname.replace(/^\[(.*)\]$/, '$1');
    // as https.Agent does: the kubeconfig's tls-server-name, else the host unless it is an address
    const servername = opts.servername ?? (net.isIP(host) ? '' : host);
    const offered = this.store.session;
    const verifies = opts.rejectUnauthorized !== false;
    const socket = tls.connect({
      host,
      port: Number(this.server.port) || 443,
      servername,
      secureContext: context,
      rejectUnauthorized: opts.rejectUnauthorized,
      ALPNProtocols: ['h2', 'http/1.1'],
      ...(offered ? { session: offered } : {}),
    });
    // never keeps the process alive: a request in flight has its own timer
    socket.unref();
    // as ResumingAgent: keep sessions of verified connections (Node.js skips the name check on resumption)
    socket.on('session', (s: Buffer) => {
      if (socket.authorized || !verifies) this.store.session = s;
    });
    socket.once('close', (hadError: boolean) => {
      if (hadError && offered && this.store.session === offered) this.store.session = undefined;
    });
    const c: Connection = { context, socket, open: true, closedByUs: false, ready: Promise.resolve(undefined) };
    this.live.add(c);
    c.ready = new Promise((resolve) => {
      let settled = false;
      const fail = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        // the HTTP/1.1 path connects again and reports the real error with its own messages
        if (!c.closedByUs) this.off = true;
        this.live.delete(c);
        this.retire(c);
        socket.destroy();
        resolve(undefined);
      };
      const timer = setTimeout(fail, Math.max(1, timeoutMs));
      timer.unref();
      socket.once('error', fail);
      socket.once('close', fail);
      socket.once('secureConnect', () => {
        if (settled) return;
        if (socket.alpnProtocol !== 'h2') {
          fail(); // http/1.1 or no ALPN: this server is asked over HTTP/1.1 for the rest of the run
          return;
        }
        settled = true;
        clearTimeout(timer);
        socket.off('error', fail);
        socket.off('close', fail);
        let session: http2.ClientHttp2Session;
        try {
          session = http2.connect(this.server.origin, { createConnection: () => socket, settings: { initialWindowSize: STREAM_WINDOW } });
          session.setLocalWindowSize(SESSION_WINDOW);
        } catch {
          settled = false;
          fail();
          return;
        }
        c.session = session;
        session.unref();
        // streams carry their own errors; the session only stops taking new ones
        session.on('error', () => this.retire(c));
        session.on('goaway', () => this.retire(c));
        session.on('close', () => {
          this.retire(c);
          this.live.delete(c);
        });
        // retired while connecting (new TLS material): the requests already waiting still use it
        if (!c.open) setImmediate(() => this.retire(c));
        resolve(session);
      });
    });
    return c;
  }
}

export interface H2Request {
  method: string;
  /** host[:port] as in the server URL (Node.js would send host:port always, and an IPv6 address without brackets). */
  authority: string;
  /** Path and query. */
  path: string;
  headers: http2.OutgoingHttpHeaders;
  payload?: string;
  /** Max response bytes kept; the rest is dropped (as the HTTP/1.1 path does). */
  maxBytes?: number;
}

export interface H2Response {
  status: number;
  body: string;
}

/**
 * Send one request on `session`. `response` rejects with H2NotAnswered when no response headers came
 * (refused, reset, session gone), with the stream's error otherwise; `cancel` resets the stream.
 */
export function h2Send(session: http2.ClientHttp2Session, req: H2Request): { response: Promise<H2Response>; cancel: () => void } {
  let stream: http2.ClientHttp2Stream;
  try {
    stream = session.request(
      {
        ...req.headers,
        [http2.constants.HTTP2_HEADER_METHOD]: req.method,
        [http2.constants.HTTP2_HEADER_AUTHORITY]: req.authority,
        [http2.constants.HTTP2_HEADER_PATH]: req.path,
      },
      { endStream: !req.payload },
    );
  } catch (e) {
    // the session closed between the lookup and now: nothing was sent
    return { response: Promise.reject(new H2NotAnswered(true, e)), cancel: () => undefined };
  }
  const response = new Promise<H2Response>((resolve, reject) => {
    let status = 0;
    let settled = false;
    const chunks: Buffer[] = [];
    let size = 0;
    const notAnswered = (e: unknown) => new H2NotAnswered(stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM || stream.id === undefined, e);
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    stream.on('response', (headers) => {
      status = Number(headers[http2.constants.HTTP2_HEADER_STATUS]) || 0;
    });
    stream.on('data', (c: Buffer) => {
      if (req.maxBytes && size >= req.maxBytes) return;
      size += c.length;
      chunks.push(c);
    });
    stream.on('end', () =>
      settle(() => {
        if (status) resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
        else reject(notAnswered(undefined));
      }),
    );
    stream.on('error', (e: Error) => settle(() => reject(status ? e : notAnswered(e))));
    stream.on('close', () =>
      settle(() => {
        const e = Object.assign(new Error(`the API server reset the HTTP/2 stream (code ${stream.rstCode})`), { code: 'ECONNRESET' });
        reject(status ? e : notAnswered(e));
      }),
    );
  });
  if (req.payload) stream.end(req.payload);
  return {
    response,
    cancel: () => {
      if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_CANCEL);
    },
  };
}

/** The request headers of HTTP/1.1 options (Api's and applyAuth's, `auth` as Basic) as HTTP/2 headers. */
export function h2Headers(opts: AuthOptions): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = {};
  const headers = opts.headers;
  if (headers && !Array.isArray(headers)) {
    for (const [k, v] of Object.entries(headers as http2.OutgoingHttpHeaders)) {
      const name = k.toLowerCase();
      if (v !== undefined && !HOP_BY_HOP.has(name)) out[name] = v;
    }
  }
  if (opts.auth && out.authorization === undefined) out.authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
  return out;
}
