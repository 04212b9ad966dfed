// Decides what a Service port speaks (appProtocol, mesh port-name conventions, well-known numbers, --probe),
// and so which application probe may follow the transport probe. Pure; unknown means plain TCP.
import type { ServicePort } from '../model/k8s.js';

/**
 * What k8snet can check beyond the transport:
 * - http: an HTTP/1.1 request (any status is an answer); also WebSocket ports (the upgrade starts as HTTP/1.1)
 * - h2c: HTTP/2 with prior knowledge (gRPC, kubernetes.io/h2c); HTTP/1.1 tools cannot speak it
 * - https: a TLS handshake, then an HTTP request
 * - tls: a TLS handshake only (TLS-wrapped protocol of unknown content)
 * - dns: a DNS query (UDP or TCP)
 * - tcp: nothing beyond the connect (databases, caches, brokers, unknown protocols)
 */
export type AppProtocol = 'http' | 'h2c' | 'https' | 'tls' | 'dns' | 'tcp';

/** The `--probe` override values. */
export const PROBE_OVERRIDES = ['tcp', 'http', 'https', 'dns'] as const;
export type ProbeOverride = (typeof PROBE_OVERRIDES)[number];

/**
 * How sure the decision is: `declared` (the user's --probe, the port's appProtocol or a mesh port-name
 * prefix: someone said so) or `guessed` (a well-known port number: only a hint, so an application probe
 * that gets no answer is a warning, not a fault). `default` is the unknown case: TCP only.
 */
export type ProtocolConfidence = 'declared' | 'guessed' | 'default';

export interface PortProtocol {
  /** L4 protocol of the Service port (TCP unless the port says UDP/SCTP). */
  transport: 'TCP' | 'UDP' | 'SCTP';
  app: AppProtocol;
  /** A product name when known ("postgres", "redis", "grpc"), for reports. */
  product?: string;
  via: 'probe-flag' | 'appProtocol' | 'port-name' | 'port-number' | 'default';
  confidence: ProtocolConfidence;
  /** One line: why k8snet decided this, e.g. 'appProtocol "kubernetes.io/h2c"'. */
  why: string;
}

// appProtocol values: IANA service names (http, https, ...), the Kubernetes-defined kubernetes.io/h2c,
// kubernetes.io/ws, kubernetes.io/wss, and the names Istio and others accept (http2, grpc, tls, tcp, mongo ...).
const APP_PROTOCOL: Record<string, { app: AppProtocol; product?: string }> = {
  http: { app: 'http' },
  'kubernetes.io/ws': { app: 'http', product: 'websocket' },
  ws: { app: 'http', product: 'websocket' },
  'kubernetes.io/h2c': { app: 'h2c' },
  h2c: { app: 'h2c' },
  http2: { app: 'h2c' },
  grpc: { app: 'h2c', product: 'grpc' },
  'grpc-web': { app: 'http', product: 'grpc-web' },
  https: { app: 'https' },
  'kubernetes.io/wss': { app: 'https', product: 'websocket' },
  wss: { app: 'https', product: 'websocket' },
  tls: { app: 'tls' },
  grpcs: { app: 'tls', product: 'grpc' },
  dns: { app: 'dns' },
  'dns-tcp': { app: 'dns' },
  domain: { app: 'dns' },
  tcp: { app: 'tcp' },
  udp: { app: 'tcp' },
};

// Opaque (TCP-only) protocols: the name is kept for the report; only the transport is probed.
const OPAQUE = [
  'mongo',
  'mongodb',
  'mysql',
  'mariadb',
  'postgres',
  'postgresql',
  'pg',
  'redis',
  'memcache',
  'memcached',
  'kafka',
  'amqp',
  'amqps',
  'mqtt',
  'nats',
  'zookeeper',
  'zk',
  'cassandra',
  'cql',
  'etcd',
  'smtp',
  'imap',
  'pop3',
  'ldap',
  'ssh',
  'sftp',
  'ftp',
  'rtmp',
  'sql',
  'mssql',
  'oracle',
  'clickhouse',
  'elasticsearch-transport',
  'thrift',
  'tcp',
];

// Port names meshes key on (Istio: "<protocol>[-<suffix>]"; also common Helm chart names).
// Checked in order: the first prefix that matches wins (https before http, grpc-web before grpc).
const NAME_PREFIXES: [string, { app: AppProtocol; product?: string }][] = [
  ['https', { app: 'https' }],
  ['wss', { app: 'https', product: 'websocket' }],
  ['grpc-web', { app: 'http', product: 'grpc-web' }],
  ['grpcs', { app: 'tls', product: 'grpc' }],
  ['grpc', { app: 'h2c', product: 'grpc' }],
  ['http2', { app: 'h2c' }],
  ['h2c', { app: 'h2c' }],
  ['http', { app: 'http' }],
  ['ws', { app: 'http', product: 'websocket' }],
  ['tls', { app: 'tls' }],
  ['dns', { app: 'dns' }],
  ['domain', { app: 'dns' }],
  ...OPAQUE.map((p): [string, { app: AppProtocol; product?: string }] => [p, { app: 'tcp', product: p === 'tcp' ? undefined : p }]),
];

