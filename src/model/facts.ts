// Facts: everything k8snet gathered from the cluster for one diagnose run. Gathering is the only
// impure pass; every check, the diagnosis and the renderers are pure functions of a Facts value.
// The same shape is what `--save` writes and `k8snet analyze` reads (see docs/facts-format.md).

import type { EndpointSlice, Endpoints, Ingress, IngressClass, Namespace, NetworkPolicy, Node, Pod, Service, Workload } from './k8s.js';
import type { ExecResult, ProbeFact, ToolSet } from './probe.js';
import type { Gateway, GatewayClass, GatewayResource, GatewayRoute, ReferenceGrant, RouteKind } from './gateway-api.js';

export const FACTS_SCHEMA_VERSION = 1;

/**
 * The result of one read. A read that could not be made is never mistaken for "absent":
 * not-found is a fact about the cluster; forbidden/timeout/error mean "could not look".
 */
export type Read<T> =
  | { state: 'ok'; value: T }
  | { state: 'not-found'; message?: string }
  | { state: 'forbidden' | 'timeout' | 'unreachable' | 'error' | 'skipped'; message: string };

export interface NsName {
  namespace: string;
  name: string;
}

/** What the user asked for, normalised. */
export interface DiagnoseRequest {
  target: NsName;
  /** The --from argument as typed, with the namespace it resolved to. */
  from?: { raw: string; namespace: string; name?: string; selector?: string };
  container?: string;
  port?: string;
  path: string;
  /** --large-response-path: a path answering with more than one packet's worth of body (MTU towards the source). */
  largeResponsePath?: string;
  ingress?: NsName;
  /** --route [KIND/]NS/NAME: check this Gateway API route only (kind defaults to HTTPRoute). */
  route?: { kind: RouteKind; namespace: string; name: string };
  probeTimeoutMs: number;
  /** --probe: the protocol to speak on the selected ports (tcp = connect only), overriding what the ports declare. */
  probe?: 'tcp' | 'http' | 'https' | 'dns';
  ephemeral: boolean;
  debugImage?: string;
}

/** One SelfSubjectAccessReview answer. allowed null = the review itself failed. */
export interface AccessCheck {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  allowed: boolean | null;
  reason?: string;
}

/** An exec that did not complete: how it ended, the API's message, and after how long. */
export type ExecFailure = Pick<ExecResult, 'state' | 'errorKind' | 'error' | 'elapsedMs'>;

/** How the source pod was found and what it can run. */
export interface SourceFacts {
  resolvedVia: 'pod' | 'deployment' | 'statefulset' | 'daemonset' | 'replicaset' | 'label-app' | 'label-app.kubernetes.io/name' | 'selector';
  /** Workload or selector the pod was picked from, e.g. "deployment/orders-api". */
  resolvedFrom: string;
  pod: Pod;
  /** Container probes run in (may be an ephemeral container k8snet added). */
  container: string;
  /** How many candidate pods there were, and how many were Ready. */
  candidates: number;
  readyCandidates: number;
  /** Set when --ephemeral created (or reused) a debug container. */
  ephemeral?: { container: string; image: string; reused: boolean };
  /** Tools detected in the container; detect is the raw detection probe. */
  tools: ToolSet | null;
  /** The container has a shell (sh). */
  hasShell: boolean | null;
  /** /etc/resolv.conf content of the container, when it could be read. */
  resolvConf?: string;
  /**
   * The inspection exec into the chosen container, when it did not complete (timed out, or the exec
   * call failed): why no command could run there. Absent when it completed (and in older files).
   */
  inspection?: ExecFailure;

  /**
   * true: the probes ran in the inspection's own exec (held open, its shell read the probe batch on
   * stdin) instead of new execs. Absent: new execs (or older files).
   */
  probesInInspectionExec?: boolean;
}

export interface IngressControllerFacts {
  /** IngressClass.spec.controller, e.g. "traefik.io/ingress-controller". */
  controller: string;
  /** Known product behind it ("traefik", "ingress-nginx", ...) or "unknown". */
  product: string;
  /** The controller's pods (found by the product's labels). */
  pods: Read<Pod[]>;
  /** Services that select the controller pods (for probing through the controller). */
  services: Read<Service[]>;
  /** Recent log lines per pod (bounded tail), unfiltered; checks filter them. */
  logs: { pod: string; namespace: string; container: string; lines: Read<string[]> }[];
}

export interface IngressFacts {
  /** Ingresses that route to the target Service (or the one named by --ingress). */
  ingresses: Read<Ingress[]>;
  classes: Read<IngressClass[]>;
  controllers: IngressControllerFacts[];
  /** Existence of TLS secrets named by the Ingresses (metadata only; contents never read). */
  tlsSecrets: { namespace: string; name: string; exists: Read<boolean> }[];
  /** Backend Services named by the Ingresses other than the target, keyed "ns/name". */
  backendServices: Record<string, Read<Service>>;
}

/** The pods that carry a Gateway's traffic and the Services in front of them. */
export interface GatewayDataPlane {
  /** gateway-label: pods labelled gateway.networking.k8s.io/gateway-name=<gateway> (one deployment per
   *  Gateway: Envoy Gateway, Istio, ...). controller: the controller's own pods (Traefik, ingress-style). */
  via: 'gateway-label' | 'controller' | 'none';
  pods: Read<Pod[]>;
  services: Read<Service[]>;
}

