// Backends of a route: each backendRef Service exists in the namespace it names (default: the
// route's), its port is a Service port, and a cross-namespace reference is admitted by a
// ReferenceGrant *in the backend's namespace* whose from lists this route's kind and namespace and
// whose to lists this Service (or every Service). Weight 0 and rules without backendRefs explained.

import type { Facts, Read } from '../../model/facts.js';
import type { Finding } from '../../model/finding.js';
import { GATEWAY_GROUP, type GatewayRoute, type RouteParentStatus } from '../../model/gateway-api.js';
import type { Service } from '../../model/k8s.js';
import { admittingGrants, closestGrantMiss, suggestGrant } from '../../gateway/reference-grant.js';
import { backendPath, backendRefsOf, isServiceRef, routeNs, type BackendRefN } from '../../gateway/routes.js';
import { unreadableSentence } from '../lib/read.js';
import { condition, gf, routeGetCommand, routeName, routeSubject } from './lib.js';

function serviceRead(facts: Facts, b: BackendRefN): Read<Service> {
  const t = facts.request.target;
  if (b.namespace === t.namespace && b.name === t.name) return facts.service;
  return facts.gateway?.backendServices[`${b.namespace}/${b.name}`] ?? { state: 'skipped', message: 'not read' };
}

/** A fresh ResolvedRefs=True from the controller for every parent status: it resolved what k8snet doubts. */
function controllerResolved(route: GatewayRoute, statuses: RouteParentStatus[]): boolean {
  const gen = route.metadata.generation;
  return (
    statuses.length > 0 &&
    statuses.every((s) => {
      const c = condition(s.conditions, 'ResolvedRefs');
      return c?.status === 'True' && (c.observedGeneration === undefined || gen === undefined || c.observedGeneration >= gen);
    })
  );
}

