// Issue 16 items 2 and 3: saved facts keep what analysis needs and nothing a ticket must not carry
// (env values, valueFrom references, last-applied-configuration, managedFields, unrelated log
// lines); the file is 0600 and written only when there are facts.

import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { writeFactsFile } from '../../../src/cli/save-facts.js';
import type { Facts } from '../../../src/model/facts.js';
import { LAST_APPLIED, redactFacts } from '../../../src/model/redact-facts.js';
import { analyzeFacts } from '../../../src/pipeline.js';
import { loadFacts } from '../helpers.js';

const MARK = 'k8snet-unit-secret-7a1f';

/** The healthy fixture with a planted secret in every place a pod or workload can carry one. */
function plantedFacts(): Facts {
  const f = loadFacts('ingress-backend-other-namespace');
  const env = [
    { name: 'DB_PASSWORD', value: MARK },
    { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: `db-${MARK}`, key: 'pw' } } },
  ];
  const plant = (pod: { metadata: { annotations?: Record<string, string> }; spec: { containers: object[] } }) => {
    pod.metadata.annotations = { ...pod.metadata.annotations, [LAST_APPLIED]: JSON.stringify({ env }), keep: 'me' };
    (pod.metadata as Record<string, unknown>).managedFields = [{ manager: 'kubectl', fieldsV1: { 'f:env': MARK } }];
    pod.spec.containers = pod.spec.containers.map((c) => ({ ...c, env, envFrom: [{ secretRef: { name: MARK } }] }));
  };
  if (f.namespacePods.state === 'ok') f.namespacePods.value.forEach(plant);
  if (f.source.state === 'ok') plant(f.source.value.pod);
  if (f.dns.pods.state === 'ok') f.dns.pods.value.forEach(plant);
  if (f.daemonSets.state === 'ok') for (const d of f.daemonSets.value) if (d.spec.template?.spec) plant({ metadata: d.metadata, spec: d.spec.template.spec });
  for (const c of f.ingress.controllers) {
    if (c.pods.state === 'ok') c.pods.value.forEach(plant);
    for (const l of c.logs) if (l.lines.state === 'ok') l.lines.value.push(`time=x level=error msg="route other-tenant/shop ${MARK}"`);
  }
  return f;
}

describe('redactFacts', () => {
  it('no env value, valueFrom reference, envFrom, last-applied or managedFields survives', () => {
    const raw = plantedFacts();
    expect(JSON.stringify(raw)).toContain(MARK);
    const text = JSON.stringify(redactFacts(raw));
    expect(text).not.toContain(MARK);
    expect(text).not.toContain('DB_PASSWORD');
    expect(text).not.toContain(LAST_APPLIED);
    expect(text).not.toContain('managedFields');
    expect(text).toContain('"keep":"me"'); // other annotations stay
  });

  it('keeps controller log lines about the objects in question only', () => {
    const raw = plantedFacts();
    const lines = redactFacts(raw).ingress.controllers.flatMap((c) => c.logs.flatMap((l) => (l.lines.state === 'ok' ? l.lines.value : [])));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/payments-api|api-ingress|production/);
  });

  it('does not change what analysis concludes on any fixture, and is idempotent', async () => {
    const { SYNTHETIC_FACT_FIXTURES } = await import('../helpers.js');
    for (const name of SYNTHETIC_FACT_FIXTURES) {
      const f = loadFacts(name);
      const a = analyzeFacts(f).diagnosis;
      const once = redactFacts(f);
      const b = analyzeFacts(once).diagnosis;
      expect([name, b.verdict, b.layer, b.rule]).toEqual([name, a.verdict, a.layer, a.rule]);
      expect(redactFacts(once)).toEqual(once);
    }
  });

  it('no output format shows a planted env value', async () => {
    const { renderJson, renderMarkdown, renderTable } = await import('../../../src/report/index.js');
    const { report } = analyzeFacts(redactFacts(plantedFacts()));
    for (const out of [renderJson(report), renderMarkdown(report), renderTable(report, { color: false, verbose: false })]) expect(out).not.toContain(MARK);
  });
});

