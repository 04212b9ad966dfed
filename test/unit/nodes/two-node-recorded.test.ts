// Facts captured from the two-node lab (Flannel VXLAN + kube-router DaemonSets, two node netns) by
// the two-node scenarios (the default lab, `node test/e2e/run.mjs --record test/fixtures/two-node`),
// replayed offline: each must give the diagnosis its scenario expects (layer, verdict, exit, codes,
// evidence naming the node).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/diagnosis/index.js';
import { analyzeFacts, validateFacts } from '../../../src/pipeline.js';
import { renderJson } from '../../../src/report/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const recorded = path.join(root, 'test/fixtures/two-node');
const scenarios = path.join(root, 'test/lab/scenarios');
const names = existsSync(recorded)
  ? readdirSync(recorded)
      .filter((n) => existsSync(path.join(recorded, n, 'facts.json')))
      .sort()
  : [];

interface Expect {
  exit?: number;
  verdict?: string;
  layer?: string;
  codes?: string[];
  absentCodes?: string[];
  evidence?: string[];
}

const load = (name: string) => {
  const file = path.join(recorded, name, 'facts.json');
  return validateFacts(JSON.parse(readFileSync(file, 'utf8')), file);
};

describe('two-node lab facts replay to the scenario expectation', () => {
  it('the two-node scenarios were recorded', () => {
    for (const n of [
      '00-healthy-baseline',
      '200-overlay-route-dropped',
      '201-flannel-stopped-one-node',
      '202-mtu-lowered-one-node',
      '203-kube-proxy-down-source-node',
      '204-coredns-replica-unreachable',
      '205-endpoint-on-notready-node',
      '206-flannel-without-enforcer',
      '207-one-endpoint-refuses-same-node',
    ]) {
      expect(names, n).toContain(n);
    }
  });
  // every recording, the healthy baseline included (re-recorded on the default two-node lab)
  it.each(names)('%s', (name) => {
    const facts = load(name);
    const exp = (JSON.parse(readFileSync(path.join(scenarios, name, 'scenario.json'), 'utf8')) as { expect: Expect }).expect;
    const { findings, diagnosis, report } = analyzeFacts(facts);
    if (exp.exit !== undefined && exp.exit !== 2) expect(exitCodeFor(diagnosis)).toBe(exp.exit);
    if (exp.verdict) expect(diagnosis.verdict).toBe(exp.verdict);
    if (exp.layer) expect(diagnosis.layer).toBe(exp.layer);
    const have = new Map<string, string[]>();
    for (const f of findings) have.set(f.code, [...(have.get(f.code) ?? []), f.status]);
    for (const c of exp.codes ?? []) {
      const [code, status] = c.split(':');
      expect(have.has(code), `${code} in ${[...have.keys()].join(', ')}`).toBe(true);
      if (status) expect(have.get(code)).toContain(status);
    }
    for (const c of exp.absentCodes ?? []) expect(have.has(c)).toBe(false);
    const json = renderJson(report);
    for (const e of exp.evidence ?? []) expect(json).toContain(e);
  });
});

describe('what the two-node facts show', () => {
  const has = (n: string) => names.includes(n);
  it.runIf(has('00-healthy-baseline'))('healthy: every endpoint probe carries its node, both nodes probed, both CoreDNS replicas asked', () => {
    const facts = load('00-healthy-baseline');
    const eps = facts.probes.filter((p) => p.id.startsWith('endpoint/') && p.role !== 'app');
    expect(new Set(eps.map((p) => p.target.node)).size).toBe(2);
    expect(
      facts.probes
        .filter((p) => p.id.startsWith('dns/replica/'))
        .map((p) => p.target.node)
        .sort(),
    ).toEqual([...new Set(eps.map((p) => p.target.node!))].sort());
    expect(facts.probes.filter((p) => p.id.startsWith('endpoint-large/'))).toHaveLength(2);
    const agents = facts.nodeAgents?.state === 'ok' ? facts.nodeAgents.value : [];
    expect(agents.filter((a) => a.role === 'cni' && a.daemonSet === 'kube-flannel/kube-flannel-ds')).toHaveLength(2);
    const { findings, diagnosis } = analyzeFacts(facts);
    expect(diagnosis.verdict).toBe('healthy');
    // nothing cross-node is flagged on the healthy lab
    expect(findings.filter((f) => f.status === 'fail' && /^(node|mtu|endpoint|clusterip|dns\/replica)/.test(f.code))).toEqual([]);
    expect(findings.filter((f) => f.code === 'mtu/large-packets-ok')).toHaveLength(2);
    expect(findings.filter((f) => f.code === 'dns/replica-ok')).toHaveLength(2);
  });
  it.runIf(has('200-overlay-route-dropped'))('overlay broken: the headline names the pod on the failing node, 1 of 2, and the source node', () => {
    const { diagnosis } = analyzeFacts(load('200-overlay-route-dropped'));
    expect(diagnosis.headline).toMatch(/1 pod of payments\/payments-api on node \S+-node-b .* from node \S+-node-a; the 1 pod on \S+-node-a answers/);
    expect(diagnosis.headline).not.toMatch(/refuse/);
  });
  it.runIf(has('201-flannel-stopped-one-node'))('Flannel stopped: the crash-looping Flannel pod and its log line are evidence', () => {
    const { diagnosis } = analyzeFacts(load('201-flannel-stopped-one-node'));
    const agent = diagnosis.evidence.find((f) => f.code === 'node/agent-not-ready')!;
    expect(agent.summary).toMatch(/CNI agent on node \S+-node-b/);
    expect(agent.evidence.join('\n')).toMatch(/not Ready, 1 restart; last exit 1/);
    // the crashed run's own log lines (previous container) say why flanneld exits
    expect(agent.evidence.join('\n')).toMatch(/previous run: .*Failed to find interface to use/);
  });
});
