// The versioned report schema "k8snet.diagnose/v1" (documented in docs/json-schema.md).

import type { StepTiming } from '../model/facts.js';
import type { Diagnosis, Finding, Layer, Status, StepId } from '../model/finding.js';
import type { PathPicture } from './path-model.js';

export const REPORT_SCHEMA = 'k8snet.diagnose/v1' as const;

/** The output formats every command renders (-o). */
export type OutputFormat = 'table' | 'json' | 'markdown';

/** A finding as reported: the finding plus its layer and title from the catalogue. */
export type ReportFinding = Finding & {
  layer: Layer | null;
  title: string;
};

export interface ReportStep {
  id: StepId;
  title: string;
  /** Worst status of its findings (fail > unknown > warn > pass > info); info when it has none. */
  status: Status;
  findings: ReportFinding[];
  /** Gathering time and API requests for the step, when the gatherer recorded them. */
  timing?: StepTiming;
}

export interface ReportProbe {
  id: string;
  label: string;
  tool: string | null;
  kubectl?: string;
  state: 'completed' | 'exec-failed' | 'timeout' | 'not-run';
  exitCode: number | null;
  elapsedMs: number | null;
  /** First lines of stdout/stderr, trimmed (probe output, never secrets). */
  stdout: string;
  stderr: string;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  k8snetVersion: string;
  gatheredAt: string;
  context: { name?: string; cluster?: string };
  target: { namespace: string; name: string; type?: string; clusterIP?: string; port?: string; path: string };
  source: { namespace: string; pod: string; container: string; resolvedFrom: string; node?: string; ephemeral?: boolean } | null;
  steps: ReportStep[];
  diagnosis: Diagnosis;
  probes: ReportProbe[];
  timings: StepTiming[];
  /** Total API requests made while gathering. */
  requests: number;
  notes: string[];
  /** The hop-by-hop picture of the path (src/report/path-model.ts); drawn by the table and markdown renderers. */
  path?: PathPicture;
}
