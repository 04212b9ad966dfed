// The seed article's two policies, loaded from test/fixtures/policy/seed-payments with the real loader.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/manifests/load.js';
import { runPolicyCommand } from '../../../src/cli/policy.js';
import { buildPolicyReport } from '../../../src/policy/build-report.js';
import { evaluateFlow } from '../../../src/policy/evaluate.js';
import { UserError } from '../../../src/errors.js';
import { resolveEndpoint } from '../../../src/policy/resolve.js';
import type { PolicyWorld } from '../../../src/policy/types.js';
import { WorldIndex } from '../../../src/policy/world-index.js';
import { addManifestText } from '../../../src/manifests/load.js';
import { WorldBuilder } from '../../../src/manifests/build-world.js';

const DIR = new URL('../../fixtures/policy/seed-payments/', import.meta.url).pathname;
let W: PolicyWorld;
const q = (src: string, dst: string, port?: string) => buildPolicyReport({ src, dst, port }, W);

beforeAll(async () => {
  const r = await loadManifests([DIR]);
  expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  W = r.world;
});

describe('seed: default-deny-ingress + allow-orders-to-payments', () => {
  it.each<[string, string, string, string | undefined, boolean]>([
    ['orders-api -> Service port 80 (targetPort 8080): denied, the rule says 80', 'orders/orders-api', 'payments/svc/payments-api', '80', false],
    ['orders-api -> pod port 80 directly: allowed by the AND peer', 'orders/orders-api', 'payments/deploy/payments-api', '80', true],
    ['tools/debug -> payments pod port 80: denied (namespace not orders)', 'tools/debug', 'payments/deploy/payments-api', '80', false],
    ['payments -> orders: orders is not isolated', 'payments/svc/payments-api', 'orders/orders-api', '8080', true],
  ])('%s', (_n, src, dst, port, expected) => {
    expect(q(src, dst, port).allowed).toBe(expected);
  });

  it('the Service resolves to its pods on the targetPort, and lints the Service port', () => {
    const r = q('orders/orders-api', 'payments/svc/payments-api', '80');
    const v = r.verdicts[0];
    expect(v).toMatchObject({ port: 8080, servicePort: 80, protocol: 'TCP' });
    expect(v.ingress.selectedBy.map((p) => p.name).sort()).toEqual(['allow-orders-to-payments', 'default-deny-ingress']);
    const miss = v.ingress.misses.find((m) => m.policy.name === 'allow-orders-to-payments')!;
    expect(miss).toMatchObject({ ruleIndex: 0, peerIndex: 0, portIndex: 0, lacks: ['wants TCP 80; flow is TCP 8080'] });
    const lint = v.lints.find((l) => l.code === 'service-port-not-target-port');
    expect(lint).toMatchObject({ policy: { name: 'allow-orders-to-payments' }, path: 'spec.ingress[0].ports[0]' });
    expect(lint!.message).toMatch(/targetPort 8080/);
  });

  it('a wrong namespace explains what the namespaceSelector wanted', () => {
    const v = q('tools/debug', 'payments/deploy/payments-api', '80').verdicts[0];
    const miss = v.ingress.misses.find((m) => m.policy.name === 'allow-orders-to-payments')!;
    expect(miss.lacks).toEqual([
      'namespaceSelector wants kubernetes.io/metadata.name=orders; namespace tools has {team: platform, kubernetes.io/metadata.name: tools}',
      'podSelector wants app=orders-api; pod tools/deployment/debug has {app: debug}',
    ]);
  });

  it('the suggested rule, once applied, admits the flow (and only adds what is needed)', () => {
    const v = q('orders/orders-api', 'payments/svc/payments-api', '80').verdicts[0];
    expect(v.suggestion).toMatch(/port: 8080/);
    expect(v.suggestion).toMatch(/kubernetes.io\/metadata.name: orders/);
    const b = new WorldBuilder();
    addManifestText(b, 'suggestion.yaml', v.suggestion!);
    expect(b.problems).toEqual([]);
    const patched: PolicyWorld = { ...W, policies: [...W.policies, ...b.finish().policies] };
    const idx = new WorldIndex(patched);
    const src = resolveEndpoint(idx, 'orders/orders-api', 'source').parties[0];
    const dst = resolveEndpoint(idx, 'payments/svc/payments-api', 'destination').parties[0];
    expect(evaluateFlow(idx, { src, dst, port: 8080, protocol: 'TCP' }).allowed).toBe(true);
    const debug = resolveEndpoint(idx, 'tools/debug', 'source').parties[0];
    expect(evaluateFlow(idx, { src: debug, dst, port: 8080, protocol: 'TCP' }).allowed).toBe(false);
  });

  it('renders all three formats, exit 1 when denied', async () => {
    const opts = { src: 'orders/orders-api', dst: 'payments/svc/payments-api', port: '80' };
    const table = await runPolicyCommand({ ...opts, output: 'table', color: false }, W);
    expect(table.exitCode).toBe(1);
    expect(table.text).toMatch(/DENIED/);
    expect(table.text).toMatch(/allow-orders-to-payments ingress\[0\]\.from\[0\] ports\[0\]: wants TCP 80; flow is TCP 8080/);
    expect(table.text).toMatch(/\[service-port-not-target-port\]/);
    const json = JSON.parse((await runPolicyCommand({ ...opts, output: 'json', color: false }, W)).text);
    expect(json).toMatchObject({ schema: 'k8snet.policy/v1', kind: 'verdict', allowed: false });
    expect(json.suggestions).toHaveLength(1);
    const md = await runPolicyCommand({ ...opts, output: 'markdown', color: false }, W);
    expect(md.text).toMatch(/^## NetworkPolicy verdict/);
    expect(md.text).toMatch(/```yaml/);
  });

  it('a destination ns/name prefers the same-named Service (checked on its targetPort); ns/deploy/name picks the workload', () => {
    const r = q('orders/orders-api', 'payments/payments-api', '80');
    expect(r.destination.kind).toBe('service');
    expect(r.verdicts[0]?.port).toBe(8080);
    const w = q('orders/orders-api', 'payments/deploy/payments-api', '8080');
    expect(w.destination.kind).toBe('workload');
  });
  it('a source ns/name prefers the workload and says how to name the Service', () => {
    const r = q('orders/orders-api', 'payments/payments-api', '80');
    expect(r.source.kind).toBe('workload');
  });

  it.each<[string, Record<string, string | undefined>]>([
    ['unknown service port', { src: 'orders/orders-api', dst: 'payments/svc/payments-api', port: '81' }],
    ['bad port', { src: 'orders/orders-api', dst: 'payments/svc/payments-api', port: '70000' }],
    ['bad protocol', { src: 'orders/orders-api', dst: 'payments/svc/payments-api', port: '80', protocol: 'ICMP' }],
    ['unknown name', { src: 'orders/nope', dst: 'payments/svc/payments-api', port: '80' }],
    ['unknown kind', { src: 'orders/widget/orders-api', dst: 'payments/svc/payments-api', port: '80' }],
    ['missing DST', { src: 'orders/orders-api' }],
    ['no --port and no declared port', { src: 'orders/orders-api', dst: 'tools/debug' }],
  ])('usage error: %s', async (_n, o) => {
    await expect(runPolicyCommand({ ...o, output: 'table', color: false }, W)).rejects.toSatisfy(
      (e: unknown) => e instanceof UserError && (e.why ?? '').length > 0 && (e.next ?? '').length > 0,
    );
  });

  it('namespace matrix on the pod port', async () => {
    const r = await runPolicyCommand({ matrix: 'orders,payments,tools', port: '8080', output: 'json', color: false }, W);
    const m = JSON.parse(r.text);
    expect(m.kind).toBe('namespace-matrix');
    // rows: from; columns: to. Nothing reaches payments on 8080 (the seed's rule says 80).
    expect(m.cells.map((row: { summary: string }[]) => row.map((c) => c.summary))).toEqual([
      ['all', 'none', 'all'],
      ['all', 'none', 'all'],
      ['all', 'none', 'all'],
    ]);
    expect(m.templated).toEqual(['orders', 'payments', 'tools']);
  });
});
