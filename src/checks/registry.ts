// The registry of step checks: each with its step, a title and a one-line purpose (kube-score style).

import type { Facts } from '../model/facts.js';
import type { Finding, StepId } from '../model/finding.js';
import { checkClusterIP } from './clusterip.js';
import { checkDns } from './dns.js';
import { checkEndpoints } from './endpoints.js';
import { checkIngress } from './ingress.js';
import { checkGateway } from './gateway/index.js';
import { checkMesh } from './mesh.js';
import { checkSource } from './source.js';

export interface StepCheck {
  id: string;
  step: StepId;
  title: string;
  purpose: string;
  run: (facts: Facts) => Finding[];
}

/** Core checks in the order an expert works; the policy checks join them in run.ts. */
export const CORE_CHECKS: StepCheck[] = [
  { id: 'source', step: 'source', title: 'Source pod', purpose: 'the pod probes run from exists, is Ready and can run network tools', run: checkSource },
  { id: 'endpoints', step: 'endpoints', title: 'Service and endpoints', purpose: 'the Service exists, selects Ready pods, has ready endpoints, and its targetPort resolves', run: checkEndpoints },
  { id: 'clusterip', step: 'clusterip', title: 'ClusterIP reachability', purpose: 'the ClusterIP and each pod IP answer from the source pod', run: checkClusterIP },
  { id: 'mesh', step: 'clusterip', title: 'Service mesh', purpose: 'an Istio or Linkerd sidecar on either end is a layer of its own', run: checkMesh },
  { id: 'dns', step: 'dns', title: 'DNS', purpose: 'the Service name resolves from the source pod to the ClusterIP; cluster DNS is up', run: checkDns },
  { id: 'ingress', step: 'ingress', title: 'Ingress', purpose: 'an Ingress to the Service has a class, a running controller, valid backends and answers', run: checkIngress },
  { id: 'gateway', step: 'gateway', title: 'Gateway API', purpose: 'a Gateway API route to the Service is attached to a programmed Gateway with a running controller, its backends are permitted, and it answers', run: checkGateway },
];
