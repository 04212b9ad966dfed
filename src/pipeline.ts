// The pure half of diagnose: Facts -> findings -> diagnosis -> report. Also validates a facts file
// read by `k8snet analyze`, so a wrong or damaged file is a clear error, never a crash.

import { runChecks } from './checks/run.js';
import { diagnose } from './diagnosis/index.js';
import { UserError } from './errors.js';
import { FACTS_SCHEMA_VERSION, type Facts } from './model/facts.js';
import { FACTS_SHAPE } from './model/facts-schema.js';
import { VERSION } from './version.js';
import type { Diagnosis, Finding } from './model/finding.js';
import { buildReport, type Report } from './report/index.js';

export interface Analysis {
  findings: Finding[];
  diagnosis: Diagnosis;
  report: Report;
}

export function analyzeFacts(facts: Facts): Analysis {
  const findings = runChecks(facts);
  const diagnosis = diagnose(findings, facts);
  return { findings, diagnosis, report: buildReport(facts, findings, diagnosis) };
}

/** Check that a parsed JSON value has the Facts shape; throws UserError naming the first bad field. */
export function validateFacts(value: unknown, file: string): Facts {
  const problem = FACTS_SHAPE(value, '');
  if (problem) {
    const versionProblem = typeof value === 'object' && value !== null && (value as { schemaVersion?: unknown }).schemaVersion !== FACTS_SCHEMA_VERSION;
    throw new UserError({
      message: `${file} is not a k8snet facts file k8snet ${VERSION} can read`,
      why: versionProblem
        ? `schemaVersion: expected ${FACTS_SCHEMA_VERSION}, found ${JSON.stringify((value as { schemaVersion?: unknown }).schemaVersion)}`
        : problem,
      next: 'pass a file written by `k8snet diagnose --save` (format: docs/facts-format.md)',
    });
  }
  return value as Facts;
}
