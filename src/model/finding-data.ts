// The structured extras (`Finding.data`) each finding code carries, typed per code: rules read these
// fields, never the finding's sentences. A code absent from FindingDataByCode carries no data.

import type { ConnectOutcomeKind, DnsOutcomeKind } from './probe.js';
import type { Protocol, Reach, Verdict } from './verdict.js';

/** The Service port a probe is about (multi-port Services are judged per port). */
export interface ProbedServicePort {
  port: number;
  name?: string;
  protocol?: string;
}

/** A ClusterIP or pod-IP probe: which probe, what the parser read, and the address it targeted. */
export interface ConnectProbeData {
  probeId: string;
  /** The application-protocol probe that went with the transport probe, if any. */
  appProbeId?: string;
  /** The parser's outcome; 'no-response' when the tool showed a connection that never answered,
   * 'app-error' when the application did not answer in its protocol. */
  outcome: ConnectOutcomeKind | 'no-response' | 'app-error';
  /** true when the tool showed the TCP handshake completed; undefined when the tool cannot tell. */
  connected?: boolean;
  httpStatus?: number;
  /** "host:port" probed. */
  target: string;
  servicePort?: ProbedServicePort;
  /** The application probe's outcome (answered, silent, closed, protocol-error, ...). */
  app?: string;
  /** The application protocol decided for the port (http, https, tls, dns, tcp, ...), drawn on the path picture. */
  protocol?: string;
  /** A port the user did not ask for that fails while another works: a warning, not evidence. */
  secondary?: boolean;
  /** Endpoint probes: the pod behind the address and the node it runs on. */
  pod?: string;
  node?: string;
}

/** A DNS lookup from the source pod. */
export interface DnsProbeData {
  probeId: string;
  outcome: DnsOutcomeKind;
  addresses: string[];
  /** The name asked for, and how ("payments-api.payments via the pod's resolver"). */
  query: string;
  via: string;
}

/** A probe through the Ingress controller or a Gateway's data plane. */
export interface IngressProbeData {
  probeId: string;
  outcome: ConnectOutcomeKind;
  httpStatus?: number;
  /** An application-protocol label a probe adds (drawn on the path picture). */
  protocol?: string;
}

/** A suggested object to review (never applied) and what it is, e.g. "Suggested ReferenceGrant for namespace x". */
export interface SuggestionData {
  suggestion: string;
  /** Heading for the suggestion; the report's default names an allow rule. */
  suggestionTitle?: string;
}

/** A Gateway API status reason (Accepted / ResolvedRefs / attachment), as the controller or k8snet names it. */
export interface GatewayReasonData {
  reason: string | undefined;
}

/** The policy engine's verdict for one flow of the path, and the allow rule it suggests when denied. */
export interface PolicyVerdictData extends Partial<SuggestionData> {
  verdict: Verdict;
  /** The smallest NetworkPolicy (YAML, to review; never applied) that would admit the flow. */
  suggestion?: string;
}

/** Who the destination's ingress policies admit, per port. */
export interface ReachData {
  reach: Reach;
}

/** Egress policy that blocks DNS: the protocols blocked and the verdict for the first of them. */
export interface DnsEgressData {
  blocked: Protocol[];
  dnsVerdict: Verdict;
}

/** The CNI fingerprint: its name and whether it enforces NetworkPolicy. */
export interface CniInfo {
  /** "calico", "cilium", "flannel", ... or "unknown". */
  name: string;
  /** true: enforces NetworkPolicy; false: known not to; null: cannot tell. */
  enforcesPolicy: boolean | null;
  evidence: string[];
  /** An enforcer's DaemonSet that exists but runs no ready pod ("ns/name"): stopped, not absent by design. */
  stoppedEnforcer?: string;
}

export interface CniData {
  cni: CniInfo;
}

/** Predicted (policy) against observed (probes). */
export interface CrossCheckData {
  predicted: 'allow' | 'deny';
  observed: 'pass' | 'drop' | 'refused';
  /** "ns/name" of the policies that deny the path. */
  policies?: string[];
}

/** A pod that misses the selector by exactly one key: the key is absent or its value differs. */
export interface NearMiss {
  pod: string;
  key: string;
  want: string;
  /** The pod's value for the key, or undefined when the pod lacks the key. */
  have: string | undefined;
  /** For a missing key: a pod label whose key is close to the wanted key ("apps" for "app"). */
  similarKey?: { key: string; value: string };
}

/** Kind of not-ready, for grouping and for the diagnosis. */
export type NotReadyKind = 'pending' | 'crashloop' | 'image-pull' | 'readiness-probe' | 'terminating' | 'failed' | 'not-ready';

/** A Service port whose targetPort does not resolve, and (for a numeric one) what a pod declares instead. */
export interface TargetPortData {
  port: number;
  targetPort: number | string;
  /** The first pod and the ports it declares ("8080/TCP (app)"), for the headline. */
  declaredBy?: { pod: string; ports: string };
}

/** The data each code carries; keys must be catalogue codes (checked in codes.ts). */
export interface FindingDataByCode {
  'service/found': { type: string; clusterIP?: string };
  'service/not-found': { close: string[]; elsewhere: string[] };
  'service/no-matching-pods': { selector: Record<string, string>; nearMisses: NearMiss[] };
  'service/pods-matched': { matched: number; ready: number };
  'service/pods-not-ready': { reasons: { pod: string; kind: NotReadyKind | undefined }[] };
  'service/endpoints-ready': { ready: number; total: number };
  'service/no-endpoints': { ready: number; total: number };
  'service/target-port-unresolved': TargetPortData;
  'service/target-port-undeclared': TargetPortData;

