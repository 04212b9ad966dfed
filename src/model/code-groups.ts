// Named groups of finding codes that rules and the cross-check ask about, typed against the catalogue.

import type { Code } from './codes.js';
import { hasCode, type Finding } from './finding.js';

/** Every ClusterIP probe finding (data: ConnectProbeData). */
export const CLUSTERIP_PROBE_CODES = [
  'clusterip/reachable',
  'clusterip/refused',
  'clusterip/timeout',
  'clusterip/no-response',
  'clusterip/unreachable',
  'clusterip/error',
  'clusterip/not-probed',
  'clusterip/app-error',
  'clusterip/app-unanswered',
] as const satisfies readonly Code[];

/** Every pod-IP probe finding (data: ConnectProbeData). */
export const ENDPOINT_PROBE_CODES = [
  'endpoint/reachable',
  'endpoint/refused',
  'endpoint/timeout',
  'endpoint/no-response',
  'endpoint/unreachable',
  'endpoint/error',
  'endpoint/not-probed',
  'endpoint/app-error',
  'endpoint/app-unanswered',
] as const satisfies readonly Code[];

/** ClusterIP and pod-IP probe findings together. */
export const CONNECT_PROBE_CODES = [...CLUSTERIP_PROBE_CODES, ...ENDPOINT_PROBE_CODES] as const;

/** DNS lookups that failed to give the right answer. */
export const DNS_FAIL_CODES = [
  'dns/nxdomain',
  'dns/servfail',
  'dns/timeout',
  'dns/refused',
  'dns/no-answer',
  'dns/wrong-answer',
] as const satisfies readonly Code[];

/** Findings about a probe through the Ingress controller (data: IngressProbeData). */
export const INGRESS_PROBE_CODES = [
  'ingress/probe-ok',
  'ingress/route-not-matched',
  'ingress/backend-error',
  'ingress/probe-failed',
  'ingress/not-probed',
] as const satisfies readonly Code[];

/** Policy findings that carry the verdict for the path itself (not DNS egress, which has its own code). */
export const PATH_VERDICT_CODES = ['policy/allowed', 'policy/ingress-denied', 'policy/egress-denied'] as const satisfies readonly Code[];

/** Every finding that carries a policy verdict (data.verdict): the path's, and the Gateway hop's. */
export const VERDICT_CODES = [...PATH_VERDICT_CODES, 'gateway/hop-allowed', 'gateway/hop-denied'] as const satisfies readonly Code[];

/** "Could not probe" findings: no probe ran, so no packet confirms or refutes a static verdict. */
export const NOT_PROBED_CODES = [
  'source/no-shell',
  'source/no-tools',
  'source/exec-failed',
  'clusterip/not-probed',
  'clusterip/udp-not-probed',
  'endpoint/not-probed',
  'dns/not-probed',
  'ingress/not-probed',
  'gateway/not-probed',
] as const satisfies readonly Code[];

/** Findings that may carry a suggested object to review (data.suggestion, data.suggestionTitle). */
export const SUGGESTING_CODES = [...VERDICT_CODES, 'gateway/backend-not-permitted', 'gateway/certificate-not-permitted'] as const satisfies readonly Code[];

/** Every DNS lookup finding (data: DnsProbeData). */
export const DNS_PROBE_CODES = ['dns/resolves', ...DNS_FAIL_CODES, 'dns/short-name-other-namespace', 'dns/not-probed'] as const satisfies readonly Code[];

/** Findings about a probe through a Gateway's data plane (data: IngressProbeData). */
export const GATEWAY_PROBE_CODES = [
  'gateway/probe-ok',
  'gateway/route-not-matched',
  'gateway/backend-error',
  'gateway/probe-failed',
  'gateway/not-probed',
] as const satisfies readonly Code[];

/** Every finding that may report one probe (its data carries the probe id). */
export const PROBE_CODES = [...CONNECT_PROBE_CODES, ...DNS_PROBE_CODES, ...INGRESS_PROBE_CODES, ...GATEWAY_PROBE_CODES] as const;

/** The id of the probe a finding reports ("clusterip/80", "dns/fqdn/pod-resolver"), if it reports one. */
export function probeIdOf(f: Finding): string | undefined {
  return hasCode(f, PROBE_CODES) ? f.data?.probeId : undefined;
}

/** Findings of the static reach check (data: ReachData): who the destination's ingress policies admit. */
export const REACH_CODES = [
  'policy/reach-open',
  'policy/reach-restricted',
  'policy/no-callers',
  'policy/callers-match-nothing',
] as const satisfies readonly Code[];
