// Findings (what a check observed) and the diagnosis (which layer failed). Data, not prose.

import type { Code } from './codes.js';
import type { FindingDataByCode } from './finding-data.js';
import type { ObjectRef } from './k8s.js';
import type { Layer } from './layers.js';

export { LAYERS, LAYER_TITLES, type CodeInfo, type Layer } from './layers.js';

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

/** The data a finding with code C carries (FindingDataByCode), or none. */
export type DataOf<C extends Code> = C extends keyof FindingDataByCode ? FindingDataByCode[C] : never;

/** A finding with one particular code: what a check observed, as data. */
interface FindingWith<C extends Code> {
  /** Greppable slug from the catalogue (src/model/codes.ts), documented in docs/. */
  code: C;
  step: StepId;
  status: Status;
  subject?: ObjectRef;
  /** One sentence: what was observed. Rules never read it: they read code, status and data. */
  summary: string;
  /** Facts quoted from the cluster or a probe. */
  evidence: string[];
  /** Commands or changes most likely to help, most useful first. */
  next?: string[];
  /** True when k8snet could not look because the API server answered 403 Forbidden (a read or pods/exec). */
  forbidden?: true;
  /** Structured extras, typed per code (src/model/finding-data.ts); also in json output. */
  data?: DataOf<C>;
}

/** A finding: a union over the catalogue, so checking `code` narrows `data`. */
export type Finding = { [C in Code]: FindingWith<C> }[Code];

/**
 * The findings with one of the codes C. Distributes over C (not Extract<Finding, ...>): with the
 * 160-member Finding union inside a generic return type, every make() call inferred union against
 * union, and type-checking took minutes.
 */
export type FindingOf<C extends Code> = C extends Code ? FindingWith<C> : never;

/** Type guard: the finding has one of these codes (then its data is typed). */
export function hasCode<C extends Code>(f: Finding, codes: readonly C[]): f is FindingOf<C> {
  return (codes as readonly Code[]).includes(f.code);
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
