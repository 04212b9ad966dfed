// Properties on random small worlds: the fast path agrees with the explaining path, and the folded
// namespace matrix counts exactly the pod pairs a brute-force pod matrix allows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NetworkPolicy, NetworkPolicyPeer } from '../../../src/model/k8s.js';
import { evaluateFlow, isFlowAllowed } from '../../../src/policy/evaluate.js';
import { namespaceMatrix, podMatrix } from '../../../src/policy/matrix.js';
import { WorldIndex } from '../../../src/policy/world-index.js';
import { ns, pod, policy, world } from './world-helpers.js';

const NSS = ['a', 'b', 'c'];
const val = fc.constantFrom('x', 'y', 'z');
const labels = fc.record({ app: val, tier: val }, { requiredKeys: [] });
const selector = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: fc.record({ app: val }) }),
  fc.record({
    matchExpressions: fc
      .tuple(fc.constantFrom('app', 'tier'), fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'), val)
      .map(([key, operator, v]) => [{ key, operator, ...(operator === 'In' || operator === 'NotIn' ? { values: [v] } : {}) }]),
  }),
);
const peer: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  selector.map((s) => ({ podSelector: s })),
  selector.map((s) => ({ namespaceSelector: s })),
  fc.tuple(selector, selector).map(([n, p]) => ({ namespaceSelector: n, podSelector: p })),
  fc.constant({ ipBlock: { cidr: '10.0.0.0/8' } }),
);
const ports = fc.option(
  fc.array(
    fc.oneof(
      fc.record({ port: fc.constantFrom(80, 8080) }),
      fc.constant({ port: 'http' }),
      fc.constant({ port: 8000, endPort: 8100 }),
      fc.constant({ protocol: 'UDP' }),
    ),
    { maxLength: 2 },
  ),
  { nil: undefined },
);
const rule = fc.record({ peers: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }), ports });
const pol = fc.record({
  ns: fc.constantFrom(...NSS),
  sel: selector,
  types: fc.constantFrom(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined }),
});
const worldArb = fc.record({
  pods: fc.array(fc.record({ ns: fc.constantFrom(...NSS), labels, http: fc.constantFrom(80, 8080) }), { minLength: 1, maxLength: 8 }),
  policies: fc.array(pol, { maxLength: 5 }),
  nsLabels: fc.array(labels, { minLength: 3, maxLength: 3 }),
});

function build(w: any) {
  const pods = w.pods.map((p: any, i: number) => pod(p.ns, `p${i}`, p.labels, { ip: `10.0.0.${i + 1}`, ports: [{ name: 'http', containerPort: p.http }] }));
  const policies: NetworkPolicy[] = w.policies.map((p: any, i: number) =>
    policy(p.ns, `np${i}`, {
      podSelector: p.sel,
      ...(p.types ? { policyTypes: p.types } : {}),
      ...(p.ingress ? { ingress: p.ingress.map((r: any) => ({ ...(r.peers ? { from: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })) } : {}),
      ...(p.egress ? { egress: p.egress.map((r: any) => ({ ...(r.peers ? { to: r.peers } : {}), ...(r.ports ? { ports: r.ports } : {}) })) } : {}),
    }),
  );
  return world({ namespaces: NSS.map((n, i) => ns(n, w.nsLabels[i])), pods, policies });
}

describe('engine properties', () => {
  it('isFlowAllowed equals evaluateFlow(...).allowed, and a denial always explains itself', () => {
    fc.assert(
      fc.property(worldArb, fc.constantFrom(80, 8080, 8050, 53), fc.constantFrom('TCP', 'UDP'), (w, port, proto) => {
        const W = build(w);
        const idx = new WorldIndex(W);
        for (const s of W.pods)
          for (const d of W.pods) {
            const v = evaluateFlow(idx, { src: { kind: 'pod', pod: s }, dst: { kind: 'pod', pod: d }, port, protocol: proto });
            expect(isFlowAllowed(idx, { kind: 'pod', pod: s }, { kind: 'pod', pod: d }, port, proto as 'TCP')).toBe(v.allowed);
            for (const dir of [v.egress, v.ingress]) {
              if (!dir.allowed) expect(dir.misses.length).toBe(dir.selectedBy.length);
              if (dir.allowed && dir.isolated) expect(dir.allowedBy.length).toBeGreaterThan(0);
            }
          }
      }),
      { numRuns: 150 },
    );
  });

  it('the folded namespace matrix counts exactly what the pod matrix allows', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const W = build(w);
        const idx = new WorldIndex(W);
        const pm = podMatrix(idx, W.pods, 8080, 'TCP');
        const nm = namespaceMatrix(new WorldIndex(W), NSS, 8080, 'TCP');
        NSS.forEach((from, i) =>
          NSS.forEach((to, j) => {
            let allowed = 0;
            pm.pods.forEach((s, a) =>
              pm.pods.forEach((d, b) => {
                if (s.namespace === from && d.namespace === to && pm.allowed[a][b]) allowed++;
              }),
            );
            expect(nm.cells[i][j].allowed).toBe(allowed);
          }),
        );
      }),
      { numRuns: 150 },
    );
  });
});
