// The shape of a facts file (what `diagnose --save` writes), checked before `k8snet analyze`
// trusts it: every field the analysis reads, with its type.

import { any, arr, bool, either, nullable, num, obj, oneOf, opt, rec, str, type Check } from './schema.js';

const strMap = opt(rec(str));
const meta = obj({ name: str, namespace: opt(str), labels: strMap, annotations: strMap, ownerReferences: opt(arr(obj({ kind: str, name: str }))) });
const intOrString = either(num, str, 'a port number or name');
const selector = obj({
  matchLabels: strMap,
  matchExpressions: opt(arr(obj({ key: str, operator: str, values: opt(arr(str)) }))),
});
const probe = opt(
  obj({
    httpGet: opt(obj({ path: opt(str), port: intOrString })),
    tcpSocket: opt(obj({ port: intOrString })),
    periodSeconds: opt(num),
    failureThreshold: opt(num),
  }),
);
const container = obj({
  name: str,
  image: opt(str),
  ports: opt(arr(obj({ name: opt(str), containerPort: num, protocol: opt(str) }))),
  readinessProbe: probe,
  livenessProbe: probe,
  restartPolicy: opt(str),
});
const containerState = opt(
  obj({
    waiting: opt(obj({ reason: opt(str), message: opt(str) })),
    terminated: opt(obj({ reason: opt(str), exitCode: opt(num), message: opt(str) })),
  }),
);
const containerStatus = obj({ name: str, ready: bool, restartCount: num, state: containerState, lastState: containerState });
const condition = obj({ type: str, status: str, reason: opt(str), message: opt(str) });
export const pod = obj({
  metadata: meta,
  spec: obj({
    containers: arr(container),
    initContainers: opt(arr(container)),
    ephemeralContainers: opt(arr(container)),
    nodeName: opt(str),
    hostNetwork: opt(bool),
    dnsPolicy: opt(str),
  }),
  status: opt(
    obj({
      phase: opt(str),
      podIP: opt(str),
      podIPs: opt(arr(obj({ ip: str }))),
      conditions: opt(arr(condition)),
      containerStatuses: opt(arr(containerStatus)),
      initContainerStatuses: opt(arr(containerStatus)),
      ephemeralContainerStatuses: opt(arr(containerStatus)),
    }),
  ),
});
const service = obj({
  metadata: meta,
  spec: obj({
    type: opt(str),
    clusterIP: opt(str),
    clusterIPs: opt(arr(str)),
    selector: strMap,
    ports: opt(arr(obj({ name: opt(str), port: num, targetPort: opt(intOrString), protocol: opt(str), appProtocol: opt(str) }))),
    externalName: opt(str),
    internalTrafficPolicy: opt(str),
  }),
});
const endpointSlice = obj({
  metadata: meta,
  addressType: str,
  endpoints: nullable(
    arr(
      obj({
        addresses: arr(str),
        conditions: opt(obj({ ready: nullable(bool), serving: nullable(bool), terminating: nullable(bool) })),
        nodeName: opt(str),
        targetRef: opt(obj({ kind: opt(str), name: opt(str), namespace: opt(str) })),
      }),
    ),
  ),
  ports: nullable(arr(obj({ name: opt(str), port: opt(num), protocol: opt(str) }))),
});
const endpointsAddr = arr(obj({ ip: str, nodeName: opt(str) }));
const endpoints = obj({
  metadata: meta,
  subsets: opt(arr(obj({ addresses: opt(endpointsAddr), notReadyAddresses: opt(endpointsAddr), ports: opt(arr(obj({ name: opt(str), port: num }))) }))),
});
const namespace = obj({ metadata: meta });
const peer = obj({ podSelector: opt(selector), namespaceSelector: opt(selector), ipBlock: opt(obj({ cidr: str, except: opt(arr(str)) })) });
const npPort = obj({ protocol: opt(str), port: opt(intOrString), endPort: opt(num) });
const networkPolicy = obj({
  metadata: meta,
  spec: obj({
    podSelector: selector,
    policyTypes: opt(arr(str)),
    ingress: opt(arr(obj({ from: opt(arr(peer)), ports: opt(arr(npPort)) }))),
    egress: opt(arr(obj({ to: opt(arr(peer)), ports: opt(arr(npPort)) }))),
  }),
});
const backend = opt(obj({ service: opt(obj({ name: str, port: opt(obj({ number: opt(num), name: opt(str) })) })) }));
const ingress = obj({
  metadata: meta,
  spec: obj({
    ingressClassName: opt(str),
    defaultBackend: backend,
    tls: opt(arr(obj({ hosts: opt(arr(str)), secretName: opt(str) }))),
    rules: opt(
      arr(
        obj({
          host: opt(str),
          http: opt(
            obj({
              paths: arr(
                obj({
                  path: opt(str),
                  pathType: opt(str),
                  backend: obj({ service: opt(obj({ name: str, port: opt(obj({ number: opt(num), name: opt(str) })) })) }),
                }),
              ),
            }),
          ),
        }),
      ),
    ),
  }),
  status: opt(obj({ loadBalancer: opt(obj({ ingress: opt(arr(obj({ ip: opt(str), hostname: opt(str) }))) })) })),
});
const ingressClass = obj({ metadata: meta, spec: obj({ controller: opt(str) }) });
const workload = obj({
  kind: opt(str),
  metadata: meta,
  spec: obj({ selector: opt(selector), template: opt(obj({ metadata: opt(obj({ labels: strMap })), spec: opt(any) })) }),
});
const node = obj({
  metadata: meta,
  spec: opt(obj({ podCIDR: opt(str), podCIDRs: opt(arr(str)) })),
  status: opt(obj({ conditions: opt(arr(obj({ type: str, status: str, reason: opt(str), message: opt(str) }))) })),
});