// Well-known numbers: a hint only, used when neither appProtocol nor the name says anything.
const WELL_KNOWN: Record<number, { app: AppProtocol; product?: string }> = {
  53: { app: 'dns' },
  80: { app: 'http' },
  8080: { app: 'http' },
  443: { app: 'https' },
  8443: { app: 'https' },
  6443: { app: 'https', product: 'kube-apiserver' },
  22: { app: 'tcp', product: 'ssh' },
  25: { app: 'tcp', product: 'smtp' },
  3306: { app: 'tcp', product: 'mysql' },
  5432: { app: 'tcp', product: 'postgres' },
  6379: { app: 'tcp', product: 'redis' },
  11211: { app: 'tcp', product: 'memcached' },
  27017: { app: 'tcp', product: 'mongodb' },
  9092: { app: 'tcp', product: 'kafka' },
  2181: { app: 'tcp', product: 'zookeeper' },
  5672: { app: 'tcp', product: 'amqp' },
  4222: { app: 'tcp', product: 'nats' },
  9042: { app: 'tcp', product: 'cassandra' },
  2379: { app: 'tcp', product: 'etcd' },
};

// Names that usually mean HTTP (Prometheus "metrics", "web", "health") but that no convention defines.
const GUESSED_HTTP_NAMES = ['metrics', 'web', 'health', 'healthz', 'admin'];

/** A port name matches a prefix when it equals it or continues with "-" (Istio: "http-web", "mysql-primary"). */
function nameMatches(name: string, prefix: string): boolean {
  return name === prefix || name.startsWith(`${prefix}-`);
}

function transportOf(p: ServicePort): PortProtocol['transport'] {
  const t = (p.protocol ?? 'TCP').toUpperCase();
  return t === 'UDP' ? 'UDP' : t === 'SCTP' ? 'SCTP' : 'TCP';
}

/**
 * The protocol of one Service port. Order: --probe (the user knows best), appProtocol (the API field
 * made for this), the port name (mesh conventions), the port number (a hint), else plain TCP.
 * A UDP port can only be DNS (probed with a query) or unknown (not probed).
 */
export function decidePortProtocol(p: ServicePort, override?: ProbeOverride): PortProtocol {
  const transport = transportOf(p);
  const fit = (app: AppProtocol): AppProtocol => (transport === 'UDP' && app !== 'dns' ? 'tcp' : app);
  if (override) {
    return { transport, app: fit(override), via: 'probe-flag', confidence: 'declared', why: `--probe ${override}` };
  }
  const ap = p.appProtocol?.trim().toLowerCase();
  if (ap) {
    const hit = APP_PROTOCOL[ap] ?? (OPAQUE.includes(ap) ? { app: 'tcp' as const, product: ap } : undefined);
    if (hit) return { transport, app: fit(hit.app), product: hit.product, via: 'appProtocol', confidence: 'declared', why: `appProtocol "${p.appProtocol}"` };
    // a domain-prefixed or unknown appProtocol (e.g. "example.com/custom"): say so, probe TCP only
    return {
      transport,
      app: 'tcp',
      product: p.appProtocol,
      via: 'appProtocol',
      confidence: 'declared',
      why: `appProtocol "${p.appProtocol}" is not one k8snet can speak: transport probe only`,
    };
  }
  const name = p.name?.toLowerCase();
  if (name) {
    const hit = NAME_PREFIXES.find(([prefix]) => nameMatches(name, prefix));
    if (hit) return { transport, app: fit(hit[1].app), product: hit[1].product, via: 'port-name', confidence: 'declared', why: `port name "${p.name}"` };
  }
  if (name && GUESSED_HTTP_NAMES.some((prefix) => nameMatches(name, prefix))) {
    return { transport, app: fit('http'), via: 'port-name', confidence: 'guessed', why: `port name "${p.name}" (usually HTTP; a hint only)` };
  }
  const known = WELL_KNOWN[p.port];
  if (known) {
    const app = fit(known.app);
    return {
      transport,
      app,
      product: known.product,
      via: 'port-number',
      confidence: app === 'tcp' ? 'default' : 'guessed',
      why: `port number ${p.port} (a hint only)`,
    };
  }
  return { transport, app: 'tcp', via: 'default', confidence: 'default', why: 'no appProtocol, no protocol port name, no well-known number: plain TCP' };
}
