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
  // plain loops, no Object.entries/fromEntries arrays (issue 11: a healthy run's facts took 5-7 ms
  // to copy cold, 2 ms this way; `analyze` copies them on reading and again after)
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = scrubObject(v[i]);
    return out;
  }
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in src) {
    if (!Object.hasOwn(src, k) || DROPPED_KEYS.has(k)) continue;
    const x = src[k];
    if (k === 'annotations' && typeof x === 'object' && x !== null && !Array.isArray(x)) {
      const kept: Record<string, unknown> = {};
      for (const a in x) if (Object.hasOwn(x, a) && a !== LAST_APPLIED) kept[a] = (x as Record<string, unknown>)[a];
      out[k] = kept;
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

/**
 * The same for a Gateway API controller: the target, the routes to it (name and ns/name), their
 * hostnames and their parent Gateways. (Traefik logs a TLS Secret's bytes in "Unable to parse
 * certificate ..." lines that name none of these: found by scenario 90.)
 */
export function gatewayLogNeedles(facts: Pick<Facts, 'request' | 'gateway'>): string[] {
  const t = facts.request.target;
  const out = [t.name, `${t.namespace}/${t.name}`];
  for (const { read } of facts.gateway?.routes ?? []) {
    if (read.state !== 'ok') continue;
    for (const r of read.value) {
      out.push(r.metadata.name, `${r.metadata.namespace ?? ''}/${r.metadata.name}`);
      for (const h of r.spec.hostnames ?? []) out.push(h);
    }
  }
  for (const key of Object.keys(facts.gateway?.gateways ?? {})) out.push(key, key.split('/')[1] ?? '');
  return [...new Set(out.filter(Boolean))];
}

type Controllers = Facts['ingress']['controllers'];
function keepLinesAbout(controllers: Controllers, needles: string[]): Controllers {
  return controllers.map((c) => ({
    ...c,
    logs: c.logs.map((l) =>
      l.lines.state === 'ok' ? { ...l, lines: { state: 'ok' as const, value: l.lines.value.filter((line) => needles.some((n) => line.includes(n))) } } : l,
    ),
  }));
}

/** Facts as they may be kept, shown and saved: see the file comment. Never mutates its input. */
export function redactFacts(facts: Facts): Facts {
  const clean = scrubObject(facts) as Facts;
  clean.ingress = { ...clean.ingress, controllers: keepLinesAbout(clean.ingress.controllers, logNeedles(clean)) };
  if (clean.gateway) clean.gateway = { ...clean.gateway, controllers: keepLinesAbout(clean.gateway.controllers, gatewayLogNeedles(clean)) };
  return clean;
}
