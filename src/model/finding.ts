// Findings (what a check observed) and the diagnosis (which layer failed). Data, not prose.

import type { ObjectRef } from './k8s.js';

/** The layers k8snet names. Order is the order an expert checks them in. */
export const LAYERS = ['source', 'service', 'pod-network', 'dns', 'policy', 'ingress', 'gateway', 'mesh'] as const;
export type Layer = (typeof LAYERS)[number];

export const LAYER_TITLES: Record<Layer, string> = {
  source: 'Source pod',
  service: 'Service',
  'pod-network': 'Pod network / CNI',
  dns: 'DNS',
  policy: 'NetworkPolicy',
  ingress: 'Ingress',
  gateway: 'Gateway API',
  mesh: 'Service mesh',
};

/**
 * pass: checked and fine. fail: checked and broken. warn: works, but something is off.
 * unknown: could not tell (forbidden, tool missing, probe did not run) - never reads as pass.
 * info: context worth showing (e.g. the CNI detected), no judgement.
 */
export type Status = 'pass' | 'fail' | 'warn' | 'unknown' | 'info';

/** The five checklist steps (plus the source resolution that precedes them). */
export type StepId = 'source' | 'endpoints' | 'clusterip' | 'dns' | 'policy' | 'ingress' | 'gateway';

export const STEP_TITLES: Record<StepId, string> = {
  source: 'Source pod',
  endpoints: '1. Service and endpoints',
  clusterip: '2. ClusterIP reachability',
  dns: '3. DNS',
  policy: '4. NetworkPolicy',
  ingress: '5. Ingress',
  gateway: '5. Gateway API',
};

export interface CodeInfo {
  layer: Layer;
  title: string;
}

export interface Finding {
  /** Greppable slug from the catalogue (src/model/codes.ts), documented in docs/. */
  code: string;
  step: StepId;
  status: Status;
  subject?: ObjectRef;
  /** One sentence: what was observed. */
  summary: string;
  /** Facts quoted from the cluster or a probe. */
  evidence: string[];
  /** Commands or changes most likely to help, most useful first. */
  next?: string[];
  /** Structured extras for json output (probe ids, policy names, ...). */
  data?: Record<string, unknown>;
}

export type Confidence = 'high' | 'medium' | 'low';

export interface Diagnosis {
  /** healthy: every layer passed. fault: a layer is named. inconclusive: k8snet could not tell. */
  verdict: 'healthy' | 'fault' | 'inconclusive';
  layer: Layer | null;
  /** One line for the top of the report. */
  headline: string;
  /** Name of the rule that decided (diagnosis/rules), for -v and tests. */
  rule: string;
  confidence: Confidence;
  /** Why confidence is below high (probe did not run, permission missing...). */
  confidenceNotes: string[];
  /** The findings that prove the named layer. */
  evidence: Finding[];
  /** Secondary problems, listed separately. */
  warnings: Finding[];
  /** What could not be checked. */
  unknowns: Finding[];
  /** Next commands, deduplicated, most useful first. */
  next: string[];
}
