// The NetworkPolicy engine's verdict on one flow, as data: policy/ computes it, policy findings carry it.

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export type Direction = 'ingress' | 'egress';

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

// Who may reach a set of destination pods (the reverse of a verdict), computed by policy/callers.ts.

/** One peer of an admitting rule, resolved. */
export interface PeerReach {
  policy: PolicyRef;
  ruleIndex: number;
  /** null: the rule has no `from`, so it admits every peer. */
  peerIndex: number | null;
  /** "namespaceSelector team=orders + podSelector app=orders-api", "ipBlock 10.0.0.0/8", "all peers". */
  peer: string;
  /** Namespaces whose pods this peer admits (only those that exist). */
  namespaces: string[];
  /** Pods it matches among the pods read. */
  pods: number;
  /** Namespaces it may match whose pods were not read (or, "*", namespaces not listed): could match, unknown. */
  unread: string[];
  /** ipBlock CIDR: addresses outside the cluster. */
  cidr?: string;
  /** The rule admits every peer (no `from`, or an empty namespaceSelector without podSelector). */
  everyone: boolean;
}

/** The ingress side of one port of a set of destination pods. */
export interface PortReach {
  port: number;
  protocol: Protocol;
  /** Rules that admit this port, one entry per peer. Empty when isolated and nothing admits the port. */
  peers: PeerReach[];
  /** Why a selecting policy did not admit the port: "default-deny-ingress: no ingress rules", "allow-x ingress[0]: wants TCP 80; flow is TCP 8080". */
  refusals: string[];
}

export interface Reach {
  /** Some policy selects the pods for ingress. */
  isolated: boolean;
  selectedBy: PolicyRef[];
  ports: PortReach[];
}
