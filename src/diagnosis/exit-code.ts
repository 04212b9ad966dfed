// The process exit code a diagnosis maps to: 0 healthy, 1 a layer failed, 3 inconclusive (2 is the tool's own error).

import type { Diagnosis } from '../model/finding.js';

export function exitCodeFor(d: Diagnosis): 0 | 1 | 3 {
  if (d.verdict === 'healthy') return 0;
  if (d.verdict === 'fault') return 1;
  return 3;
}
