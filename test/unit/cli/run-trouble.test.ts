// An inconclusive run whose control path stopped answering (API server frozen, kubelet down) says so
// on stderr as an error with what/why/next (src/cli/run-trouble.ts), and the report names the
// source container's failed exec instead of "no probe was run" (src/checks/lib/exec-failure.ts).
// The facts are the lab's recordings (test/fixtures/recorded), changed only where the case needs it.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTrouble, unansweredReads } from '../../../src/cli/run-trouble.js';
import { API_ANSWERING, nextForUnread } from '../../../src/checks/lib/read.js';
import type { Facts } from '../../../src/model/facts.js';
import { analyzeFacts } from '../../../src/pipeline.js';

const recorded = (name: string) =>
  JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'recorded', name, 'facts.json'), 'utf8')) as Facts;

const healthy = () => recorded('00-healthy-baseline');

/** The healthy run as if the source container's inspection exec had ended this way (no tools learnt). */
function execEnded(inspection: NonNullable<Extract<Facts['source'], { state: 'ok' }>['value']['inspection']>): Facts {
  const f = healthy();
  if (f.source.state !== 'ok') throw new Error('fixture: source not ok');
  f.source.value = { ...f.source.value, tools: null, hasShell: null, inspection, resolvConf: undefined };
  f.probes = [];
  return f;
}

describe('unansweredReads', () => {
  it('finds nothing in a healthy run', () => {
    expect(unansweredReads(healthy()).count).toBe(0);
  });
  it('counts reads that timed out or could not reach the API server, anywhere in the facts', () => {
    const f = healthy();
    f.endpointSlices = { state: 'timeout', message: 'no answer within 5000 ms' };
    f.dns.pods = { state: 'unreachable', message: 'connect ECONNREFUSED' };
    f.ingress.classes = { state: 'forbidden', message: '403' };
    const u = unansweredReads(f);
    expect(u.count).toBe(2);
    expect(u.first).toBe('no answer within 5000 ms');
  });
  it('never looks into an answered read: a tenant annotation shaped like a failed read is not one', () => {
    const f = healthy();
    if (f.namespacePods.state !== 'ok') throw new Error('fixture');
    f.namespacePods.value[0].metadata.annotations = { state: 'timeout', message: 'planted by a tenant' };
    expect(unansweredReads(f).count).toBe(0);
    expect(runTrouble(f, '6s')).toBeUndefined();
  });
});

