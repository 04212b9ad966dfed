// Is Gateway API installed, were the routes readable, and does any route send to the Service?
// "Not installed" is one info line, never an error; a forbidden read is unknown, never "none".

import type { Facts } from '../../model/facts.js';
import type { Finding } from '../../model/finding.js';
import type { GatewayRoute } from '../../model/gateway-api.js';
import { unreadableSentence } from '../lib/read.js';
import { gf } from './lib.js';

export interface Discovered {
  findings: Finding[];
  routes: GatewayRoute[];
}

export function checkDiscovery(facts: Facts): Discovered {
  const gw = facts.gateway;
  const t = facts.request.target;
  if (!gw) return { findings: [], routes: [] };
  const d = gw.discovery;
  if (d.state === 'not-found') {
    return {
      findings: [gf('gateway/not-installed', 'info', 'Gateway API is not installed (the gateway.networking.k8s.io API group is not served)')],
      routes: [],
    };
  }
  if (d.state !== 'ok') {
    return {
      findings: [
        gf(
          'gateway/unreadable',
          'unknown',
          `Could not tell whether Gateway API routes send traffic to ${t.namespace}/${t.name}: API discovery of gateway.networking.k8s.io failed (${d.state})`,
          d.message ? [`API: ${d.message}`] : [],
          { forbidden: d.state === 'forbidden' },
        ),
      ],
      routes: [],
    };
  }
  const findings: Finding[] = [];
  const routes: GatewayRoute[] = [];
  for (const { kind, read } of gw.routes) {
    if (read.state === 'ok') routes.push(...read.value);
    else if (read.state === 'not-found') {
      if (facts.request.route) {
        findings.push(
          gf(
            'gateway/none',
            'fail',
            `${kind} ${facts.request.route.namespace}/${facts.request.route.name} (--route) does not exist${read.message && /not served/.test(read.message) ? `: ${read.message}` : ''}`,
            [],
            { next: [`kubectl get ${kind.toLowerCase()}s -A`] },
          ),
        );
      }
    } else {
      const what = facts.request.route
        ? {
            verb: 'get' as const,
            resource: `${kind.toLowerCase()}s.gateway.networking.k8s.io`,
            namespace: facts.request.route.namespace,
            name: facts.request.route.name,
          }
        : { verb: 'list' as const, resource: `${kind.toLowerCase()}s.gateway.networking.k8s.io` };
      findings.push(
        gf('gateway/unreadable', 'unknown', unreadableSentence(read, what), read.message ? [`API: ${read.message}`] : [], {
          next: ['k8snet rbac   # get/list on gateway.networking.k8s.io resources'],
          forbidden: read.state === 'forbidden',
        }),
      );
    }
  }
  if (routes.length === 0 && findings.length === 0) {
    const kinds = gw.routes.map((r) => r.kind).join(', ');
    findings.push(gf('gateway/none', 'info', `No Gateway API route (${kinds}) sends traffic to ${t.namespace}/${t.name}`));
  }
  return { findings, routes };
}
