// Step 5 with Gateway API: every route that sends to the target (or the one --route names), per
// parentRef. Pure over Facts, so `sweep` and `analyze` can run it on any saved facts.

import type { Facts } from '../../model/facts.js';
import type { Finding } from '../../model/finding.js';
import type { Gateway, GatewayRoute, Listener, RouteParentStatus } from '../../model/gateway-api.js';
import { backendRefsOf, isGatewayParent, parentRefsOf, routesToService } from '../../gateway/routes.js';
import { checkAttachment } from './attachment.js';
import { checkBackends } from './backends.js';
import { checkDiscovery } from './discovery.js';
import { checkGatewayStatus } from './gateway-status.js';
import { checkGatewayHop } from './hop-policy.js';
import { gf, parentStatus, routeName, routeSubject } from './lib.js';
import { checkGatewayLogs } from './logs.js';
import { checkParent } from './parent.js';
import { checkGatewayProbes } from './probes.js';
import { checkRouteStatus } from './route-status.js';
import { checkCertificates } from './tls.js';

/** All findings for one route: parents (Gateway, class, controller, listeners, status), backends, probes, logs, policy hop. */
export function checkGatewayRoute(facts: Facts, route: GatewayRoute): Finding[] {
  const out: Finding[] = [];
  const statuses: RouteParentStatus[] = [];
  const gateways: Gateway[] = [];
  let controller: ReturnType<typeof checkParent>['controller'];
  const parents = parentRefsOf(route);
  const t = facts.request.target;
  if (!routesToService(route, t)) {
    const names = backendRefsOf(route).map((b) => `${b.kind} ${b.namespace}/${b.name}`);
    out.push(
      gf(
        'gateway/none',
        'warn',
        `${routeName(route)} (--route) sends no traffic to ${t.namespace}/${t.name}: its backendRefs name ${names.join(', ') || 'nothing'}`,
        [],
        { subject: routeSubject(route), next: [`kubectl get ${route.kind.toLowerCase()} -n ${route.metadata.namespace ?? ''} ${route.metadata.name} -o yaml`] },
      ),
    );
  }
  if (parents.length === 0) {
    out.push(
      gf('gateway/gateway-missing', 'fail', `${routeName(route)} has no parentRefs: it is attached to no Gateway`, [], { subject: routeSubject(route) }),
    );
  }
  for (const p of parents) {
    if (!isGatewayParent(p)) {
      out.push(
        gf(
          'gateway/parent-not-gateway',
          'info',
          `${routeName(route)} spec.parentRefs[${p.index}] is a ${p.group}/${p.kind} (${p.namespace}/${p.name}), not a Gateway: k8snet does not follow it`,
          [],
          { subject: routeSubject(route) },
        ),
      );
      continue;
    }
    const parent = checkParent(facts, route, p);
    out.push(...parent.findings);
    controller ??= parent.controller;
    const st = parentStatus(route, p, parent.gatewayClass?.spec.controllerName);
    if (st) statuses.push(st);
    if (parent.blocked || !parent.gateway) continue;
    gateways.push(parent.gateway);
    const att = checkAttachment(facts, route, p, parent.gateway, st);
    out.push(...att.findings);
    const used: Listener[] = att.attachment.attached.map((v) => v.listener);
    out.push(...checkGatewayStatus(parent.gateway, used));
    out.push(...checkCertificates(facts, parent.gateway, used));
    out.push(...checkRouteStatus(route, p, st, parent.gatewayClass?.spec.controllerName));
  }
  out.push(...checkBackends(facts, route, statuses));
  out.push(...checkGatewayProbes(facts, route));
  out.push(...checkGatewayLogs(route, gateways, controller));
  out.push(...checkGatewayHop(facts, route));
  return out;
}

/** Step 5 (Gateway API): discovery, then every route. */
export function checkGateway(facts: Facts): Finding[] {
  const d = checkDiscovery(facts);
  return [...d.findings, ...d.routes.flatMap((r) => checkGatewayRoute(facts, r))];
}
