// Parses and validates what the user typed (names, selectors, durations, ports) into typed values;
// every rejection is a UserError saying what is wrong and how to write it.

import { UserError } from '../errors.js';
import type { NsName } from '../model/facts.js';
import type { RouteKind } from '../model/gateway-api.js';
import type { OutputFormat } from '../report/types.js';
import { parseSelector } from '../util/selector.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function validateNamespace(ns: string, flag: string): string {
  if (ns.length > 63 || !DNS1123_LABEL.test(ns)) {
    throw new UserError({
      message: `${flag}: "${ns}" is not a valid namespace name`,
      why: 'namespace names are DNS-1123 labels: lower-case letters, digits and "-", at most 63 characters, starting and ending with a letter or digit',
      next: 'check the spelling with `kubectl get namespaces`',
    });
  }
  return ns;
}

export function validateName(name: string, flag: string, kind = 'object'): string {
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    throw new UserError({
      message: `${flag}: "${name}" is not a valid ${kind} name`,
      why: 'Kubernetes names are lower-case letters, digits, "-" and "." (DNS-1123), at most 253 characters',
      next: 'write it as NAMESPACE/NAME, e.g. payments/payments-api',
    });
  }
  return name;
}

/** "ns/name" or "name" (in the default namespace). */
export function parseRef(text: string, defaultNs: string, flag: string, kind: string): NsName {
  const t = text.trim();
  if (!t) throw new UserError({ message: `${flag}: empty ${kind} name`, next: 'write it as NAMESPACE/NAME' });
  const parts = t.split('/');
  if (parts.length > 2) {
    throw new UserError({
      message: `${flag}: "${t}" has more than one "/"`,
      why: `a ${kind} is written NAMESPACE/NAME or NAME`,
      next: 'e.g. payments/payments-api',
    });
  }
  const [ns, name] = parts.length === 2 ? [parts[0], parts[1]] : [defaultNs, parts[0]];
  return { namespace: validateNamespace(ns, flag), name: validateName(name, flag, kind) };
}

/** --from: ns/name, name, ns/label-selector, or label-selector. */
export function parseFrom(text: string, defaultNs: string): { raw: string; namespace: string; name?: string; selector?: string } {
  const t = text.trim();
  const slash = t.indexOf('/');
  const looksSelector = (s: string) => /[=!(),]|\s(in|notin)\s/.test(s);
  // A selector may itself contain "/" in its keys (app.kubernetes.io/name=x); the namespace part never has "=".
  let ns = defaultNs;
  let rest = t;
  if (slash > 0 && !looksSelector(t.slice(0, slash)) && !t.slice(0, slash).includes('.')) {
    // namespaces never contain "."; a prefix with dots is a label key prefix (app.kubernetes.io/name=x)
    ns = t.slice(0, slash);
    rest = t.slice(slash + 1);
  }
  validateNamespace(ns, '--from');
  if (looksSelector(rest)) {
    try {
      parseSelector(rest);
    } catch (e) {
      throw new UserError({
        message: `--from: "${rest}" is not a valid label selector`,
        why: (e as Error).message,
        next: 'write it like orders/app=orders-api or orders/app in (a,b)',
      });
    }
    return { raw: t, namespace: ns, selector: rest };
  }
  return { raw: t, namespace: ns, name: validateName(rest, '--from', 'pod or workload') };
}

/** "3s", "500ms", "1m", or a bare number of seconds. */
export function parseDuration(text: string, flag: string, maxMs = 3600000): number {
  const m = String(text)
    .trim()
    .match(/^(\d+(?:\.\d+)?)(ms|s|m)?$/);
  if (!m) {
    throw new UserError({ message: `${flag}: "${text}" is not a duration`, next: 'write it like 3s, 500ms or 1m' });
  }
  const n = Number(m[1]);
  const ms = m[2] === 'ms' ? n : m[2] === 'm' ? n * 60000 : n * 1000;
  if (ms < 100 || ms > maxMs) {
    const max = maxMs % 3600000 === 0 ? `${maxMs / 3600000}h` : `${maxMs / 1000} s`;
    throw new UserError({ message: `${flag}: ${text} is out of range`, why: `it must be between 100ms and ${max}`, next: `use at most ${max}` });
  }
  return Math.round(ms);
}

export { parsePortArg } from '../util/port.js';

/** --path: an absolute HTTP path without spaces, quotes or control characters. */
export function parsePath(text: string, flag = '--path'): string {
  if (!/^\/[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*$/.test(text) || text.length > 2048) {
    throw new UserError({
      message: `${flag}: "${text.length > 80 ? `${text.slice(0, 80)}...` : text}" is not an HTTP path k8snet can probe`,
      why: 'it must start with "/", be at most 2048 characters and contain only URL characters (no spaces, quotes, backslashes or control characters)',
      next: 'percent-encode anything else, e.g. --path /health',
    });
  }
  return text;
}

export function parseOutput(text: string | undefined, isTty: boolean): OutputFormat {
  if (text === undefined) return isTty ? 'table' : 'table';
  if (text === 'table' || text === 'json' || text === 'markdown' || text === 'md') return text === 'md' ? 'markdown' : text;
  throw new UserError({ message: `-o: unknown output format "${text}"`, next: 'use -o table, -o json or -o markdown' });
}

/** --route: [KIND/]NAMESPACE/NAME or NAME; KIND is httproute, grpcroute, tlsroute, tcproute or udproute (default httproute). */
export function parseRouteRef(text: string, defaultNs: string): { kind: RouteKind; namespace: string; name: string } {
  const t = text.trim();
  const parts = t.split('/');
  const kinds: Record<string, RouteKind> = { httproute: 'HTTPRoute', grpcroute: 'GRPCRoute', tlsroute: 'TLSRoute', tcproute: 'TCPRoute', udproute: 'UDPRoute' };
  let kind: RouteKind = 'HTTPRoute';
  if (parts.length === 3) {
    const k = kinds[parts[0].toLowerCase().replace(/s$/, '')];
    if (!k) {
      throw new UserError({
        message: `--route: unknown route kind "${parts[0]}"`,
        why: 'k8snet follows HTTPRoute, GRPCRoute, TLSRoute, TCPRoute and UDPRoute',
        next: 'write it as [KIND/]NAMESPACE/NAME, e.g. grpcroute/payments/api',
      });
    }
    kind = k;
    parts.shift();
  }
  const ref = parseRef(parts.join('/'), defaultNs, '--route', 'route');
  return { kind, ...ref };
}

/** --probe: tcp (connect only), http, https or dns. */
export function parseProbeArg(text: string): 'tcp' | 'http' | 'https' | 'dns' {
  const v = text.trim().toLowerCase();
  if (v === 'tcp' || v === 'http' || v === 'https' || v === 'dns') return v;
  throw new UserError({
    message: `--probe: "${text}" is not a probe kind`,
    why: 'k8snet speaks tcp (connect only), http, https (TLS, certificate not verified) or dns after connecting',
    next: 'use --probe tcp for databases and other non-HTTP ports, or leave it out to decide per port',
  });
}
