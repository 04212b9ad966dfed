// Step 5 (Ingress), the mesh layer, the predicted-vs-observed cross-check, and the code catalogue.

import { describe, expect, it } from 'vitest';
import { checkCrossLayer } from '../../../src/checks/cross-check.js';
import { checkIngress, relevantLogLines } from '../../../src/checks/ingress.js';
import { resolveClass } from '../../../src/util/ingress-class.js';
import { checkMesh } from '../../../src/checks/mesh.js';
import { runChecks } from '../../../src/checks/run.js';
import { CODES, layerOf } from '../../../src/model/codes.js';
import type { Facts } from '../../../src/model/facts.js';
import type { Finding } from '../../../src/model/finding.js';
import type { Ingress, IngressClass, Pod } from '../../../src/model/k8s.js';
import { SYNTHETIC_FACT_FIXTURES, loadFacts } from '../helpers.js';

const ing = (f: Facts) => (f.ingress.ingresses as { value: Ingress[] }).value;
const ingressCodes = (f: Facts) => checkIngress(f).map((x) => `${x.code}:${x.status}`);

function withIngress(): Facts {
  const f = loadFacts('ingress-class-mismatch');
  ing(f)[0].spec.ingressClassName = 'traefik';
  ing(f)[0].status = { loadBalancer: { ingress: [{ ip: '10.96.80.80' }] } };
  return f;
}

describe('step 5: Ingress', () => {
  it('IngressClass resolution: spec, legacy annotation, default class', () => {
    const classes = [
      { metadata: { name: 'traefik', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 't' } },
    ] as IngressClass[];
    const base = { metadata: { name: 'x', namespace: 'p' }, spec: {} } as Ingress;
    expect(resolveClass({ ...base, spec: { ingressClassName: 'nginx' } }, classes)).toMatchObject({
      name: 'nginx',
      via: 'spec.ingressClassName',
      cls: undefined,
    });
    expect(resolveClass({ ...base, metadata: { name: 'x', annotations: { 'kubernetes.io/ingress.class': 'traefik' } } }, classes)).toMatchObject({
      name: 'traefik',
      via: 'annotation kubernetes.io/ingress.class',
    });
    expect(resolveClass(base, classes)).toMatchObject({ name: 'traefik', via: 'default IngressClass' });
    expect(resolveClass(base, [])).toMatchObject({ via: 'none' });
  });

  it('a working Ingress passes class, controller and backend', () => {
    expect(ingressCodes(withIngress())).toEqual(['ingress/class-ok:pass', 'ingress/controller-ready:pass', 'ingress/backend-ok:pass']);
  });

  const cases: [string, (f: Facts) => void, string][] = [
    [
      'no class, no default, and no evidence any controller serves it',
      (f) => {
        delete ing(f)[0].spec.ingressClassName;
        delete (f.ingress.classes as { value: IngressClass[] }).value[0].metadata.annotations;
        ing(f)[0].status = {};
      },
      'ingress/no-class:fail',
    ],
    [
      'backend port not exposed',
      (f) => {
        ing(f)[0].spec.rules![0].http!.paths[0].backend.service!.port = { number: 8080 };
      },
      'ingress/backend-port-missing:fail',
    ],
    [
      'controller pods not ready',
      (f) => {
        (f.ingress.controllers[0].pods as { value: Pod[] }).value[0].status!.conditions = [];
      },
      'ingress/controller-not-ready:fail',
    ],
    [
      'not admitted',
      (f) => {
        ing(f)[0].status = {};
      },
      'ingress/not-admitted:warn',
    ],
    [
      'TLS secret missing',
      (f) => {
        ing(f)[0].spec.tls = [{ hosts: ['payments.lab.local'], secretName: 'payments-tls' }];
        f.ingress.tlsSecrets = [{ namespace: 'payments', name: 'payments-tls', exists: { state: 'ok', value: false } }];
      },
      'ingress/tls-secret-missing:warn',
    ],
    [
      'TLS secret forbidden',
      (f) => {
        ing(f)[0].spec.tls = [{ secretName: 'payments-tls' }];
        f.ingress.tlsSecrets = [{ namespace: 'payments', name: 'payments-tls', exists: { state: 'forbidden', message: 'forbidden' } }];
      },
      'ingress/unreadable:unknown',
    ],
    [
      'ingresses forbidden',
      (f) => {
        f.ingress.ingresses = { state: 'forbidden', message: 'forbidden' };
      },
      'ingress/unreadable:unknown',
    ],
  ];
  it.each(cases)('%s', (_n, mutate, want) => {
    const f = withIngress();
    mutate(f);
    expect(ingressCodes(f)).toContain(want);
  });

  it.each([
    [404, 'ingress/route-not-matched'],
    [503, 'ingress/backend-error'],
    [200, 'ingress/probe-ok'],
  ])('probe through the controller answering %i -> %s', (status, code) => {
    const f = withIngress();
    const p = structuredClone(f.probes.find((x) => x.id === 'clusterip/80')!);
    p.id = 'ingress/payments/payments-api/0/0';
    p.exec!.stdout = `${status} 1`;
    f.probes.push(p);
    expect(checkIngress(f).map((x) => x.code)).toContain(code);
  });

  describe('an Ingress without a class is judged on evidence (issue 15)', () => {
    const classless = (status: number | null, address: string | null): Facts => {
      const f = withIngress();
      delete ing(f)[0].spec.ingressClassName;
      delete (f.ingress.classes as { value: IngressClass[] }).value[0].metadata.annotations;
      ing(f)[0].status = address ? { loadBalancer: { ingress: [{ ip: address }] } } : {};
      if (status !== null) {
        const p = structuredClone(f.probes.find((x) => x.id === 'clusterip/80')!);
        p.id = 'ingress/payments/payments-api/0/0';
        p.target = { host: '10.96.80.80', port: 80, path: '/', hostHeader: 'payments.lab.local' };
        p.exec!.stdout = `${status} 1`;
        f.probes.push(p);
      }
      return f;
    };
    it.each([
      ['routed through the controller, address published by it', 200, '10.96.80.80', 'ingress/no-class:warn'],
      ['routed through the controller, no status address', 200, null, 'ingress/no-class:warn'],
      ['not probed, but the controller published its address', null, '10.96.80.80', 'ingress/no-class:warn'],
      ['the controller answers 404 for the host: not served', 404, '10.96.80.80', 'ingress/no-class:fail'],
      ['not probed and no status address: no evidence, a fault', null, null, 'ingress/no-class:fail'],
      ['not probed, an address no candidate controller owns', null, '192.0.2.10', 'ingress/no-class:fail'],
    ] as const)('%s -> %s', (_n, status, address, want) => {
      const got = checkIngress(classless(status, address)).find((x) => x.code === 'ingress/no-class')!;
      expect(`${got.code}:${got.status}`).toBe(want);
      if (want.endsWith('warn')) expect(got.summary).toMatch(/traefik serves it anyway.*relies on controller defaults/);
    });
  });

  it('controller logs: lines about this route and error lines, at most ten', () => {
    const lines = [
      ...Array.from({ length: 30 }, (_, i) => `level=info msg="tick ${i}"`),
      'level=error msg="x" service=payments-api',
      'level=error msg="unrelated"',
    ];
    const got = relevantLogLines(lines, ['payments-api']);
    expect(got).toEqual(['level=error msg="x" service=payments-api', 'level=error msg="unrelated"']);
    expect(
      relevantLogLines(
        Array.from({ length: 30 }, (_, i) => `E0504 payments-api ${i}`),
        ['payments-api'],
      ),
    ).toHaveLength(10);
  });
});

