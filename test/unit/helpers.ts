// Test helpers shared by unit tests: load a facts fixture from test/fixtures/facts by name.
// That tree is mostly SYNTHETIC: hand-made situations written by test/fixtures/facts/make-fixtures.mjs
// (one healthy world and one mutation of it per failure), listed in SYNTHETIC_FACT_FIXTURES. Its
// gateway-lab-* entries are lab captures. Facts recorded from the lab by the e2e scenarios live in
// test/fixtures/recorded/ (replayed by test/unit/recorded.test.ts).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Facts } from '../../src/model/facts.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'facts');

/** test/fixtures/facts/<name>/facts.json, parsed (a fresh copy each call, safe to mutate). */
export function loadFacts(name: string): Facts {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'facts.json'), 'utf8')) as Facts;
}

/** Every synthetic (hand-made) situation in test/fixtures/facts. */
export const SYNTHETIC_FACT_FIXTURES = [
  'healthy',
  'selector-typo',
  'wrong-target-port',
  'pods-not-ready',
  'coredns-down',
  'default-deny-no-allow',
  'egress-deny-dns',
  'pod-network-broken',
  'kube-proxy-down',
  'ingress-no-controller',
  'ingress-class-mismatch',
  'ingress-backend-other-namespace',
  'distroless-source',
  'forbidden-reads',
] as const;
