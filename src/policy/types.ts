// Shared types of the NetworkPolicy engine: the world it reads, the flow it judges, the verdict it returns.

import type { Read } from '../model/facts.js';
import type { Namespace, NetworkPolicy, Node, Pod, Service, Workload } from '../model/k8s.js';
import type { Lint, Protocol, Verdict } from '../model/verdict.js';

// The verdict types live in model/ (policy findings carry them); re-exported for the engine's users.
export { PROTOCOLS } from '../model/verdict.js';
export type { Direction, DirectionResult, Lint, LintCode, Miss, PartyRef, PolicyRef, Protocol, RuleRef, Verdict } from '../model/verdict.js';

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
  /**
   * Whether the CNI matches ipBlock rules against pod IPs: true (Calico, kube-router: the rule is an
   * address match), false (Cilium: pods only by selectors), null/absent when unknown. Decides the
   * verdict for an ipBlock that contains a pod's IP.
   */
  ipBlockMatchesPods?: boolean | null;
  /** A live world's reads the CNI is detected from (checks/cni.ts decides enforced and ipBlockMatchesPods from them). */
  cniReads?: { daemonSets: Read<Workload[]>; nodes: Read<Node[]> };
  /** Where the world came from, for output ("live", "manifests: a.yaml, b/"). */
  origin?: string;
}

/** One end of a flow: a pod (or a workload template standing in for one), or an address outside the cluster. */
export type Party =
  | {
      kind: 'pod';
      pod: Pod;
      /** How this pod was reached, e.g. "endpoint of service payments/payments-api". */ origin?: string;
      /** A workload's pod template standing in for its pods (no IP by nature). */ template?: boolean;
    }
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
