// The MTU check towards the source (--large-response-path): lab captures of scenarios 208 (the
// source's node drops full-size frames arriving from the other node) and 209 (the same world, healthy),
// plus the pieces: curl's size_download in the -w line, and what a too-small page means.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/diagnosis/index.js';
import type { Facts } from '../../../src/model/facts.js';
import { analyzeFacts, validateFacts } from '../../../src/pipeline.js';
import { buildHttpProbe, CURL_WRITE_OUT_SIZE } from '../../../src/probes/build-http-probe.js';
import { parseCurl } from '../../../src/probes/parse-curl.js';
import { parsePath } from '../../../src/cli/args.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const load = (name: string): Facts => {
  const file = path.join(root, 'test/fixtures/recorded', name, 'facts.json');
  return validateFacts(JSON.parse(readFileSync(file, 'utf8')), file);
};
const exec = (exitCode: number, stdout: string) => ({
  namespace: 'n',
  pod: 'p',
  container: 'c',
  argv: ['curl'],
  state: 'completed' as const,
  exitCode,
  stdout,
  stderr: '',
  elapsedMs: 5,
});

describe('large responses towards the source (MTU, the other direction)', () => {
  it('208: the response from the other node stalls; named with the node pair, the request direction passes', () => {
    const { findings, diagnosis } = analyzeFacts(load('208-mtu-lowered-source-node'));
    const dropped = findings.filter((f) => f.code === 'mtu/large-response-dropped');
    expect(dropped).toHaveLength(1);
    expect(dropped[0].summary).toMatch(/on the path node k8snet-node-b -> node k8snet-node-a/);
    // the same-node endpoint's large response arrives: the page is large and the app serves it
    expect(
      findings
        .filter((f) => f.code === 'mtu/large-response-ok')
        .map((f) => f.summary)
        .join('\n'),
    ).toMatch(/on node k8snet-node-a/);
    expect(findings.some((f) => f.code === 'mtu/large-packets-dropped')).toBe(false);
    expect(diagnosis.rule).toBe('mtu-black-hole');
    expect(diagnosis.layer).toBe('pod-network');
    expect(diagnosis.headline).toMatch(/^Large packets from node k8snet-node-b to node k8snet-node-a \(the large response from \/large\/x+\.\.\. stalls\)/);
    expect(diagnosis.headline.length).toBeLessThan(300);
    expect(exitCodeFor(diagnosis)).toBe(1);
  });

  it('209: healthy, the large response arrives from the pod on each node', () => {
    const { findings, diagnosis } = analyzeFacts(load('209-large-response-healthy'));
    const ok = findings.filter((f) => f.code === 'mtu/large-response-ok');
    expect(new Set(ok.map((f) => (f.data as { node?: string }).node))).toEqual(new Set(['k8snet-node-a', 'k8snet-node-b']));
    for (const f of ok) expect((f.data as { bytes: number }).bytes).toBeGreaterThanOrEqual(1500);
    expect(diagnosis.verdict).toBe('healthy');
  });

  it('a page smaller than a packet, or a tool that cannot count bytes, tests nothing: info, never pass or fail', () => {
    for (const stdout of ['200 1 size=900', '200 1']) {
      const facts = structuredClone(load('209-large-response-healthy'));
      for (const p of facts.probes) if (p.id.startsWith('endpoint-large-response/') && p.exec) p.exec.stdout = stdout;
      const { findings, diagnosis } = analyzeFacts(facts);
      const untested = findings.filter((f) => f.code === 'mtu/large-response-untested');
      expect(untested.length, stdout).toBe(2);
      expect(untested[0].status).toBe('info');
      expect(untested[0].summary).toMatch(stdout.includes('size') ? /900 bytes, less than 1500/ : /unknown size/);
      expect(findings.some((f) => f.code === 'mtu/large-response-ok' || f.code === 'mtu/large-response-dropped')).toBe(false);
      expect(diagnosis.verdict).toBe('healthy');
    }
  });

  it('curl reports the body bytes only when asked, and the -w line still parses', () => {
    const argv = buildHttpProbe({ curl: true }, { host: '10.244.1.9', port: 8080, path: '/metrics', measureBody: true }, 2)!.argv;
    expect(argv[argv.indexOf('-w') + 1]).toBe(CURL_WRITE_OUT_SIZE);
    const plain = buildHttpProbe({ curl: true }, { host: '10.244.1.9', port: 8080, path: '/metrics' }, 2)!.argv;
    expect(plain[plain.indexOf('-w') + 1]).not.toContain('size');
    const o = parseCurl(exec(0, '200 1 size=2304'), 'http');
    expect(o).toMatchObject({ kind: 'ok', httpStatus: 200, bodyBytes: 2304 });
    expect(o.tlsHandshake).toBeUndefined();
    expect(parseCurl(exec(28, '200 1 size=0'), 'http')).toMatchObject({ kind: 'timeout', connected: true, bodyBytes: 0 });
  });

  it('--large-response-path is checked like --path and names its own flag', () => {
    expect(parsePath('/metrics', '--large-response-path')).toBe('/metrics');
    expect(() => parsePath('/a b', '--large-response-path')).toThrow(/--large-response-path: "\/a b" is not an HTTP path/);
    expect(() => parsePath(`/${'x'.repeat(2100)}`, '--large-response-path')).toThrow(/--large-response-path: "\/x+\.\.\." is not an HTTP path/);
  });
});