describe('writing the facts file', () => {
  it('writes redacted facts with mode 0600, also over an existing world-readable file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8snet-save-'));
    const file = join(dir, 'facts.json');
    writeFileSync(file, 'old');
    chmodSync(file, 0o644);
    writeFactsFile(file, plantedFacts());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(MARK);
    expect(JSON.parse(text).schemaVersion).toBe(1);
  });

  it('a run that fails before any facts exist leaves no file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8snet-save-'));
    const file = join(dir, 'facts.json');
    let err = '';
    const io = { out: () => undefined, err: (t: string) => void (err += t), stderrIsTty: false, stdoutIsTty: false };
    const code = await main(['node', 'k8snet', 'diagnose', 'payments/payments-api', '--kubeconfig', join(dir, 'missing-kubeconfig'), '--save', file], io);
    expect(code).not.toBe(0);
    expect(err).toContain('error:');
    expect(existsSync(file)).toBe(false);
  });

  it('an unwritable --save path is still refused up front (exit 2), without creating anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8snet-save-'));
    const file = join(dir, 'no-such-dir', 'facts.json');
    let err = '';
    const io = { out: () => undefined, err: (t: string) => void (err += t), stderrIsTty: false, stdoutIsTty: false };
    expect(await main(['node', 'k8snet', 'diagnose', 'payments/payments-api', '--kubeconfig', join(dir, 'kc'), '--save', file], io)).toBe(2);
    expect(err).toContain('--save');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('recorded and hand-made fixtures carry no env', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
  const files = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : e.name.endsWith('.json') ? [join(d, e.name)] : []));
  const offending = (v: unknown, path: string): string[] => {
    if (Array.isArray(v)) return v.flatMap((x, i) => offending(x, `${path}[${i}]`));
    if (!v || typeof v !== 'object') return [];
    return Object.entries(v).flatMap(([k, x]) =>
      ['env', 'envFrom', 'managedFields'].includes(k) || k === LAST_APPLIED ? [`${path}.${k}`] : offending(x, `${path}.${k}`),
    );
  };
  it.each(files(root).map((f) => [f.slice(root.length + 1), f]))('%s', (_rel, file) => {
    expect(offending(JSON.parse(readFileSync(file, 'utf8')), '')).toEqual([]);
  });
});

describe('redactFacts: Gateway API controller logs', () => {
  it('keeps only lines about the routes, Gateways and target; drops a TLS Secret logged by the controller (scenario 90)', () => {
    const f = plantedFacts();
    const controller = structuredClone(f.ingress.controllers[0]);
    const line = (s: string) => `2026-12-01T04:05:13Z ${s}`;
    controller.logs = [
      {
        pod: 'traefik-0',
        namespace: 'traefik',
        container: 'traefik',
        lines: {
          state: 'ok',
          value: [
            line(`ERR Unable to parse certificate ${MARK} error="tls: failed to find any PEM data"`),
            line('ERR route production/api-route: backend not found'),
            line('INF gateway traefik/lab-gateway programmed'),
          ],
        },
      },
    ];
    f.gateway = {
      routes: [
        {
          kind: 'HTTPRoute',
          read: { state: 'ok', value: [{ metadata: { name: 'api-route', namespace: 'production' }, spec: { hostnames: ['api.example.com'] } }] },
        },
      ],
      gateways: { 'traefik/lab-gateway': { state: 'not-found' } },
      controllers: [controller],
    } as unknown as NonNullable<Facts['gateway']>;
    const kept = redactFacts(f).gateway!.controllers[0].logs[0].lines;
    expect(kept.state).toBe('ok');
    const lines = kept.state === 'ok' ? kept.value : [];
    expect(lines.join('\n')).not.toContain(MARK);
    expect(lines).toHaveLength(2);
  });
});