export function checkBackends(facts: Facts, route: GatewayRoute, statuses: RouteParentStatus[]): Finding[] {
  const t = facts.request.target;
  const ns = routeNs(route);
  const id = routeName(route);
  const subject = routeSubject(route);
  const out: Finding[] = [];
  const ok: string[] = [];
  const resolvedByController = controllerResolved(route, statuses);
  const doubt = resolvedByController ? " — but the controller reports ResolvedRefs=True, so k8snet's reading may miss something" : '';
  (route.spec.rules ?? []).forEach((rule, ri) => {
    if ((rule.backendRefs ?? []).length === 0) {
      out.push(
        gf(
          'gateway/rule-no-backends',
          'info',
          `${id} spec.rules[${ri}] has no backendRefs: requests it matches get an error from the gateway (HTTP 500 for HTTPRoute, per the spec), unless a filter (redirect) answers them`,
          [],
          { subject },
        ),
      );
    }
  });
  for (const b of backendRefsOf(route)) {
    const where = `${backendPath(b)} -> ${b.kind} ${b.namespace}/${b.name}${b.port !== undefined ? `:${b.port}` : ''}${b.weight !== 1 ? ` weight ${b.weight}` : ''}`;
    const isTarget = isServiceRef(b) && b.namespace === t.namespace && b.name === t.name;
    const sev = isTarget ? ('fail' as const) : ('warn' as const);
    if (!isServiceRef(b)) {
      out.push(
        gf(
          'gateway/backend-other-kind',
          'info',
          `${id} ${backendPath(b)} is a ${b.group || 'core'}/${b.kind}, not a Service: k8snet does not follow it`,
          [where],
          { subject },
        ),
      );
      continue;
    }
    if (b.crossNamespace) {
      const read = facts.gateway?.referenceGrants[b.namespace];
      // ReferenceGrant not served at all: nothing can admit the reference
      const grants = read?.state === 'not-found' ? { state: 'ok' as const, value: [] } : read;
      const from = { group: GATEWAY_GROUP, kind: route.kind, namespace: ns };
      const to = { group: '', kind: 'Service', name: b.name, namespace: b.namespace };
      if (grants?.state === 'ok') {
        const admit = admittingGrants(grants.value, from, to);
        if (admit.length === 0) {
          const closest = closestGrantMiss(grants.value, from, to);
          out.push(
            gf(
              'gateway/backend-not-permitted',
              resolvedByController ? 'warn' : sev,
              `${id} in namespace ${ns} sends to Service ${b.namespace}/${b.name}, but no ReferenceGrant in ${b.namespace} allows ${route.kind}s from ${ns} to reach it: the reference is refused (RefNotPermitted)${doubt}`,
              [
                where,
                `ReferenceGrants in ${b.namespace}: ${grants.value.map((g) => g.metadata.name).join(', ') || 'none'}`,
                ...(closest ? [`closest: ${closest}`] : []),
              ],
              {
                subject,
                next: [`kubectl get referencegrants -n ${b.namespace} -o yaml`, routeGetCommand(route)],
                data: { suggestion: suggestGrant(from, to), suggestionTitle: `Suggested ReferenceGrant for namespace ${b.namespace} (review; never applied)` },
              },
            ),
          );
          continue;
        }
        ok.push(`${where} (admitted by ReferenceGrant ${b.namespace}/${admit[0].metadata.name})`);
      } else if (grants) {
        out.push(
          gf(
            'gateway/unreadable',
            'unknown',
            unreadableSentence(grants, { verb: 'list', resource: 'referencegrants.gateway.networking.k8s.io', namespace: b.namespace }),
            [where],
            { subject, next: ['k8snet rbac'], forbidden: grants.state === 'forbidden' },
          ),
        );
        continue;
      }
    }
    const read = serviceRead(facts, b);
    if (read.state === 'not-found') {
      out.push(
        gf(
          'gateway/backend-missing',
          resolvedByController ? 'warn' : isTarget || facts.request.route ? 'fail' : 'warn',
          `${id} sends to Service ${b.namespace}/${b.name}, which does not exist (BackendNotFound)${doubt}`,
          [where],
          { subject, next: [`kubectl get services -n ${b.namespace}`, routeGetCommand(route)] },
        ),
      );
      continue;
    }
    if (read.state !== 'ok') {
      out.push(
        gf('gateway/unreadable', 'unknown', unreadableSentence(read, { verb: 'get', resource: 'services', namespace: b.namespace, name: b.name }), [where], {
          subject,
          forbidden: read.state === 'forbidden',
        }),
      );
      continue;
    }
    const ports = read.value.spec.ports ?? [];
    const portList = ports.map((p) => `${p.name ? `${p.name}=` : ''}${p.port}`).join(', ') || 'none';
    if (b.port === undefined) {
      out.push(
        gf(
          'gateway/backend-port-missing',
          sev,
          `${id} ${backendPath(b)} names Service ${b.namespace}/${b.name} without a port: a Service backendRef needs one`,
          [where, `Service ports: ${portList}`],
          { subject, next: [routeGetCommand(route)] },
        ),
      );
      continue;
    }
    if (!ports.some((p) => p.port === b.port)) {
      out.push(
        gf(
          'gateway/backend-port-missing',
          resolvedByController ? 'warn' : sev,
          `${id} sends to ${b.namespace}/${b.name} port ${b.port}, which the Service does not expose (BackendNotFound)${doubt}`,
          [where, `Service ports: ${portList}`],
          { subject, next: [`kubectl get service -n ${b.namespace} ${b.name} -o yaml`, routeGetCommand(route)] },
        ),
      );
      continue;
    }
    if (isTarget && b.weight === 0) {
      const rule = route.spec.rules?.[b.ruleIndex];
      const others = (rule?.backendRefs ?? []).filter((x) => (x.weight ?? 1) > 0).map((x) => `${x.namespace ?? ns}/${x.name}`);
      out.push(
        gf(
          'gateway/backend-zero-weight',
          'warn',
          `${id} ${backendPath(b)} gives ${t.namespace}/${t.name} weight 0: this rule sends it no traffic${others.length ? ` (all of it goes to ${others.join(', ')})` : ' (and no other backend has weight: the rule answers with an error)'}`,
          [where],
          { subject, next: [routeGetCommand(route)] },
        ),
      );
      continue;
    }
    if (!b.crossNamespace) ok.push(where);
  }
  if (ok.length > 0 && !out.some((f) => f.status === 'fail'))
    out.push(
      gf(
        'gateway/backend-ok',
        'pass',
        `${id} backends exist${ok.some((o) => o.includes('ReferenceGrant')) ? ' and the cross-namespace ones are granted' : ''}`,
        ok,
        { subject },
      ),
    );
  return out;
}
