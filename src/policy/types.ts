// Shared types of the NetworkPolicy engine: the world it reads, the flow it judges, the verdict it returns.

import type { Namespace, NetworkPolicy, Pod, Service, Workload } from '../model/k8s.js';

/** Everything the engine may look at: from a live cluster or from --manifests. */
export interface PolicyWorld {
  namespaces: Namespace[];
  pods: Pod[];
  /** Deployment/StatefulSet/DaemonSet/ReplicaSet/Job/CronJob; their pod templates stand in for pods. */
  workloads: Workload[];
  services: Service[];
  policies: NetworkPolicy[];
  /** Whether the CNI enforces NetworkPolicy: true, false, or null when unknown. */
  enforced?: boolean | null;
  /** Where the world came from, for output ("live", "manifests: a.yaml, b/"). */
  origin?: string;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export type Direction = 'ingress' | 'egress';

/** One end of a flow: a pod (or a workload template standing in for one), or an address outside the cluster. */
export type Party =
  | { kind: 'pod'; pod: Pod; /** How this pod was reached, e.g. "endpoint of service payments/payments-api". */ origin?: string; /** A workload's pod template standing in for its pods (no IP by nature). */ template?: boolean }
  | { kind: 'external'; ip: string };

/** One flow to judge. `port` is always the POD's port (a Service's targetPort, already resolved). */
export interface Flow {
  src: Party;
  dst: Party;
  port: number;
  protocol: Protocol;
  /** The Service port the user went through, when the destination is a Service (for the port lint). */
  servicePort?: number;
}

export interface PolicyRef {
  namespace: string;
  name: string;
}

/** Serializable description of a party. */
export interface PartyRef {
  kind: 'pod' | 'external';
  namespace?: string;
  name?: string;
  ip?: string;
  labels?: Record<string, string>;
  hostNetwork?: boolean;
  origin?: string;
}

/** The rule that allowed a flow. peerIndex null: the rule has no from/to (all peers). portIndex null: no ports (all ports). */
export interface RuleRef {
  policy: PolicyRef;
  ruleIndex: number;
  peerIndex: number | null;
  portIndex: number | null;
  /** Peer kind that matched, e.g. "namespaceSelector+podSelector", "ipBlock", "all peers". */
  matchedBy: string;
}

/** For a denied direction: what came closest in one selecting policy and what it lacked. */
export interface Miss {
  policy: PolicyRef;
  /** null when the policy has no rules in this direction (it only isolates). */
  ruleIndex: number | null;
  peerIndex: number | null;
  portIndex: number | null;
  lacks: string[];
}

export interface DirectionResult {
  direction: Direction;
  /** false when this side is outside the cluster or a host-network pod; then `allowed` is true. */
  evaluated: boolean;
  skippedReason?: string;
  isolated: boolean;
  allowed: boolean;
  /** Policies that select the pod and have this direction in policyTypes. */
  selectedBy: PolicyRef[];
  /** Every rule that allows the flow (the union over selecting policies). */
  allowedBy: RuleRef[];
  /** When denied: one closest miss per selecting policy. */
  misses: Miss[];
  notes: string[];
}

export type LintCode =
  | 'or-instead-of-and'
  | 'service-port-not-target-port'
  | 'selects-nothing'
  | 'dns-egress-blocked'
  | 'not-enforced'
  | 'ipblock-contains-pod-ip'
  | 'host-network'
  | 'peer-matches-nothing';

/** A remark that never changes a verdict. */
export interface Lint {
  code: LintCode;
  policy?: PolicyRef;
  /** JSON-path-like location inside the policy, e.g. "spec.ingress[0].from". */
  path?: string;
  message: string;
}

export interface Verdict {
  allowed: boolean;
  src: PartyRef;
  dst: PartyRef;
  port: number;
  protocol: Protocol;
  servicePort?: number;
  egress: DirectionResult;
  ingress: DirectionResult;
  notes: string[];
  lints: Lint[];
  /** The smallest NetworkPolicy (YAML, to review; never applied) that would admit the flow. */
  suggestion?: string;
}

/** What `k8snet policy SRC DST` found: one verdict per (source pod, destination pod, port). */
export interface PolicyReport {
  source: { spec: string; kind: string; description: string };
  destination: { spec: string; kind: string; description: string };
  port?: string;
  protocol?: string;
  /** true only when every verdict allows. */
  allowed: boolean;
  verdicts: Verdict[];
  skipped: string[];
  folded: string[];
  /** Lints about the policies of the two namespaces that are not tied to one verdict (selects-nothing). */
  lints: Lint[];
  world: { origin?: string; enforced: boolean | null; namespaces: number; pods: number; policies: number };
}