const READ_FAIL = ['not-found', 'forbidden', 'timeout', 'unreachable', 'error', 'skipped'];
/** Read<T>: {state: 'ok', value: T} or {state: <failure>, message?}. */
const read =
  (value: Check): Check =>
  (v, p) => {
    const head = obj({ state: oneOf('ok', ...READ_FAIL) })(v, p);
    if (head) return head;
    const r = v as { state: string };
    return r.state === 'ok' ? obj({ value })(v, p) : obj({ message: opt(str) })(v, p);
  };

const exec = obj({
  namespace: str,
  pod: str,
  container: str,
  argv: arr(str),
  state: oneOf('completed', 'exec-failed', 'timeout'),
  exitCode: nullable(num),
  stdout: str,
  stderr: str,
  elapsedMs: num,
  error: opt(str),
  errorKind: opt(str),
});
const probeFact = obj({
  id: str,
  kind: oneOf('http', 'tcp', 'dns', 'detect', 'file'),
  label: str,
  target: obj({
    host: str,
    port: opt(num),
    path: opt(str),
    hostHeader: opt(str),
    server: opt(str),
    transport: opt(oneOf('udp', 'tcp')),
    recordType: opt(str),
    pod: opt(str),
    node: opt(str),
    padBytes: opt(num),
    measureBody: opt(bool),
  }),
  tool: nullable(str),
  exec: opt(exec),
  kubectl: opt(str),
});
const nsName = obj({ namespace: str, name: str });
const source = obj({
  resolvedVia: str,
  resolvedFrom: str,
  pod,
  container: str,
  candidates: num,
  readyCandidates: num,
  tools: nullable(rec(bool)),
  hasShell: nullable(bool),
  resolvConf: opt(str),
  ephemeral: opt(obj({ container: str, image: str, reused: bool })),
  inspection: opt(obj({ state: oneOf('completed', 'exec-failed', 'timeout'), errorKind: opt(str), error: opt(str), elapsedMs: num })),

  probesInInspectionExec: opt(bool),
});
const controller = obj({
  controller: str,
  product: str,
  pods: read(arr(pod)),
  services: read(arr(service)),
  logs: arr(obj({ pod: str, namespace: str, container: str, lines: read(arr(str)) })),
});

