// The live probe through the Gateway's data plane (HTTP with the route's hostname as Host header
// and a path its matches accept): 404 means the data plane has no route for it, 5xx that it matched
// but the backend failed (for HTTPRoute an unresolved backendRef answers 500), no answer that the
// data plane itself was not reached.

import type { Facts } from '../../model/facts.js';
import type { Finding } from '../../model/finding.js';
import type { GatewayRoute } from '../../model/gateway-api.js';
import { gatewayProbePrefix } from '../../gateway/probe-plan.js';
import { routeNs } from '../../gateway/routes.js';
import { connectOutcome, execForbidden, isNotRun, probeEvidence, probesWithPrefix } from '../lib/probe-evidence.js';
import { gf, routeSubject } from './lib.js';

export function checkGatewayProbes(facts: Facts, route: GatewayRoute): Finding[] {
  const subject = routeSubject(route);
  return probesWithPrefix(facts, gatewayProbePrefix(route.kind, routeNs(route), route.metadata.name)).map((p) => {
    const o = connectOutcome(p);
    const via = `${p.target.hostHeader ?? '*'}${p.target.path ?? '/'} via ${p.target.host}:${p.target.port ?? 80}`;
    const ev = [p.label, ...probeEvidence(p, o.detail)];
    const data = { probeId: p.id, outcome: o.kind, httpStatus: o.httpStatus };
    if (o.kind === 'ok') {
      const code = o.httpStatus ?? 0;
      if (code === 404)
        return gf('gateway/route-not-matched', 'fail', `${via}: the Gateway answered 404 — its data plane has no route for this host and path`, ev, {
          subject,
          data,
        });
      if (code >= 500 && code <= 504) {
        return gf(
          'gateway/backend-error',
          'fail',
          `${via}: the Gateway answered ${code} — it matched the route but could not use the backend${code === 500 ? ' (an unresolved backendRef answers 500)' : ''}`,
          ev,
          { subject, data },
        );
      }
      return gf('gateway/probe-ok', 'pass', `${via} answered HTTP ${o.httpStatus ?? '(tcp)'} through the Gateway`, ev, { subject, data });
    }
    if (isNotRun(o.kind))
      return gf('gateway/not-probed', 'unknown', `${via} could not be probed: ${o.detail}`, ev, { subject, data, forbidden: execForbidden(p) });
    const what = o.connected
      ? 'the Gateway accepted the connection but sent no answer in time (it may be waiting on an unreachable backend)'
      : "the Gateway's data plane did not answer";
    return gf('gateway/probe-failed', 'fail', `${via}: ${o.kind} — ${what}`, ev, { subject, data });
  });
}
