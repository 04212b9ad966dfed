// Issue 16 item 5: k8snet's own exec deadline (the exec stream never completes) is k8snet not
// knowing, not the network failing: an unknown finding, and an inconclusive run when nothing else
// decides - never "packets are dropped" in the pod network.

import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/diagnosis/index.js';
import { analyzeFacts } from '../../../src/pipeline.js';
import { judgeExecStatus } from '../../../src/probes/exit-status.js';
import { loadFacts } from '../helpers.js';

function everyExecHangs() {
  const f = loadFacts('healthy');
  for (const p of f.probes)
    if (p.exec)
      p.exec = {
        ...p.exec,
        state: 'timeout',
        exitCode: null,
        stdout: '',
        stderr: '',
        elapsedMs: 5000,
        error: 'no result after 5000 ms; k8snet stopped waiting',
      };
  return f;
}

describe("k8snet's own exec deadline", () => {
  it('is its own verdict kind, not a network timeout', () => {
    const v = judgeExecStatus({
      namespace: 'a',
      pod: 'p',
      container: 'c',
      argv: ['timeout', '3', 'curl', 'x'],
      state: 'timeout',
      exitCode: null,
      stdout: '',
      stderr: '',
      elapsedMs: 5000,
    });
    expect(v?.kind).toBe('deadline');
    expect(v?.detail).toMatch(/could not tell/);
  });

  it('probes cut by it are unknown findings that say k8snet could not tell', () => {
    const { findings } = analyzeFacts(everyExecHangs());
    const probed = findings.filter((f) => f.step === 'clusterip' || f.step === 'dns');
    expect(probed.length).toBeGreaterThan(0);
    for (const f of probed.filter((x) => x.status !== 'info' && x.status !== 'pass' && x.status !== 'warn'))
      expect([f.code, f.status]).toEqual([f.code, 'unknown']);
    expect(findings.some((f) => /could not tell/.test(f.summary))).toBe(true);
    expect(findings.some((f) => /packets are dropped/.test(f.summary))).toBe(false);
  });

  it('with nothing else deciding, the run is inconclusive (exit 3), never pod-network', () => {
    const { diagnosis } = analyzeFacts(everyExecHangs());
    expect(diagnosis.layer).not.toBe('pod-network');
    expect(diagnosis.verdict).toBe('inconclusive');
    expect(exitCodeFor(diagnosis)).toBe(3);
  });
});
