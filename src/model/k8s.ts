// Minimal wire-format (JSON) shapes of the Kubernetes objects k8snet reads. Pure layers use these,
// never @kubernetes/client-node classes, so recorded facts (JSON) and live reads look the same.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { kind: string; name: string; uid?: string; controller?: boolean }[];
  creationTimestamp?: string;
  deletionTimestamp?: string;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
  hostPort?: number;
}

export interface Probe {
  httpGet?: { path?: string; port: number | string; scheme?: string };
  tcpSocket?: { port: number | string };
  exec?: { command?: string[] };
  grpc?: { port: number };
  periodSeconds?: number;
  failureThreshold?: number;
}

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: ContainerPort[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  restartPolicy?: string; // "Always" for native sidecars in initContainers
}

export interface ContainerStateInfo {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; message?: string };
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  image?: string;
  state?: ContainerStateInfo;
  lastState?: ContainerStateInfo;
}

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
}

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    containers: Container[];
    initContainers?: Container[];
    ephemeralContainers?: (Container & { targetContainerName?: string })[];
    nodeName?: string;
    hostNetwork?: boolean;
    dnsPolicy?: string;
    dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] };
    serviceAccountName?: string;
  };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    hostIP?: string;
    conditions?: PodCondition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
    ephemeralContainerStatuses?: ContainerStatus[];
    reason?: string;
    message?: string;
  };
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  nodePort?: number;
  appProtocol?: string;
}

export interface Service {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName' | string;
    clusterIP?: string;
    clusterIPs?: string[];
    selector?: Record<string, string>;
    ports?: ServicePort[];
    externalName?: string;
    internalTrafficPolicy?: 'Cluster' | 'Local' | string;
    externalTrafficPolicy?: string;
    publishNotReadyAddresses?: boolean;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface EndpointSlice {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  addressType: 'IPv4' | 'IPv6' | 'FQDN' | string;
  endpoints?: {
    addresses: string[];
    conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null };
    nodeName?: string;
    /** Set for pods with spec.hostname + subdomain (StatefulSets behind a headless Service): the pod's own DNS label. */
    hostname?: string;
    targetRef?: { kind?: string; name?: string; namespace?: string; uid?: string };
  }[];
  ports?: { name?: string; port?: number; protocol?: string; appProtocol?: string }[] | null;
}

/** Legacy v1 Endpoints, read only as a fallback when EndpointSlices cannot be listed. */
export interface Endpoints {
  metadata: ObjectMeta;
  subsets?: {
    addresses?: { ip: string; nodeName?: string; targetRef?: { kind?: string; name?: string } }[];
    notReadyAddresses?: { ip: string; nodeName?: string; targetRef?: { kind?: string; name?: string } }[];
    ports?: { name?: string; port: number; protocol?: string }[];
  }[];
}

export interface Namespace {
  metadata: ObjectMeta;
  status?: { phase?: string };
}

export interface NetworkPolicyPort {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

export interface NetworkPolicy {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    podSelector: LabelSelector;
    policyTypes?: ('Ingress' | 'Egress' | string)[];
    ingress?: { from?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[];
    egress?: { to?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[];
  };
}

export interface IngressBackend {
  service?: { name: string; port?: { number?: number; name?: string } };
  resource?: { apiGroup?: string; kind: string; name: string };
}

export interface Ingress {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: {
      host?: string;
      http?: { paths: { path?: string; pathType?: string; backend: IngressBackend }[] };
    }[];
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string; ports?: unknown[] }[] } };
}

export interface IngressClass {
  metadata: ObjectMeta;
  spec: { controller?: string; parameters?: unknown };
}

export interface Workload {
  apiVersion?: string;
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | string;
  metadata: ObjectMeta;
  spec: {
    selector?: LabelSelector;
    replicas?: number;
    template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: Pod['spec'] };
  };
  status?: { readyReplicas?: number; replicas?: number; availableReplicas?: number; numberReady?: number; desiredNumberScheduled?: number };
}

export interface Node {
  metadata: ObjectMeta;
  spec?: { podCIDR?: string; podCIDRs?: string[]; providerID?: string };
  status?: { conditions?: PodCondition[]; addresses?: { type: string; address: string }[]; nodeInfo?: Record<string, string> };
}

export interface KEvent {
  metadata: ObjectMeta;
  involvedObject: { kind?: string; name?: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
}

export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}
