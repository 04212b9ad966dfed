// The single catalogue of finding codes: every code k8snet can emit, its layer and its title.
// A finding's layer comes from its code, so the two cannot disagree. Documented in docs/layers/.

import { POLICY_CODES } from './codes-policy.js';
import { GATEWAY_CODES } from './codes-gateway.js';
import type { FindingDataByCode } from './finding-data.js';
import type { CodeInfo, Layer } from './layers.js';

/** Codes emitted by the step checks, the cross-check and the mesh check (policy codes: codes-policy.ts). */
export const CORE_CODES = {
  // Source pod
  'source/resolved': { layer: 'source', title: 'Source pod resolved' },
  'source/not-found': { layer: 'source', title: 'No source pod matches --from' },
  'source/unreadable': { layer: 'source', title: 'Source pod could not be read' },
  'source/not-ready': { layer: 'source', title: 'Source pod is not Ready' },
  'source/no-shell': { layer: 'source', title: 'Source container has no shell (distroless)' },
  'source/no-tools': { layer: 'source', title: 'Source container lacks network tools' },
  'source/exec-failed': { layer: 'source', title: 'Commands could not run in the source container (exec failed or got no answer)' },
  'source/ephemeral': { layer: 'source', title: 'Probes ran in an ephemeral debug container' },
  'source/host-network': { layer: 'source', title: 'Source pod uses the host network' },

  // Step 1: Service and endpoints
  'service/found': { layer: 'service', title: 'Service exists' },
  'service/not-found': { layer: 'service', title: 'Service does not exist' },
  'service/unreadable': { layer: 'service', title: 'Service could not be read' },
  'service/external-name': { layer: 'service', title: 'ExternalName Service (DNS alias, no endpoints)' },
  'service/selectorless': { layer: 'service', title: 'Service has no selector (manual endpoints)' },
  'service/port-not-found': { layer: 'service', title: 'Requested port is not a Service port' },
  'service/pods-matched': { layer: 'service', title: 'Selector matches pods' },
  'service/no-matching-pods': { layer: 'service', title: 'Selector matches no pods' },
  'service/pods-unreadable': { layer: 'service', title: 'Pods could not be listed' },
  'service/pods-not-ready': { layer: 'service', title: 'Matched pods are not Ready' },
  'service/endpoints-ready': { layer: 'service', title: 'Service has ready endpoints' },
  'service/no-endpoints': { layer: 'service', title: 'Service has no ready endpoints' },
  'service/endpoints-terminating': { layer: 'service', title: 'Some endpoints are terminating' },
  'service/endpoints-unreadable': { layer: 'service', title: 'EndpointSlices could not be read' },
  'service/target-port-ok': { layer: 'service', title: 'targetPort resolves on the pods' },
  'service/target-port-unresolved': { layer: 'service', title: 'Named targetPort not declared by the pods' },
  'service/target-port-undeclared': { layer: 'service', title: 'Numeric targetPort not declared by any container' },
  'service/protocol-mismatch': { layer: 'service', title: 'Service and container protocols differ' },
  'service/no-local-endpoint': { layer: 'service', title: 'internalTrafficPolicy Local without a local endpoint' },

  // Step 2: ClusterIP and direct pod reachability
  'clusterip/reachable': { layer: 'service', title: 'ClusterIP answers' },
  'clusterip/refused': { layer: 'service', title: 'ClusterIP connection refused' },
  'clusterip/timeout': { layer: 'service', title: 'ClusterIP connection timed out' },
  'clusterip/no-response': { layer: 'service', title: 'ClusterIP accepted the connection but sent no response' },
  'clusterip/unreachable': { layer: 'pod-network', title: 'No route to the ClusterIP' },
  'clusterip/error': { layer: 'service', title: 'ClusterIP probe failed' },
  'clusterip/not-probed': { layer: 'service', title: 'ClusterIP could not be probed' },
  'endpoint/reachable': { layer: 'pod-network', title: 'Pod IP answers on targetPort' },
  'endpoint/refused': { layer: 'service', title: 'Nothing listens on targetPort' },
  'endpoint/timeout': { layer: 'pod-network', title: 'Pod IP connection timed out' },
  'endpoint/no-response': { layer: 'service', title: 'Pod IP accepted the connection but sent no response' },
  'endpoint/unreachable': { layer: 'pod-network', title: 'No route to the pod IP' },
  'endpoint/error': { layer: 'pod-network', title: 'Pod IP probe failed' },
  'endpoint/not-probed': { layer: 'pod-network', title: 'Pod IP could not be probed' },
  // transport/application split (issue 15): connected, then the application did not answer in its protocol
  'clusterip/app-error': { layer: 'service', title: 'ClusterIP connected but the application did not answer in its protocol' },
  'clusterip/app-unanswered': { layer: 'service', title: 'ClusterIP connected; a guessed protocol got no answer' },
  'clusterip/udp-not-probed': { layer: 'service', title: 'UDP port not probed (not DNS)' },
  'endpoint/app-error': { layer: 'service', title: 'Pod IP connected but the application did not answer in its protocol' },
  'endpoint/app-unanswered': { layer: 'service', title: 'Pod IP connected; a guessed protocol got no answer' },

  // Step 3: DNS
  'dns/resolves': { layer: 'dns', title: 'Service name resolves' },
  'dns/nxdomain': { layer: 'dns', title: 'Service name does not exist (NXDOMAIN)' },
  'dns/servfail': { layer: 'dns', title: 'DNS server failure (SERVFAIL)' },
  'dns/timeout': { layer: 'dns', title: 'DNS query timed out' },
  'dns/refused': { layer: 'dns', title: 'DNS query refused' },
  'dns/no-answer': { layer: 'dns', title: 'DNS answered without addresses' },
  'dns/wrong-answer': { layer: 'dns', title: 'DNS answer does not match the Service' },
  'dns/short-name-other-namespace': { layer: 'dns', title: 'Short name does not resolve from the source namespace' },
  'dns/not-probed': { layer: 'dns', title: 'DNS could not be probed' },
  'dns/kube-dns-ok': { layer: 'dns', title: 'Cluster DNS is up' },
  'dns/kube-dns-missing': { layer: 'dns', title: 'kube-dns Service does not exist' },
  'dns/kube-dns-no-endpoints': { layer: 'dns', title: 'kube-dns has no ready endpoints' },
  'dns/coredns-not-ready': { layer: 'dns', title: 'CoreDNS pods are not Ready' },
  'dns/kube-dns-unreadable': { layer: 'dns', title: 'Cluster DNS objects could not be read' },
  'dns/pod-dns-policy': { layer: 'dns', title: 'Source dnsPolicy bypasses cluster DNS' },
  'dns/resolv-conf-nameserver': { layer: 'dns', title: 'resolv.conf nameserver is not kube-dns' },

  // Step 5: Ingress
  'ingress/none': { layer: 'ingress', title: 'No Ingress routes to the Service' },
  'ingress/unreadable': { layer: 'ingress', title: 'Ingress objects could not be read' },
  'ingress/class-ok': { layer: 'ingress', title: 'IngressClass resolved' },
  'ingress/no-class': { layer: 'ingress', title: 'Ingress names no class and no default class exists' },
  'ingress/class-not-found': { layer: 'ingress', title: 'IngressClass does not exist' },
  'ingress/no-controller': { layer: 'ingress', title: 'No controller serves the IngressClass' },
  'ingress/controller-ready': { layer: 'ingress', title: 'Ingress controller is running' },
  'ingress/controller-not-ready': { layer: 'ingress', title: 'Ingress controller pods are not Ready' },
  'ingress/not-admitted': { layer: 'ingress', title: 'Ingress has no address (not admitted)' },
  'ingress/backend-ok': { layer: 'ingress', title: 'Ingress backend Service and port exist' },
  'ingress/backend-missing': { layer: 'ingress', title: 'Ingress backend Service does not exist' },
  'ingress/backend-other-namespace': { layer: 'ingress', title: 'Ingress backend is in another namespace' },
  'ingress/backend-port-missing': { layer: 'ingress', title: 'Ingress backend port is not a Service port' },
  'ingress/tls-secret-missing': { layer: 'ingress', title: 'TLS secret does not exist' },
  'ingress/controller-log-errors': { layer: 'ingress', title: 'Controller logs mention this route' },
  'ingress/probe-ok': { layer: 'ingress', title: 'Route answers through the controller' },
  'ingress/route-not-matched': { layer: 'ingress', title: 'Controller answered 404 (route not matched)' },
  'ingress/backend-error': { layer: 'ingress', title: 'Controller answered 5xx (backend problem)' },
  'ingress/probe-failed': { layer: 'ingress', title: 'Controller could not be reached' },
  'ingress/not-probed': { layer: 'ingress', title: 'Route through the controller could not be probed' },

  // Pod network across nodes: partial failures, the MTU probe, per-node facts, CoreDNS replicas
  'endpoints/node-unreachable': { layer: 'pod-network', title: 'Endpoints on some nodes do not answer from the source node' },
  'endpoints/partial-failure': { layer: 'service', title: 'Some endpoints fail while others answer' },
  'mtu/large-packets-ok': { layer: 'pod-network', title: 'Full-size packets reach the endpoint node' },
  'mtu/large-packets-dropped': { layer: 'pod-network', title: 'Small requests pass, large ones stall (MTU)' },
  'mtu/large-response-ok': { layer: 'pod-network', title: 'A large response arrives from the endpoint node' },
  'mtu/large-response-dropped': { layer: 'pod-network', title: 'Small answers arrive, a large response stalls (MTU towards the source)' },
  'mtu/large-response-untested': { layer: 'pod-network', title: 'The large-response page was too small to test the MTU' },
  'node/not-ready': { layer: 'pod-network', title: 'An involved node is NotReady' },
  'node/network-unavailable': { layer: 'pod-network', title: 'An involved node reports NetworkUnavailable' },
  'node/agent-ok': { layer: 'pod-network', title: 'Node agent (CNI, enforcer, kube-proxy) is running' },
  'node/agent-not-ready': { layer: 'pod-network', title: 'Node agent pod is not Ready' },
  'node/agent-missing': { layer: 'pod-network', title: 'Node agent DaemonSet has no pod on the node' },
  'dns/replica-ok': { layer: 'dns', title: 'CoreDNS replica answers by its pod IP' },
  'dns/replica-unreachable': { layer: 'dns', title: 'A CoreDNS replica does not answer (intermittent DNS)' },

  // Mesh
  'mesh/sidecar': { layer: 'mesh', title: 'A service-mesh sidecar is in the path' },

  // Predicted (policy) vs observed (probes)
  'crosscheck/agree': { layer: 'policy', title: 'Policy verdict and probes agree' },
  'crosscheck/not-enforced': { layer: 'policy', title: 'Policy denies but packets pass (not enforced)' },
  'crosscheck/dropped-despite-allow': { layer: 'pod-network', title: 'Policy allows but packets are dropped' },
} as const satisfies Record<string, CodeInfo>;