describe('mesh', () => {
  it.each([
    ['Istio sidecar on the target', (p: Pod) => p.spec.containers.push({ name: 'istio-proxy' }), 'Istio'],
    [
      'Linkerd native sidecar',
      (p: Pod) => {
        p.spec.initContainers = [{ name: 'linkerd-proxy', restartPolicy: 'Always' }];
      },
      'Linkerd',
    ],
  ])('%s', (_n, add, mesh) => {
    const f = loadFacts('healthy');
    for (const p of (f.namespacePods as { value: Pod[] }).value) add(p);
    const out = checkMesh(f);
    expect(out.map((x) => [x.code, x.data?.mesh, x.data?.side])).toEqual([['mesh/sidecar', mesh, 'target']]);
    expect(layerOf(out[0].code)).toBe('mesh');
  });
  it('an init container that is not a native sidecar is not a mesh', () => {
    const f = loadFacts('healthy');
    (f.namespacePods as { value: Pod[] }).value[0].spec.initContainers = [{ name: 'istio-proxy' }];
    expect(checkMesh(f)).toEqual([]);
  });
});

describe('cross-check: predicted vs observed', () => {
  // hand-written findings carry only the verdict fields the cross-check reads
  const pol = (allowed: boolean): Finding =>
    ({
      code: allowed ? 'policy/allowed' : 'policy/ingress-denied',
      step: 'policy',
      status: allowed ? 'pass' : 'fail',
      summary: 'p',
      evidence: [],
      data: { verdict: { allowed, ingress: { allowed, selectedBy: [{ namespace: 'payments', name: 'deny' }] } } },
    }) as unknown as Finding;
  const obs = (outcome: 'ok' | 'timeout'): Finding => ({
    code: outcome === 'ok' ? 'clusterip/reachable' : 'clusterip/timeout',
    step: 'clusterip',
    status: 'pass',
    summary: outcome,
    evidence: [],
    data: { probeId: 'clusterip/0', outcome, target: '10.96.0.10:80' },
  });
  it.each([
    [false, 'ok', 'crosscheck/not-enforced', 'warn'],
    [true, 'timeout', 'crosscheck/dropped-despite-allow', 'fail'],
    [false, 'timeout', 'crosscheck/agree', 'info'],
    [true, 'ok', 'crosscheck/agree', 'info'],
  ] as const)('policy allowed=%s, probe %s -> %s', (allowed, outcome, code, status) => {
    const out = checkCrossLayer(loadFacts('healthy'), [pol(allowed), obs(outcome)]);
    expect(out.map((x) => [x.code, x.status])).toEqual([[code, status]]);
  });
  it('not-enforced names the policy', () => {
    expect(checkCrossLayer(loadFacts('healthy'), [pol(false), obs('ok')])[0].summary).toMatch(
      /^NetworkPolicy payments\/deny should deny this traffic, but packets pass/,
    );
  });
  it('no verdict, no cross-check', () => {
    expect(checkCrossLayer(loadFacts('healthy'), [obs('ok')])).toEqual([]);
  });
});

describe('code catalogue', () => {
  it('every code any fixture produces is in the catalogue, with a layer', () => {
    for (const name of SYNTHETIC_FACT_FIXTURES) {
      for (const f of runChecks(loadFacts(name))) expect(layerOf(f.code), `${name}: ${f.code}`).toBeDefined();
    }
  });
  it('codes are area/kebab slugs', () => {
    for (const code of Object.keys(CODES)) expect(code).toMatch(/^[a-z]+\/[a-z0-9-]+$/);
  });
});
