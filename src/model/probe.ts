// What one command executed in a container looked like (probes report; checks judge).

/** The network tools a container may have; probes pick among them. */
export const TOOL_NAMES = ['curl', 'wget', 'nc', 'nslookup', 'dig', 'getent', 'timeout', 'cat', 'bash', 'sleep'] as const;
/**
 * A capability rather than a command: an nc that cannot do `-z` but can run a program once connected
 * (busybox nc: `-e PROG`), so `nc -w N HOST PORT -e true` is a connect-only probe. Detected with nc.
 */
export const NC_EXEC = 'ncexec' as const;
export type ToolName = (typeof TOOL_NAMES)[number] | typeof NC_EXEC;

/** Which tools were found (true), not found (false); null when detection itself could not run. */
export type ToolSet = Partial<Record<ToolName, boolean>>;

/** The raw result of one exec call, as the exec API reported it. */
export interface ExecResult {
  /** namespace/pod and container the command ran in. */
  namespace: string;
  pod: string;
  container: string;
  argv: string[];
  /**
   * completed: the exec API returned a status object (exitCode holds the command's exit code).
   * exec-failed: the exec call itself failed (forbidden, container not running, binary not found,
   *   kubelet unreachable); `error` says why.
   * timeout: k8snet gave up waiting after its deadline; the command may still be running.
   */
  state: 'completed' | 'exec-failed' | 'timeout';
  exitCode: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  /** For exec-failed: the API's reason/message ("executable file not found in $PATH", 403 ...). */
  error?: string;
  /** For exec-failed: a classification of the failure. */
  errorKind?: 'forbidden' | 'not-found-binary' | 'container-not-running' | 'unreachable' | 'other';
}

export type ProbeKind = 'http' | 'tcp' | 'dns' | 'detect' | 'file';

/** What a probe was asked to do (independent of the tool used). */
export interface ProbeTarget {
  /** IP or name to connect to (http/tcp) or name to resolve (dns). */
  host: string;
  port?: number;
  path?: string;
  /** Host header for probes through an Ingress controller. */
  hostHeader?: string;
  /** DNS: the server to query (an IP), or undefined for the pod's resolver. */
  server?: string;
  /** DNS: transport. */
  transport?: 'udp' | 'tcp';
  /** DNS: the record type asked for. */
  recordType?: 'A' | 'AAAA';
  /** HTTP probes: plain HTTP/1.1 (default), HTTPS (TLS handshake, certificate not verified) or h2c (HTTP/2 prior knowledge). */
  scheme?: 'http' | 'https' | 'h2c';
  /** The pod behind the address (endpoint probes, DNS through one CoreDNS replica). */
  pod?: string;
  /** The node that pod runs on: every endpoint probe carries its node. */
  node?: string;
  /** HTTP: pad the request with one header this many bytes long, so the request travels in
   * full-size packets (the MTU probe next to the small one). */
  padBytes?: number;
  /** HTTP: report how many body bytes arrived (curl size_download): the large-response MTU probe. */
  measureBody?: boolean;
}

/**
 * The probe ladder: a `transport` probe only connects (its outcome alone decides reachability); an
 * `app` probe speaks the port's protocol (HTTP, TLS, DNS) and is application evidence only.
 * Absent on probes of older facts files, whose connect probes did both in one command.
 */
export type ProbeRole = 'transport' | 'app';

/** One probe: the question, the tool chosen, the exec result, and a kubectl line to reproduce it. */
export interface ProbeFact {
  /** Stable id, e.g. "clusterip/http/80", "endpoint/10.244.0.7/8080", "dns/fqdn/udp", "ingress/production/api-ingress/0". */
  id: string;
  kind: ProbeKind;
  /** Human purpose: "ClusterIP 10.96.12.4:80", "payments-api.payments.svc.cluster.local via 10.96.0.10/udp". */
  label: string;
  target: ProbeTarget;
  /** Tool used, or null when no suitable tool was available (then exec is absent). */
  tool: ToolName | null;
  exec?: ExecResult;
  /** The command an engineer can paste to reproduce the probe. */
  kubectl?: string;
  /** transport (connect only) or app (speaks the protocol); see ProbeRole. */
  role?: ProbeRole;
  /** The Service port this probe is about (ClusterIP and endpoint probes). */
  servicePort?: { port: number; name?: string; protocol?: string };
  /** For app probes: the protocol spoken (http, h2c, https, tls, dns). */
  app?: 'http' | 'h2c' | 'https' | 'tls' | 'dns';
}

/** Outcome of a connection probe, parsed from a ProbeFact. */
export type ConnectOutcomeKind =
  | 'ok' // a connection was made (HTTP: any status code, even 404/503, is a working connection)
  | 'refused' // TCP RST: nothing listening, or a REJECT rule
  | 'timeout' // no answer: packets dropped (policy, routing, dead pod)
  | 'dns-failure' // the host name did not resolve
  | 'no-route' // EHOSTUNREACH / ENETUNREACH
  | 'reset' // connection reset after connecting
  | 'tool-missing' // no tool able to run this probe
  | 'exec-failed' // exec itself failed
  | 'deadline' // k8snet's own exec deadline: the result is unknown (not a network timeout)
  | 'crashed' // the tool crashed (signal, segfault)
  | 'error'; // anything else, with detail

export interface ConnectOutcome {
  kind: ConnectOutcomeKind;
  /** HTTP status when an HTTP response was received. */
  httpStatus?: number;
  /** true when the tool showed the TCP handshake completed (curl num_connects, an HTTP status, nc success). */
  connected?: boolean;
  /** HTTPS probes: the TLS handshake completed (curl's time_appconnect > 0, or an HTTP status over TLS). */
  tlsHandshake?: boolean;
  /** Bytes the remote sent that are not an HTTP status line (e.g. an SMTP greeting); any byte disproves "dropped". */
  received?: string;
  /** Body bytes that arrived (curl's size_download), when the probe asked for them (measureBody). */
  bodyBytes?: number;
  /** One line explaining how the outcome was read (exit code, status). */
  detail: string;
}

export type DnsOutcomeKind =
  | 'answer' // resolved; addresses holds the A/AAAA records
  | 'nxdomain'
  | 'servfail'
  | 'refused'
  | 'timeout'
  | 'no-answer' // NOERROR with no records of the asked type
  | 'not-found' // the tool says only "did not resolve" (getent exit 2): NXDOMAIN, SERVFAIL and timeout look alike
  | 'tool-missing'
  | 'exec-failed'
  | 'deadline'
  | 'crashed'
  | 'error';

export interface DnsOutcome {
  kind: DnsOutcomeKind;
  addresses: string[];
  /** The server that answered, when the tool says. */
  server?: string;
  detail: string;
}
