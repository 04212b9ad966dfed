// What facts may hold: everything analysis needs, nothing a ticket attachment must not carry.
// Applied when gathering ends (so live runs and `analyze` of a saved file judge the same facts),
// again when a facts file is written or read, and by test/fixtures/redact-fixtures.mjs.
// Pure and idempotent.

import type { Facts } from './facts.js';

/** The annotation kubectl apply keeps: a full copy of the applied object, env values included. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Keys dropped wherever they occur in a Kubernetes object: container `env` (literal values and
 * valueFrom references to Secrets/ConfigMaps) and `envFrom`, `managedFields` (field ownership,
 * noise), Secret `data`/`stringData` should a Secret ever be read in full. No check reads them.
 */
const DROPPED_KEYS = new Set(['env', 'envFrom', 'managedFields', 'data', 'stringData']);

/** A deep copy of a Kubernetes object (or any facts value) without the dropped keys. */
function scrubObject(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(scrubObject);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (DROPPED_KEYS.has(k)) continue;
    if (k === 'annotations' && x && typeof x === 'object' && !Array.isArray(x)) {
      out[k] = Object.fromEntries(Object.entries(x).filter(([a]) => a !== LAST_APPLIED));
      continue;
    }
    out[k] = scrubObject(x);
  }
  return out;
}

/**
 * The strings that make an Ingress controller's log line "about the objects in question": the
 * target Service's name, the routed Ingresses (name and ns/name) and their hosts. Lines mentioning
 * none of them (other tenants' routes, general noise) are not kept.
 */
export function logNeedles(facts: Pick<Facts, 'request' | 'ingress'>): string[] {
  const t = facts.request.target;
  const ings = facts.ingress.ingresses.state === 'ok' ? facts.ingress.ingresses.value : [];
  const out = [t.name, `${t.namespace}/${t.name}`];
  for (const ing of ings) {
    out.push(ing.metadata.name, `${ing.metadata.namespace ?? ''}/${ing.metadata.name}`);
    for (const r of ing.spec.rules ?? []) if (r.host) out.push(r.host);
  }
  return [...new Set(out.filter(Boolean))];
}

/** Facts as they may be kept, shown and saved: see the file comment. Never mutates its input. */
export function redactFacts(facts: Facts): Facts {
  const clean = scrubObject(facts) as Facts;
  const needles = logNeedles(clean);
  clean.ingress = {
    ...clean.ingress,
    controllers: clean.ingress.controllers.map((c) => ({
      ...c,
      logs: c.logs.map((l) => (l.lines.state === 'ok' ? { ...l, lines: { state: 'ok' as const, value: l.lines.value.filter((line) => needles.some((n) => line.includes(n))) } } : l)),
    })),
  };
  return clean;
}
