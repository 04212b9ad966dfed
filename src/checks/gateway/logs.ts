// The controller's log lines about this route or its Gateway (error-level first), like the Ingress step.

import type { IngressControllerFacts } from '../../model/facts.js';
import type { Finding } from '../../model/finding.js';
import type { Gateway, GatewayRoute } from '../../model/gateway-api.js';
import { routeNs } from '../../gateway/routes.js';
import { relevantLogLines } from '../ingress.js';
import { gf, routeSubject } from './lib.js';

const ERROR_LINE = /\b(error|err|fatal|panic)\b|level=(error|fatal)|"level":"(error|fatal)"|^E\d{4}|\bERR\b|\bWRN\b/i;
const MAX_LINES = 10;

export function checkGatewayLogs(route: GatewayRoute, gateways: Gateway[], ctl: IngressControllerFacts | undefined): Finding[] {
  if (!ctl) return [];
  const ns = routeNs(route);
  const needles = [route.metadata.name, `${ns}/${route.metadata.name}`, ...gateways.map((g) => g.metadata.name), ...(route.spec.hostnames ?? [])].filter(
    (n) => n.length > 2,
  );
  const quoted: string[] = [];
  let errors = 0;
  for (const log of ctl.logs) {
    if (log.lines.state !== 'ok') continue;
    const mentions = log.lines.value.filter((l) => needles.some((n) => l.includes(n)));
    const lines = relevantLogLines(mentions, needles).filter((l) => ERROR_LINE.test(l));
    errors += lines.length;
    quoted.push(...lines.map((l) => `${log.pod}: ${l}`));
  }
  if (errors === 0) return [];
  const first = ctl.logs[0];
  return [
    gf(
      'gateway/controller-log-errors',
      'warn',
      `${ctl.product} controller logged ${errors} error/warning line(s) mentioning ${route.kind} ${ns}/${route.metadata.name} or its Gateway`,
      quoted.slice(-MAX_LINES),
      { subject: routeSubject(route), next: first ? [`kubectl logs -n ${first.namespace} ${first.pod} -c ${first.container} --tail=100`] : [] },
    ),
  ];
}
