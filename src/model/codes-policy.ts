// Finding codes of step 4 (NetworkPolicy) and CNI detection; merged into the catalogue in codes.ts.

import type { CodeInfo } from './layers.js';

export const POLICY_CODES = {
  'policy/allowed': { layer: 'policy', title: 'NetworkPolicy allows the flow' },
  'policy/ingress-denied': { layer: 'policy', title: "A NetworkPolicy blocks the destination's ingress" },
  'policy/egress-denied': { layer: 'policy', title: "A NetworkPolicy blocks the source's egress" },
  'policy/dns-egress-blocked': { layer: 'policy', title: 'Egress policy blocks DNS (port 53 to kube-dns)' },
  'policy/dns-egress-allowed': { layer: 'policy', title: 'Egress policy allows DNS to kube-dns' },
  'policy/or-instead-of-and': { layer: 'policy', title: 'Peer list is OR where AND was likely meant' },
  'policy/service-port-not-target-port': { layer: 'policy', title: 'Policy names the Service port, not the targetPort' },
  'policy/selects-nothing': { layer: 'policy', title: 'NetworkPolicy selects no pods' },
  'policy/ipblock-pod-ip': { layer: 'policy', title: 'ipBlock contains a pod IP (implementation-dependent)' },
  'policy/host-network': { layer: 'policy', title: 'Host-network pod: policies do not apply to it in most CNIs' },
  'policy/not-enforced': { layer: 'policy', title: 'The CNI does not enforce NetworkPolicy' },
  'policy/cni-detected': { layer: 'policy', title: 'CNI detected' },
  'policy/cni-unknown': { layer: 'policy', title: 'CNI not recognised: enforcement unknown' },
  'policy/unknown': { layer: 'policy', title: 'NetworkPolicies could not be read: status unknown' },

  // Static reach of a Service (no source needed): who its ingress policies let in; namespace hygiene
  'policy/reach-open': { layer: 'policy', title: "No NetworkPolicy isolates the Service's pods for ingress" },
  'policy/reach-restricted': { layer: 'policy', title: 'NetworkPolicy admits callers to the Service' },
  'policy/no-callers': { layer: 'policy', title: 'No NetworkPolicy rule admits any caller to the Service' },
  'policy/port-no-callers': { layer: 'policy', title: 'A Service port is admitted from nobody' },
  'policy/callers-match-nothing': { layer: 'policy', title: 'The admitting rules name peers that match nothing' },
  'policy/peer-matches-nothing': { layer: 'policy', title: 'A policy peer matches no namespace or pod' },

  // Endpoint addresses (selector-less Services, hand-made EndpointSlices): policies see them after DNAT
  'policy/egress-ipblock-cluster-ip': {
    layer: 'policy',
    title: 'Egress ipBlock covers the ClusterIP, not the endpoints (policies see the address after DNAT)',
  },
} as const satisfies Record<string, CodeInfo>;

export type PolicyCode = keyof typeof POLICY_CODES;