/** Step 5 with Gateway API: routes to the Service, their Gateways, classes, controllers, grants. */
export interface GatewayApiFacts {
  /** The group's served kinds from API discovery; not-found: Gateway API is not installed. */
  discovery: Read<GatewayResource[]>;
  /** Routes that send traffic to the target Service (or the one named by --route), per kind served. */
  routes: { kind: RouteKind; read: Read<GatewayRoute[]> }[];
  /** Gateways named by the routes' parentRefs, keyed "ns/name". */
  gateways: Record<string, Read<Gateway>>;
  classes: Read<GatewayClass[]>;
  /** Controllers behind the GatewayClasses in use (pods, Services, bounded log tail). */
  controllers: IngressControllerFacts[];
  /** Data plane of each Gateway, keyed "ns/name". */
  dataPlanes: Record<string, GatewayDataPlane>;
  /** ReferenceGrants of the namespaces that cross-namespace references point into. */
  referenceGrants: Record<string, Read<ReferenceGrant[]>>;
  /** Services named by backendRefs (other than the target), keyed "ns/name". */
  backendServices: Record<string, Read<Service>>;
  /** Existence of listener certificateRefs (metadata only; contents never read). */
  certificates: { namespace: string; name: string; exists: Read<boolean> }[];
}

export interface DnsFacts {
  /** kube-system/kube-dns Service. */
  service: Read<Service>;
  /** Its EndpointSlices. */
  endpointSlices: Read<EndpointSlice[]>;
  /** CoreDNS/kube-dns pods (label k8s-app=kube-dns). */
  pods: Read<Pod[]>;
}

/**
 * A node agent's pod on a node this run involves (the source's node, the nodes of the endpoints and
 * of the CoreDNS replicas): the CNI (Flannel, Calico, ...), the policy enforcer, kube-proxy.
 */
export interface NodeAgentFact {
  node: string;
  role: 'cni' | 'policy' | 'kube-proxy';
  /** "kube-flannel/kube-flannel-ds" */
  daemonSet: string;
  /** The DaemonSet's pod on this node; null when it runs none there. */
  pod: Pod | null;
  /** Main container of that pod and its recent log lines (bounded tail; the previous run's when it is crash-looping). */
  container?: string;
  logs?: Read<string[]>;
  previousLogs?: boolean;
}

export interface StepTiming {
  step: string;
  ms: number;
  requests: number;
  /** When the step started, in ms after gathering started (steps overlap). Absent in older files. */
  startMs?: number;
}

export interface Facts {
  schemaVersion: typeof FACTS_SCHEMA_VERSION;
  k8snetVersion: string;
  gatheredAt: string;
  /** kubeconfig context (names only; never credentials). */
  context: { name?: string; cluster?: string; server?: string; user?: string; inCluster?: boolean };
  request: DiagnoseRequest;
  access: AccessCheck[];

  // Step 1: Service and endpoints
  service: Read<Service>;
  /** Services in the target namespace (names) and same-named Services elsewhere, for suggestions. */
  serviceSuggestions?: { sameNamespace: string[]; otherNamespaces: NsName[] };
  /** All pods in the target namespace (the selector is evaluated in pure code; near misses too). */
  namespacePods: Read<Pod[]>;
  endpointSlices: Read<EndpointSlice[]>;
  /** v1 Endpoints, read only when EndpointSlices could not be. */
  endpoints?: Read<Endpoints>;

  // Source
  source: Read<SourceFacts>;
  /** Nodes (for node names, CNI hints). */
  nodes: Read<Node[]>;

  // Steps 2 and 3: probes run in the source container
  probes: ProbeFact[];

  // Step 3: DNS
  dns: DnsFacts;

  // Step 4: NetworkPolicy
  namespaces: Read<Namespace[]>;
  /** NetworkPolicies keyed by namespace (source, destination, and ingress controller namespaces). */
  policies: Record<string, Read<NetworkPolicy[]>>;
  /** DaemonSets in all namespaces (CNI fingerprinting). */
  daemonSets: Read<Workload[]>;

  // Step 5: Ingress
  ingress: IngressFacts;
  /** Gateway API (absent in facts saved before k8snet knew it). */
  gateway?: GatewayApiFacts;

  timings: StepTiming[];
  /** Total API requests made while gathering. */
  requests: number;
  /** Things gathering wanted to say that are not findings (e.g. "probe budget reached"). */
  notes: string[];

  /**
   * Pods of namespaces other than the target's, keyed by namespace, when they were read (`k8snet
   * sweep` reads every swept namespace once and shares them): policy peers there are then judged
   * against real pods. Absent in diagnose: peers in unread namespaces count as "may match".
   */
  peerPods?: Record<string, Read<Pod[]>>;

  /**
   * Pods found cluster-wide by IP for the target's EndpointSlice addresses that are not pods of the
   * target namespace (a Service without a selector pointing at a pod elsewhere): NetworkPolicy judges
   * such an endpoint as that pod. Absent when there was nothing to look up (and in older facts files).
   */
  endpointPods?: Read<Pod[]>;

  /** Node agents (CNI, policy enforcer, kube-proxy) on the nodes this run involves; absent in older facts files. */
  nodeAgents?: Read<NodeAgentFact[]>;
}
