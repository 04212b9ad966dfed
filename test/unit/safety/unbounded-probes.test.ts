// Issue 16 item 7: without `timeout` in the container, wget, nslookup and getent have no deadline
// of their own inside it (busybox wget -T crashes, nslookup and getent have no flag): the evidence
// says the probe ran unbounded; with `timeout` (or curl/dig/nc's own flags) it does not.

import { describe, expect, it } from 'vitest';
import { probeEvidence } from '../../../src/checks/lib/probe-evidence.js';
import { buildDnsProbe, buildHttpProbe } from '../../../src/probes/index.js';
import type { ProbeFact, ToolSet } from '../../../src/model/probe.js';

const noTimeout = { sh: true, wget: true, nslookup: true, getent: true } as unknown as ToolSet;
const withTimeoutTool = { ...noTimeout, timeout: true } as ToolSet;

function fact(tool: string, argv: string[]): ProbeFact {
  return {
    id: 'x', kind: 'http', label: 'x', target: { host: '10.96.0.1' }, tool, kubectl: 'kubectl exec ...',
    exec: { namespace: 'a', pod: 'p', container: 'c', argv, state: 'completed', exitCode: 0, stdout: '', stderr: '', elapsedMs: 5 },
  } as unknown as ProbeFact;
}

describe('probes without a deadline of their own', () => {
  it.each([
    ['wget', buildHttpProbe(noTimeout, { host: '10.96.0.1', port: 80, path: '/' }, 3)!],
    ['nslookup', buildDnsProbe({ ...noTimeout, getent: false } as unknown as ToolSet, { host: 'a.b.svc.cluster.local', server: '10.96.0.10' }, 3)!],
    ['getent', buildDnsProbe(noTimeout, { host: 'a.b.svc.cluster.local' }, 3)!],
  ])('%s without `timeout` in the container: the evidence says it ran unbounded', (tool, cmd) => {
    expect(cmd.tool).toBe(tool);
    expect(cmd.argv[0]).toBe(tool);
    expect(probeEvidence(fact(tool, cmd.argv)).join('\n')).toMatch(/unbounded inside the container/);
  });

  it('with `timeout` in the container it is bounded and says nothing of the sort', () => {
    const cmd = buildHttpProbe(withTimeoutTool, { host: '10.96.0.1', port: 80, path: '/' }, 3)!;
    expect(cmd.argv.slice(0, 2)).toEqual(['timeout', '3']);
    expect(probeEvidence(fact('wget', cmd.argv)).join('\n')).not.toMatch(/unbounded/);
  });
});
