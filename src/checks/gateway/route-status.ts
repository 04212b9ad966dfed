// What the controller wrote in the route's status for one parent: Accepted and ResolvedRefs with
// the reason in words; a status whose observedGeneration is behind metadata.generation means the
// controller has not (or could not) record the latest change — a finding of its own, and its
// conditions then describe an older spec, so they neither pass nor fail the route.

import type { Finding } from '../../model/finding.js';
import type { GatewayRoute, RouteParentStatus } from '../../model/gateway-api.js';
import { routeReasonWords } from '../../gateway/reasons.js';
import type { ParentRefN } from '../../gateway/routes.js';
import { condition, conditionText, gf, parentName, routeGetCommand, routeName, routeSubject } from './lib.js';

export function checkRouteStatus(route: GatewayRoute, p: ParentRefN, st: RouteParentStatus | undefined, controllerName: string | undefined): Finding[] {
  const subject = routeSubject(route);
  const id = routeName(route);
  const next = [routeGetCommand(route)];
  if (!st) {
    const others = (route.status?.parents ?? []).map((s) => `status.parents: ${s.parentRef.namespace ?? ''}/${s.parentRef.name} by ${s.controllerName}`);
    return [
      gf(
        'gateway/route-no-status',
        'warn',
        `${id} has no status for parent ${parentName(p)}${controllerName ? ` from ${controllerName}` : ''}: the controller has not processed this parentRef`,
        others.length ? others : ['status.parents is empty'],
        { subject, next },
      ),
    ];
  }
  const conds = st.conditions ?? [];
  const evidence = [`controller ${st.controllerName}`, ...conds.map(conditionText)];
  const gen = route.metadata.generation;
  const behind = conds.filter((c) => c.observedGeneration !== undefined && gen !== undefined && c.observedGeneration < gen);
  if (behind.length > 0) {
    const observed = Math.max(...behind.map((c) => c.observedGeneration!));
    return [
      gf(
        'gateway/route-status-stale',
        'warn',
        `${id} status for ${parentName(p)} describes generation ${observed}, but the route is at generation ${gen}: ${st.controllerName} has not recorded the latest change (not reconciled yet, stuck, or not allowed to write status); its conditions are not trusted`,
        evidence,
        { subject, next: [...next, "check the controller's logs for status update errors"], data: { observedGeneration: observed, generation: gen } },
      ),
    ];
  }
  const out: Finding[] = [];
  const accepted = condition(conds, 'Accepted');
  const resolved = condition(conds, 'ResolvedRefs');
  if (accepted && accepted.status !== 'True') {
    out.push(
      gf('gateway/route-not-accepted', 'fail', `${id} is not Accepted by ${parentName(p)}: ${routeReasonWords(accepted.reason)}`, evidence, {
        subject,
        next,
        data: { reason: accepted.reason },
      }),
    );
  }
  if (resolved && resolved.status !== 'True') {
    out.push(
      gf('gateway/refs-not-resolved', 'fail', `${id} references do not resolve (ResolvedRefs=False): ${routeReasonWords(resolved.reason)}`, evidence, {
        subject,
        next,
        data: { reason: resolved.reason },
      }),
    );
  }
  if (out.length === 0 && accepted?.status === 'True') {
    out.push(
      gf(
        'gateway/route-accepted',
        'pass',
        `${id} is Accepted by ${parentName(p)}${resolved?.status === 'True' ? ' and its references resolve' : ''}`,
        evidence,
        { subject },
      ),
    );
  }
  return out;
}
