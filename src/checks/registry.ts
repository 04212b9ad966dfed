// The registry of checks: each with its id, step, a title and a one-line purpose (kube-score style), in
// the order an expert works. A check sees the facts and the findings of the checks before it.

import type { Facts } from '../model/facts.js';
import type { Finding, StepId } from '../model/finding.js';
import { checkClusterIP } from './clusterip.js';
import { checkCrossLayer } from './cross-check.js';
import { checkDns } from './dns.js';
import { checkEndpoints } from './endpoints.js';
import { checkIngress } from './ingress.js';
import { checkGateway } from './gateway/index.js';
import { checkMesh } from './mesh.js';
import { checkPolicy } from './policy.js';
import { checkPolicyReach } from './policy-reach.js';
import { checkSource } from './source.js';
import { checkPodNetwork } from './pod-network.js';
import { checkDnsReplicas } from './dns-replicas.js';

/** One registered check. `earlier` holds the findings of the checks registered before it. */
export interface Check {
  id: string;
  step: StepId;
  title: string;
  purpose: string;
  run: (facts: Facts, earlier: readonly Finding[]) => Finding[];
}

/** Every check, in run order. The cross-check follows the steps whose verdicts and probes it compares. */
export const CHECKS = [
  { id: 'source', step: 'source', title: 'Source pod', purpose: 'the pod probes run from exists, is Ready and can run network tools', run: checkSource },
  {
    id: 'endpoints',
    step: 'endpoints',
    title: 'Service and endpoints',
    purpose: 'the Service exists, selects Ready pods, has ready endpoints, and its targetPort resolves',
    run: checkEndpoints,
  },
  {
    id: 'clusterip',
    step: 'clusterip',
    title: 'ClusterIP reachability',
    purpose: 'the ClusterIP and each pod IP answer from the source pod',
    run: checkClusterIP,
  },
  {
    id: 'pod-network',
    step: 'clusterip',
    title: 'Pod network across nodes',
    purpose:
      'which endpoints answer and what the failing ones share; large packets next to small; the nodes involved and their CNI, enforcer and kube-proxy pods',
    run: checkPodNetwork,
  },
  { id: 'mesh', step: 'clusterip', title: 'Service mesh', purpose: 'an Istio or Linkerd sidecar on either end is a layer of its own', run: checkMesh },
  { id: 'dns', step: 'dns', title: 'DNS', purpose: 'the Service name resolves from the source pod to the ClusterIP; cluster DNS is up', run: checkDns },
  {
    id: 'dns-replicas',
    step: 'dns',
    title: 'CoreDNS replicas',
    purpose: 'each CoreDNS replica answers by its pod IP, so one unreachable replica is named',
    run: checkDnsReplicas,
  },
  {
    id: 'policy',
    step: 'policy',
    title: 'NetworkPolicy',
    purpose: 'the policies selecting source and destination admit the flow on the pod port, DNS egress, lints, CNI enforcement',
    run: checkPolicy,
  },
  {
    id: 'policy-reach',
    step: 'policy',
    title: 'Who may reach the destination',
    purpose: "which callers the destination's ingress policies admit on each port, from the facts",
    run: checkPolicyReach,
  },
  {
    id: 'crosscheck',
    step: 'policy',
    title: 'Predicted vs observed',
    purpose: 'the policy verdict agrees with what the ClusterIP and pod-IP probes saw',
    run: checkCrossLayer,
  },
  {
    id: 'ingress',
    step: 'ingress',
    title: 'Ingress',
    purpose: 'an Ingress to the Service has a class, a running controller, valid backends and answers',
    run: checkIngress,
  },
  {
    id: 'gateway',
    step: 'gateway',
    title: 'Gateway API',
    purpose: 'a Gateway API route to the Service is attached to a programmed Gateway with a running controller, its backends are permitted, and it answers',
    run: checkGateway,
  },
] as const satisfies readonly Check[];

/** The id of a registered check. */
export type CheckId = (typeof CHECKS)[number]['id'];