  'clusterip/reachable': ConnectProbeData;
  'clusterip/refused': ConnectProbeData;
  'clusterip/timeout': ConnectProbeData;
  'clusterip/no-response': ConnectProbeData;
  'clusterip/unreachable': ConnectProbeData;
  'clusterip/error': ConnectProbeData;
  'clusterip/not-probed': ConnectProbeData;
  'endpoint/reachable': ConnectProbeData;
  'endpoint/refused': ConnectProbeData;
  'endpoint/timeout': ConnectProbeData;
  'endpoint/no-response': ConnectProbeData;
  'endpoint/unreachable': ConnectProbeData;
  'endpoint/error': ConnectProbeData;
  'endpoint/not-probed': ConnectProbeData;
  'clusterip/app-error': ConnectProbeData;
  'clusterip/app-unanswered': ConnectProbeData;
  'endpoint/app-error': ConnectProbeData;
  'endpoint/app-unanswered': ConnectProbeData;
  'clusterip/udp-not-probed': { servicePort: ProbedServicePort; secondary?: boolean };

  'dns/resolves': DnsProbeData;
  'dns/nxdomain': DnsProbeData;
  'dns/servfail': DnsProbeData;
  'dns/timeout': DnsProbeData;
  'dns/refused': DnsProbeData;
  'dns/no-answer': DnsProbeData;
  'dns/wrong-answer': DnsProbeData;
  'dns/short-name-other-namespace': DnsProbeData;
  'dns/not-probed': DnsProbeData;

  'ingress/no-class': { servedBy: string[]; statusAddresses: string[]; probedOk: number };
  'ingress/class-not-found': { asked: string | undefined; existing: string[] };
  'ingress/probe-ok': IngressProbeData;
  'ingress/route-not-matched': IngressProbeData;
  'ingress/backend-error': IngressProbeData;
  'ingress/probe-failed': IngressProbeData;
  'ingress/not-probed': IngressProbeData;

  'mesh/sidecar': { mesh: string; side: string };

  'crosscheck/agree': CrossCheckData;
  'crosscheck/not-enforced': CrossCheckData;
  'crosscheck/dropped-despite-allow': CrossCheckData;

  'gateway/no-matching-listener': GatewayReasonData;
  'gateway/not-allowed-by-listener': GatewayReasonData;
  'gateway/hostname-mismatch': GatewayReasonData;
  'gateway/route-not-accepted': GatewayReasonData;
  'gateway/refs-not-resolved': GatewayReasonData;
  'gateway/route-status-stale': { observedGeneration: number; generation: number | undefined };
  'gateway/backend-not-permitted': SuggestionData;
  'gateway/certificate-not-permitted': SuggestionData;
  'gateway/hop-allowed': PolicyVerdictData;
  'gateway/hop-denied': PolicyVerdictData;
  'gateway/probe-ok': IngressProbeData;
  'gateway/route-not-matched': IngressProbeData;
  'gateway/backend-error': IngressProbeData;
  'gateway/probe-failed': IngressProbeData;
  'gateway/not-probed': IngressProbeData;

  'policy/reach-open': ReachData;
  'policy/reach-restricted': ReachData;
  'policy/no-callers': ReachData;
  'policy/callers-match-nothing': ReachData;

  'policy/allowed': PolicyVerdictData;
  'policy/ingress-denied': PolicyVerdictData;
  'policy/egress-denied': PolicyVerdictData;
  'policy/dns-egress-blocked': DnsEgressData;
  'policy/cni-detected': CniData;
  'policy/cni-unknown': CniData;

  // Pod network across nodes (checks/pod-network.ts, checks/dns-replicas.ts)
  'endpoints/node-unreachable': SpreadData & { sourceToNodes: string[] };
  'endpoints/partial-failure': SpreadData & { traits: string[] };
  'mtu/large-packets-ok': MtuData;
  'mtu/large-packets-dropped': MtuData & { small: string; large: string };
  'mtu/large-response-ok': MtuData;
  'mtu/large-response-dropped': MtuData & { small: string; large: string; path: string };
  'mtu/large-response-untested': MtuData;
  'node/not-ready': { node: string; pods: string[] };
  'node/network-unavailable': { node: string };
  'node/agent-missing': NodeAgentData;
  'node/agent-ok': NodeAgentData & { pod: string; ready: boolean; restarts: number };
  'node/agent-not-ready': NodeAgentData & { pod: string; ready: boolean; restarts: number };
  'dns/replica-ok': DnsReplicaData;
  'dns/replica-unreachable': DnsReplicaData;
}

/** Some endpoints answer and some do not: which, where, from which node. */
export interface SpreadData {
  sourceNode?: string;
  failing: { pod?: string; ip: string; node?: string; outcome: string }[];
  answering: { pod?: string; ip: string; node?: string }[];
  failingNodes: string[];
  total: number;
}

/** The large-request probe to one endpoint node. */
export interface MtuData {
  node?: string;
  sourceNode?: string;
  bytes: number;
}

/** A node agent (CNI, policy enforcer, kube-proxy) on one node. */
export interface NodeAgentData {
  node: string;
  role: 'cni' | 'policy' | 'kube-proxy';
  daemonSet: string;
}

/** A DNS query through one CoreDNS replica by its pod IP. */
export interface DnsReplicaData {
  server?: string;
  pod?: string;
  node?: string;
  sourceNode?: string;
  outcome: DnsOutcomeKind;
  replicas: number;
  failing: number;
}
