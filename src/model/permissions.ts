// Every permission k8snet uses, the step that needs it and why. `k8snet rbac` and deploy/rbac.yaml
// are generated from this list, so the shipped role and the code cannot drift apart.

export interface Permission {
  group: string;
  resource: string;
  subresource?: string;
  verbs: string[];
  /** cluster: read across namespaces or a cluster-scoped object. */
  scope: 'cluster' | 'namespace';
  /** Which role of the three it belongs to. */
  role: 'read' | 'exec' | 'ephemeral' | 'secrets';
  steps: string[];
  why: string;
}

export const PERMISSIONS: Permission[] = [
  {
    group: '',
    resource: 'services',
    verbs: ['get', 'list'],
    scope: 'cluster',
    role: 'read',
    steps: ['endpoints', 'ingress'],
    why: 'read the target Service, suggest close names, find Ingress controller Services',
  },
  {
    group: '',
    resource: 'pods',
    verbs: ['get', 'list'],
    scope: 'cluster',
    role: 'read',
    steps: ['source', 'endpoints', 'dns', 'ingress'],
    why: 'resolve the source pod, match the selector, read CoreDNS and controller pods',
  },
  {
    group: 'discovery.k8s.io',
    resource: 'endpointslices',
    verbs: ['list'],
    scope: 'cluster',
    role: 'read',
    steps: ['endpoints', 'dns'],
    why: 'ready/serving/terminating endpoints of the Service and of kube-dns',
  },
  {
    group: '',
    resource: 'endpoints',
    verbs: ['get'],
    scope: 'cluster',
    role: 'read',
    steps: ['endpoints'],
    why: 'fallback only, when EndpointSlices cannot be listed',
  },
  {
    group: '',
    resource: 'namespaces',
    verbs: ['list'],
    scope: 'cluster',
    role: 'read',
    steps: ['policy'],
    why: 'namespace labels for namespaceSelector evaluation',
  },
  {
    group: '',
    resource: 'nodes',
    verbs: ['list'],
    scope: 'cluster',
    role: 'read',
    steps: ['endpoints', 'policy'],
    why: 'node names for internalTrafficPolicy, CNI hints',
  },
  {
    group: 'networking.k8s.io',
    resource: 'networkpolicies',
    verbs: ['list'],
    scope: 'cluster',
    role: 'read',
    steps: ['policy', 'dns'],
    why: 'policies selecting the source, destination and controller pods',
  },
  {
    group: 'networking.k8s.io',
    resource: 'ingresses',
    verbs: ['get', 'list'],
    scope: 'cluster',
    role: 'read',
    steps: ['ingress'],
    why: 'Ingresses routing to the Service',
  },
  {
    group: 'networking.k8s.io',
    resource: 'ingressclasses',
    verbs: ['list'],
    scope: 'cluster',
    role: 'read',
    steps: ['ingress'],
    why: 'IngressClass resolution and its controller',
  },
  {
    group: 'gateway.networking.k8s.io',
    resource: 'httproutes',
    verbs: ['get', 'list'],
    scope: 'cluster',
    role: 'read',
    steps: ['gateway'],
    why: 'HTTPRoutes whose backendRefs name the Service (listed cluster-wide: a route may live in any namespace), or the one --route names',
  },
  {
    group: 'gateway.networking.k8s.io',
    resource: 'grpcroutes',
    verbs: ['get', 'list'],
    scope: 'cluster',
    role: 'read',
    steps: ['gateway'],
    why: 'GRPCRoutes whose backendRefs name the Service',
  },
  {
    group: 'gateway.networking.k8s.io',
    resource: 'tlsroutes',
    verbs: ['get', 'list'],
    scope: 'cluster',
    role: 'read',
    steps: ['gateway'],
    why: 'TLSRoutes (experimental channel, read only when the CRD is served) whose backendRefs name the Service',
  },
  {
    group: 'gateway.networking.k8s.io',
    resource: 'tcproutes',
    verbs: ['get', 'list'],
    scope: 'cluster',
    role: 'read',
    steps: ['gateway'],
    why: 'TCPRoutes (experimental channel, when served) whose backendRefs name the Service',
  },
  {
    group: 'gateway.networking.k8s.io',
    resource: 'udproutes',
    verbs: ['get', 'list'],
    scope: 'cluster',
    role: 'read',
    steps: ['gateway'],
    why: 'UDPRoutes (experimental channel, when served) whose backendRefs name the Service',
  },
  {
    group: 'gateway.networking.k8s.io',
    resource: 'gateways',
    verbs: ['get', 'list'],
    scope: 'cluster',
    role: 'read',
    steps: ['gateway'],
    why: 'the parent Gateways of those routes: listeners, allowedRoutes, conditions, addresses, attachedRoutes',
  },
  {
    group: 'gateway.networking.k8s.io',
    resource: 'gatewayclasses',
    verbs: ['get', 'list'],
    scope: 'cluster',
    role: 'read',
    steps: ['gateway'],
    why: 'the GatewayClass of each Gateway: its controllerName and whether a controller accepted it',
  },
  {
    group: 'gateway.networking.k8s.io',
    resource: 'referencegrants',
    verbs: ['get', 'list'],
    scope: 'cluster',
    role: 'read',
    steps: ['gateway'],
    why: 'ReferenceGrants in the namespaces cross-namespace backendRefs and certificateRefs point into',
  },
  {
    group: 'apps',
    resource: 'deployments',
    verbs: ['get', 'list'],
    scope: 'cluster',
    role: 'read',
    steps: ['source', 'policy'],
    why: 'resolve --from NAME, and `k8snet policy NS/NAME`, when it names a Deployment',
  },
  {
    group: 'apps',
    resource: 'statefulsets',
    verbs: ['get', 'list'],
    scope: 'cluster',
    role: 'read',
    steps: ['source', 'policy'],
    why: 'resolve --from NAME, and `k8snet policy NS/NAME`, when it names a StatefulSet',
  },
  {
    group: 'apps',
    resource: 'replicasets',
    verbs: ['get'],
    scope: 'cluster',
    role: 'read',
    steps: ['source'],
    why: 'resolve --from NAME when it names a ReplicaSet',
  },
  {
    group: 'apps',
    resource: 'daemonsets',
    verbs: ['get', 'list'],
    scope: 'cluster',
    role: 'read',
    steps: ['source', 'policy'],
    why: 'resolve --from NAME; fingerprint the CNI from its DaemonSets',
  },
  {
    group: '',
    resource: 'pods',
    subresource: 'log',
    verbs: ['get'],
    scope: 'cluster',
    role: 'read',
    steps: ['ingress', 'gateway'],
    why: 'bounded tail of the Ingress and Gateway controller logs',
  },
  {
    group: '',
    resource: 'secrets',
    verbs: ['get'],
    scope: 'cluster',
    role: 'secrets',
    steps: ['ingress', 'gateway'],
    why: 'optional: TLS secret existence (Ingress tls, Gateway listener certificateRefs). k8snet asks for metadata only (PartialObjectMetadata), but RBAC cannot limit a grant to metadata, so this rule is opt-in; without it the TLS check is unknown',
  },
  {
    group: 'authorization.k8s.io',
    resource: 'selfsubjectrulesreviews',
    verbs: ['create'],
    scope: 'cluster',
    role: 'read',
    steps: ['preflight'],
    why: 'ask what this user may do before gathering (creates nothing)',
  },
  {
    group: '',
    resource: 'pods',
    subresource: 'exec',
    verbs: ['create', 'get'],
    scope: 'cluster',
    role: 'exec',
    steps: ['clusterip', 'dns', 'ingress'],
    why: 'run probes (curl, wget, nc, nslookup, dig, getent) in the source container; exec over WebSocket is a GET, authorized as get (and, as clusters move to it, also as create)',
  },
  {
    group: '',
    resource: 'pods',
    subresource: 'ephemeralcontainers',
    verbs: ['patch'],
    scope: 'cluster',
    role: 'ephemeral',
    steps: ['clusterip', 'dns'],
    why: 'only with --ephemeral: add a debug container to a source pod that has no shell',
  },
];

/** "pods/exec" style name. */
export function resourceName(p: Pick<Permission, 'resource' | 'subresource'>): string {
  return p.subresource ? `${p.resource}/${p.subresource}` : p.resource;
}

/** The rule to grant, in words a cluster admin can paste into a Role. */
export function ruleToGrant(p: Pick<Permission, 'group' | 'resource' | 'subresource' | 'verbs'>): string {
  return `apiGroups: ["${p.group}"], resources: ["${resourceName(p)}"], verbs: [${p.verbs.map((v) => `"${v}"`).join(', ')}]`;
}