/** Every code: the core codes plus the policy engineer's NetworkPolicy/CNI codes. */
export const CODES = { ...CORE_CODES, ...POLICY_CODES, ...GATEWAY_CODES } as const;

export type CoreCode = keyof typeof CORE_CODES;
export type Code = keyof typeof CODES;

/** The family of a code: the part before the slash ("clusterip" for "clusterip/timeout"). */
export type CodeFamily = FamilyOf<Code>;
type FamilyOf<C> = C extends `${infer F}/${string}` ? F : never;

/** The family of a code, typed: rules compare families, never substrings of codes. */
export function familyOf(code: Code): CodeFamily {
  return code.slice(0, code.indexOf('/')) as CodeFamily;
}

/** The layer of a code (every code is in the catalogue: the type says so). */
export function layerOf(code: Code): Layer {
  return CODES[code].layer;
}

/** The title of a code. */
export function titleOf(code: Code): string {
  return CODES[code].title;
}

// Compile-time guard: every code that carries typed data is a catalogue code (a misspelt key fails here).
type MisspeltDataCodes = Exclude<keyof FindingDataByCode, Code>;
const noMisspeltDataCodes: [MisspeltDataCodes] extends [never] ? true : MisspeltDataCodes = true;
void noMisspeltDataCodes;
