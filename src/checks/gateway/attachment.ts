// Listener matching for one parentRef: sectionName/port, allowedRoutes (namespaces From
// Same/All/Selector and kinds) and hostname intersection, judged from the objects and compared
// with what the controller wrote in the route's status (a fresh Accepted=True wins over k8snet's
// own reading: that disagreement is a warning, never a fault).

import type { Facts } from '../../model/facts.js';
import type { Finding } from '../../model/finding.js';
import type { Gateway, GatewayRoute, RouteParentStatus } from '../../model/gateway-api.js';
import { attachRoute, type Attachment } from '../../gateway/attachment.js';
import { routeNs, type ParentRefN } from '../../gateway/routes.js';
import { condition, gf, namespacesOf, parentName, routeGetCommand, routeName, routeSubject } from './lib.js';

function freshAccepted(route: GatewayRoute, st: RouteParentStatus | undefined): boolean {
  const c = condition(st?.conditions, 'Accepted');
  const gen = route.metadata.generation;
  return c?.status === 'True' && (c.observedGeneration === undefined || gen === undefined || c.observedGeneration >= gen);
}

export function checkAttachment(
  facts: Facts,
  route: GatewayRoute,
  p: ParentRefN,
  gateway: Gateway,
  st: RouteParentStatus | undefined,
): { findings: Finding[]; attachment: Attachment } {
  const att = attachRoute(route, p, gateway, namespacesOf(facts));
  const subject = routeSubject(route);
  const gwId = `${p.namespace}/${p.name}`;
  const listeners = gateway.spec.listeners.map(
    (l) => `listener ${l.name}: ${l.protocol} ${l.port}${l.hostname ? ` hostname ${l.hostname}` : ' (any hostname)'}`,
  );
  const controllerSays = freshAccepted(route, st);
  const disagree = controllerSays
    ? " — but the controller reports the route Accepted for this parent, so k8snet's reading may miss an implementation detail"
    : '';
  const status = controllerSays ? ('warn' as const) : ('fail' as const);
  const next = [routeGetCommand(route), `kubectl get gateway -n ${p.namespace} ${p.name} -o yaml`];
  if (att.reason === 'NoMatchingParent') {
    return {
      attachment: att,
      findings: [
        gf(
          'gateway/no-matching-listener',
          status,
          `${routeName(route)} parentRef ${parentName(p)} matches no listener of Gateway ${gwId}${disagree}`,
          [`spec.parentRefs[${p.index}]: sectionName ${p.sectionName ?? '(any)'}, port ${p.port ?? '(any)'}`, ...listeners],
          { subject, next, data: { reason: 'NoMatchingParent' } },
        ),
      ],
    };
  }
  if (att.reason === 'NotAllowedByListeners') {
    const why = att.perListener
      .filter((v) => v.selected)
      .map(
        (v) =>
          `listener ${v.listener.name}: ${v.namespaceAllowed === 'no' ? v.namespaceWhy : v.kindAllowed ? v.namespaceWhy : `kind ${route.kind} not allowed (${v.kindWhy})`}`,
      );
    return {
      attachment: att,
      findings: [
        gf(
          'gateway/not-allowed-by-listener',
          status,
          `Gateway ${gwId} does not admit ${routeName(route)}: no listener allows routes of kind ${route.kind} from namespace ${routeNs(route)}${disagree}`,
          why,
          { subject, next, data: { reason: 'NotAllowedByListeners' } },
        ),
      ],
    };
  }
  if (att.reason === 'NoMatchingListenerHostname') {
    const hosts = route.spec.hostnames ?? [];
    const lh = att.perListener.filter((v) => v.selected).map((v) => v.listener.hostname ?? '(any)');
    return {
      attachment: att,
      findings: [
        gf(
          'gateway/hostname-mismatch',
          status,
          `${routeName(route)} hostnames ${hosts.join(', ')} match no listener hostname of Gateway ${gwId} (${lh.join(', ')})${disagree}`,
          [`route hostnames matching none: ${hosts.join(', ')}`, ...listeners],
          { subject, next, data: { reason: 'NoMatchingListenerHostname' } },
        ),
      ],
    };
  }
  const on = att.attached.map((v) => `${v.listener.name} (${v.listener.protocol} ${v.listener.port}, hostnames ${v.hostnames.join(', ')})`);
  const unmatched = (route.spec.hostnames ?? []).filter((h) => !att.attached.some((v) => v.hostnames.includes(h)));
  return {
    attachment: att,
    findings: [
      gf(
        'gateway/attached',
        att.unknown ? 'unknown' : 'pass',
        `${routeName(route)} attaches to Gateway ${gwId} listener ${on.join(', ')}${att.unknown ? ' (namespace labels could not be read to confirm allowedRoutes)' : ''}`,
        [
          ...att.attached.map((v) => `listener ${v.listener.name}: ${v.namespaceWhy}`),
          ...(unmatched.length ? [`hostnames matching no listener (served nowhere here): ${unmatched.join(', ')}`] : []),
        ],
        { subject },
      ),
    ],
  };
}
