// The versioned report of `k8snet sweep`: schema "k8snet.sweep/v1" (documented in docs/sweep.md).

import type { StepTiming } from '../model/facts.js';
import type { Confidence, Layer, Status } from '../model/finding.js';
import type { Caller } from '../policy/callers.js';
import type { Protocol } from '../policy/types.js';

export const SWEEP_SCHEMA = 'k8snet.sweep/v1' as const;

/** A finding as a row carries it: code, status and the one sentence. */
export interface BriefFinding {
  code: string;
  status: Status;
  summary: string;
}

export interface SweepRow {
  namespace: string;
  name: string;
  /** "ClusterIP", "NodePort", "LoadBalancer", "headless", "ExternalName", "(missing)" (an Ingress names it; it does not exist). */
  type: string;
  /** Ready endpoint addresses of total; null when the endpoints could not be read or do not apply. */
  endpoints: { ready: number; total: number } | null;
  /** "http:80->8080", "dns:53->53/UDP" */
  ports: string[];
  policy: {
    /** open: no policy isolates the pods; restricted: isolated, someone admitted; nobody; unknown: policies unreadable; n/a: no pods to judge. */
    state: 'open' | 'restricted' | 'nobody' | 'unknown' | 'n/a';
    selectedBy: string[];
    admitted: string[];
  };
  /** How traffic enters from outside the namespace: "Ingress production/api-ingress api.example.com/payments". */
  entry: string[];
  /** With --from: what the probes from the source saw. */
  live?: { state: 'ok' | 'failed' | 'not-probed'; summary: string };
  verdict: 'healthy' | 'fault' | 'inconclusive';
  layer: Layer | null;
  /** The diagnosis headline (diagnose's, for the same Service). */
  reason: string;
  confidence: Confidence;
  /** Number of warnings of the diagnosis. */
  warnings: number;
  /** Number of things the diagnosis could not check (forbidden reads, probes that did not run). */
  unknowns: number;
  /** The command to run next for a row that is not cleanly healthy. */
  next?: string;
  /** Every finding of the Service except info, in check order. */
  findings: BriefFinding[];
  /** With --callers: per pod port, who policy lets in. */
  callers?: {
    port: number;
    protocol: Protocol;
    callers: Caller[];
    /** Namespaces a rule admits whose pods were not read (not swept). */ unreadNamespaces?: string[];
  }[];
}

export interface SweepNamespace {
  name: string;
  /** not-checked: its Services could not be listed (forbidden, timeout): never reported healthy. */
  status: 'checked' | 'not-checked';
  why?: string;
  services: number;
  /** Policy hygiene findings of the namespace. */
  hygiene: import('../model/finding.js').Finding[];
}

export interface SweepReport {
  schema: typeof SWEEP_SCHEMA;
  k8snetVersion: string;
  gatheredAt: string;
  context: { name?: string; cluster?: string };
  request: { namespaces: string[] | 'all'; from?: string; source?: string; container?: string; callers: boolean };
  /** Judged once for the run: cluster DNS (kube-dns), the CNI. */
  cluster: { dns: BriefFinding[]; cni: { name: string; enforcesPolicy: boolean | null } };
  summary: { services: number; fault: number; inconclusive: number; healthy: number; notChecked: string[] };
  namespaces: SweepNamespace[];
  /** One per Service, broken first. */
  rows: SweepRow[];
  timings: StepTiming[];
  requests: number;
  notes: string[];
}