describe('an exec into the source container that got no answer', () => {
  const f = execEnded({ state: 'timeout', error: 'no result after 5800 ms; k8snet stopped waiting', elapsedMs: 5800 });
  const { findings, diagnosis } = analyzeFacts(f);
  it('is a finding of the source pod, and the steps that could not probe say why', () => {
    const failed = findings.find((x) => x.code === 'source/exec-failed');
    expect(failed?.status).toBe('unknown');
    expect(failed?.summary).toMatch(
      /^Commands could not run in the source pod: the exec into orders\/orders-api-\S+ \(container toolbox\) got no answer within 5\.8 s$/,
    );
    expect(findings.find((x) => x.code === 'clusterip/not-probed')?.summary).toBe(
      "The ClusterIP and pod IPs were not probed: the exec into the source pod got no answer (see the source pod's finding)",
    );
    expect(findings.find((x) => x.code === 'dns/not-probed')?.summary).toContain('DNS was not probed: the exec into the source pod got no answer');
  });
  it('leaves the run inconclusive, its headline naming the exec, its next steps the API server and the exec', () => {
    expect(diagnosis.verdict).toBe('inconclusive');
    expect(diagnosis.headline).toContain('nothing was probed: commands could not run in the source pod');
    expect(diagnosis.next[0]).toContain('/readyz');
    expect(diagnosis.next.join('\n')).not.toContain('k8snet rbac');
  });
  it('is reported as an error on stderr: what, why and next', () => {
    const t = runTrouble(f, '6s');
    expect(t?.message).toMatch(/^the run could not finish its checks: commands could not run in the source pod: the exec into orders\//);
    expect(t?.why).toContain('no answer within 5.8 s');
    expect(t?.next).toContain('raise --timeout (now 6s)');
  });
});

describe('an exec the API server could not deliver to the kubelet', () => {
  const f = execEnded({
    state: 'exec-failed',
    errorKind: 'unreachable',
    error: 'HTTP 500: error dialing backend: dial tcp 10.200.0.2:10250: connect: connection refused',
    elapsedMs: 14,
  });
  const node = f.source.state === 'ok' ? f.source.value.pod.spec.nodeName! : '';
  it('names the kubelet of the source pod node, and the node that still reports Ready', () => {
    const { findings, diagnosis } = analyzeFacts(f);
    const failed = findings.find((x) => x.code === 'source/exec-failed');
    expect(failed?.summary).toContain(`could not reach the kubelet on node ${node}`);
    expect(failed?.evidence.join('\n')).toContain('dial tcp 10.200.0.2:10250');
    expect(failed?.evidence.join('\n')).toContain(`node ${node} still reports Ready`);
    expect(diagnosis.next[0]).toBe(`kubectl describe node ${node}   # conditions and the kubelet's last heartbeat`);
  });
  it('sends the engineer to that kubelet, not to the API server', () => {
    const t = runTrouble(f, '20s');
    expect(t?.next).toContain(`kubectl describe node ${node}`);
    expect(t?.next).not.toContain('readyz');
  });
});

describe('what is not the control path is left to the report', () => {
  it('a container without a shell (distroless) is no run trouble', () => {
    const f = recorded('50-distroless-source');
    expect(analyzeFacts(f).diagnosis.verdict).toBe('inconclusive');
    expect(runTrouble(f, '6s')).toBeUndefined();
  });
  it('a user who may not exec is no run trouble', () => {
    expect(runTrouble(recorded('70-rbac-no-exec'), '6s')).toBeUndefined();
  });
  it('probes cut by the deadline are', () => {
    const f = healthy();
    const p = f.probes.find((x) => x.exec);
    p!.exec = { ...p!.exec!, state: 'timeout', exitCode: null, error: 'the batch exec hit its deadline before this probe reported' };
    expect(runTrouble(f, '6s')?.message).toBe("the run could not finish its checks: 1 probe got no result from the source pod before k8snet's deadline");
  });
  it('a run whose every probe was cut sends the engineer to the API server and the exec, not to permissions', () => {
    const f = healthy();
    for (const p of f.probes) if (p.exec) p.exec = { ...p.exec, state: 'timeout', exitCode: null, stdout: '', error: 'cut' };
    const { diagnosis } = analyzeFacts(f);
    expect(diagnosis.verdict).toBe('inconclusive');
    expect(diagnosis.next[0]).toContain('/readyz');
    expect(diagnosis.next[1]).toMatch(/^kubectl exec -n orders orders-api-\S+ -c toolbox -- sh -c true/);
    expect(diagnosis.next.join('\n')).not.toContain('k8snet rbac');
  });
});

describe('reads that got no answer are not sent to permissions', () => {
  it('nextForUnread: readyz for no answer, the grant for a refusal, both for both', () => {
    const grant = 'grant list on x';
    expect(nextForUnread(['timeout'], grant)).toEqual([API_ANSWERING]);
    expect(nextForUnread(['unreachable', 'timeout'], grant)).toEqual([API_ANSWERING]);
    expect(nextForUnread(['forbidden'], grant)).toEqual([grant]);
    expect(nextForUnread(['timeout', 'forbidden'], grant)).toEqual([API_ANSWERING, grant]);
    expect(nextForUnread([], grant)).toEqual([grant]);
  });
  it('a NetworkPolicy list that timed out: the policy verdict is unknown, next is the API server', () => {
    const f = healthy();
    f.policies.payments = { state: 'timeout', message: 'no answer within 5000 ms' };
    const { findings } = analyzeFacts(f);
    const unknown = findings.filter((x) => x.code === 'policy/unknown');
    expect(unknown.length).toBeGreaterThan(0);
    for (const u of unknown) expect(u.next).toEqual([API_ANSWERING]);
  });
  it('the same list forbidden: next is the grant', () => {
    const f = healthy();
    f.policies.payments = { state: 'forbidden', message: 'networkpolicies is forbidden' };
    const unknown = analyzeFacts(f).findings.filter((x) => x.code === 'policy/unknown');
    expect(unknown.length).toBeGreaterThan(0);
    for (const u of unknown) expect(u.next?.join('\n')).toContain('k8snet rbac');
  });
});