// Gateway API (gateway.networking.k8s.io): the fields the gateway checks read.
const gwMeta = obj({ name: str, namespace: opt(str), labels: strMap, annotations: strMap, generation: opt(num) });
const gwCondition = obj({ type: str, status: str, reason: opt(str), message: opt(str), observedGeneration: opt(num) });
const parentRef = obj({ group: opt(str), kind: opt(str), namespace: opt(str), name: str, sectionName: opt(str), port: opt(num) });
const backendRef = obj({ group: opt(str), kind: opt(str), namespace: opt(str), name: str, port: opt(num), weight: opt(num) });
const gwRoute = obj({
  kind: oneOf('HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'),
  metadata: gwMeta,
  spec: obj({
    parentRefs: opt(arr(parentRef)),
    hostnames: opt(arr(str)),
    rules: opt(arr(obj({ matches: opt(arr(any)), backendRefs: opt(arr(backendRef)) }))),
  }),
  status: opt(obj({ parents: opt(arr(obj({ parentRef, controllerName: str, conditions: opt(arr(gwCondition)) }))) })),
});
const gwListener = obj({
  name: str,
  hostname: opt(str),
  port: num,
  protocol: str,
  tls: opt(obj({ mode: opt(str), certificateRefs: opt(arr(obj({ group: opt(str), kind: opt(str), name: str, namespace: opt(str) }))) })),
  allowedRoutes: opt(obj({ namespaces: opt(obj({ from: opt(str), selector: opt(selector) })), kinds: opt(arr(obj({ group: opt(str), kind: str }))) })),
});
const gateway = obj({
  metadata: gwMeta,
  spec: obj({ gatewayClassName: str, listeners: arr(gwListener) }),
  status: opt(
    obj({
      addresses: opt(arr(obj({ type: opt(str), value: str }))),
      conditions: opt(arr(gwCondition)),
      listeners: opt(arr(obj({ name: str, attachedRoutes: num, conditions: opt(arr(gwCondition)) }))),
    }),
  ),
});
const gatewayClass = obj({ metadata: gwMeta, spec: obj({ controllerName: str }), status: opt(obj({ conditions: opt(arr(gwCondition)) })) });
const referenceGrant = obj({
  metadata: gwMeta,
  spec: obj({ from: arr(obj({ group: str, kind: str, namespace: str })), to: arr(obj({ group: str, kind: str, name: opt(str) })) }),
});

export const FACTS_SHAPE: Check = obj({
  schemaVersion: oneOf(1),
  k8snetVersion: str,
  gatheredAt: str,
  context: obj({ name: opt(str), cluster: opt(str), server: opt(str), user: opt(str) }),
  request: obj({
    target: nsName,
    from: opt(obj({ raw: str, namespace: str, name: opt(str), selector: opt(str) })),
    container: opt(str),
    port: opt(str),
    path: str,
    largeResponsePath: opt(str),
    ingress: opt(nsName),
    route: opt(obj({ kind: oneOf('HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'), namespace: str, name: str })),
    probeTimeoutMs: num,
    ephemeral: bool,
    debugImage: opt(str),
  }),
  access: arr(obj({ verb: str, group: str, resource: str, subresource: opt(str), namespace: opt(str), allowed: nullable(bool) })),
  service: read(service),
  serviceSuggestions: opt(obj({ sameNamespace: arr(str), otherNamespaces: arr(nsName) })),
  namespacePods: read(arr(pod)),
  endpointSlices: read(arr(endpointSlice)),
  endpoints: opt(read(endpoints)),
  source: read(source),
  nodes: read(arr(node)),
  probes: arr(probeFact),
  dns: obj({ service: read(service), endpointSlices: read(arr(endpointSlice)), pods: read(arr(pod)) }),
  namespaces: read(arr(namespace)),
  policies: rec(read(arr(networkPolicy))),
  daemonSets: read(arr(workload)),
  ingress: obj({
    ingresses: read(arr(ingress)),
    classes: read(arr(ingressClass)),
    controllers: arr(controller),
    tlsSecrets: arr(obj({ namespace: str, name: str, exists: read(bool) })),
    backendServices: rec(read(service)),
  }),
  gateway: opt(
    obj({
      discovery: read(arr(obj({ kind: str, resource: str, version: str }))),
      routes: arr(obj({ kind: str, read: read(arr(gwRoute)) })),
      gateways: rec(read(gateway)),
      classes: read(arr(gatewayClass)),
      controllers: arr(controller),
      dataPlanes: rec(obj({ via: oneOf('gateway-label', 'controller', 'none'), pods: read(arr(pod)), services: read(arr(service)) })),
      referenceGrants: rec(read(arr(referenceGrant))),
      backendServices: rec(read(service)),
      certificates: arr(obj({ namespace: str, name: str, exists: read(bool) })),
    }),
  ),
  timings: arr(obj({ step: str, ms: num, requests: num, startMs: opt(num) })),
  requests: num,
  notes: arr(str),
  peerPods: opt(rec(read(arr(pod)))),
  endpointPods: opt(read(arr(pod))),
  nodeAgents: opt(
    read(
      arr(
        obj({
          node: str,
          role: oneOf('cni', 'policy', 'kube-proxy'),
          daemonSet: str,
          pod: nullable(pod),
          container: opt(str),
          logs: opt(read(arr(str))),
          previousLogs: opt(bool),
        }),
      ),
    ),
  ),
});
