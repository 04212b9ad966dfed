// Test helpers shared by unit tests: load a recorded-facts fixture by situation name.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Facts } from '../../src/model/facts.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'facts');

/** test/fixtures/facts/<name>/facts.json, parsed (a fresh copy each call, safe to mutate). */
export function loadFacts(name: string): Facts {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'facts.json'), 'utf8')) as Facts;
}

/** Every fixture situation name. */
export const FACT_FIXTURES = [
  'healthy', 'selector-typo', 'wrong-target-port', 'pods-not-ready', 'coredns-down', 'default-deny-no-allow',
  'egress-deny-dns', 'pod-network-broken', 'kube-proxy-down', 'ingress-no-controller', 'ingress-class-mismatch',
  'ingress-backend-other-namespace', 'distroless-source', 'forbidden-reads',
] as const;
