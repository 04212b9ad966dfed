// The process exit code a diagnosis maps to: 0 healthy, 1 a layer failed, 3 inconclusive (2 is the tool's own error).

import type { Diagnosis } from '../model/finding.js';
import type { SweepReport } from '../sweep/types.js';

export function exitCodeFor(d: Diagnosis): 0 | 1 | 3 {
  if (d.verdict === 'healthy') return 0;
  if (d.verdict === 'fault') return 1;
  return 3;
}

/**
 * The exit code of a sweep, on the same scale: 1 when any Service (or cluster DNS) is at fault; else
 * 3 when a namespace or a Service could not be checked (never 0 for what was not seen); else 0.
 */
export function exitCodeForSweep(r: SweepReport): 0 | 1 | 3 {
  if (r.summary.fault > 0 || r.cluster.dns.some((f) => f.status === 'fail')) return 1;
  if (r.summary.notChecked.length > 0 || r.summary.inconclusive > 0) return 3;
  return 0;
}
