// SweepFacts: what `k8snet sweep` gathered in one pass — one list per resource kind for the swept
// namespaces, the cluster-wide reads once, and (with --from) the probes of every Service. The
// per-Service Facts that diagnose's checks read are projected from it (src/sweep/project.ts).

import type { AccessCheck, DnsFacts, Facts, GatewayApiFacts, IngressControllerFacts, Read, SourceFacts, StepTiming } from './facts.js';
import type { EndpointSlice, Ingress, IngressClass, Namespace, NetworkPolicy, Node, Pod, Service, Workload } from './k8s.js';
import type { ProbeFact } from './probe.js';

/** What the user asked `sweep` for, normalised. */
export interface SweepRequest {
  /** The namespaces named, or "all" for -A. */
  namespaces: string[] | 'all';
  from?: { raw: string; namespace: string; name?: string; selector?: string };
  container?: string;
  path: string;
  probeTimeoutMs: number;
  /** Execs in flight at once for --from. */
  concurrency: number;
  callers: boolean;
}

/** The reads of one swept namespace. `services` failing means the namespace was not checked. */
export interface NamespaceReads {
  name: string;
  services: Read<Service[]>;
  pods: Read<Pod[]>;
  endpointSlices: Read<EndpointSlice[]>;
  policies: Read<NetworkPolicy[]>;
  ingresses: Read<Ingress[]>;
}

export interface SweepFacts {
  k8snetVersion: string;
  gatheredAt: string;
  context: Facts['context'];
  request: SweepRequest;
  access: AccessCheck[];
  namespaceList: Read<Namespace[]>;
  swept: NamespaceReads[];
  nodes: Read<Node[]>;
  daemonSets: Read<Workload[]>;
  dns: DnsFacts;
  ingressClasses: Read<IngressClass[]>;
  controllers: IngressControllerFacts[];
  tlsSecrets: { namespace: string; name: string; exists: Read<boolean> }[];
  /** Gateway API: routes (of every kind served) that send traffic to any swept Service, with their Gateways, classes, controllers and data planes; projected per Service. */
  gateway?: GatewayApiFacts;
  /** Policies of namespaces that are not swept but matter (the source's, the Ingress controllers', the gateways' data planes). */
  extraPolicies: Record<string, Read<NetworkPolicy[]>>;
  source: Read<SourceFacts>;
  /** --from probes per Service, keyed "namespace/name". */
  probes: Record<string, ProbeFact[]>;
  timings: StepTiming[];
  requests: number;
  notes: string[];
}
