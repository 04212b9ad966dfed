// Which probes to run through Gateway data planes (pure): for each HTTPRoute to the target, each
// Gateway parent and the first listener it attaches to, each rule that sends to the target, one
// HTTP request to the data plane with a Host header and a path the route accepts.

import type { GatewayApiFacts, NsName } from '../model/facts.js';
import type { Namespace } from '../model/k8s.js';
import { attachRoute } from './attachment.js';
import { dataPlaneEndpoint, httpProbeRequest } from './probe-target.js';
import { backendRefsOf, isGatewayParent, isHttpKind, isServiceRef, parentRefsOf, routeNs } from './routes.js';

export interface GatewayProbeTarget {
  id: string;
  label: string;
  host: string;
  port: number;
  hostHeader?: string;
  path: string;
}

/** Why a route was not probed (kept in facts notes and shown by the probe check). */
export interface GatewayProbeSkip {
  route: string;
  why: string;
}

const MAX_PROBES = 6;

/** The probe id prefix of one route (the checks find its probes by it). */
export function gatewayProbePrefix(kind: string, namespace: string, name: string): string {
  return `gateway/${kind}/${namespace}/${name}/`;
}

export function gatewayProbeTargets(
  gw: GatewayApiFacts,
  namespaces: Namespace[] | undefined,
  target: NsName,
  requestedPath: string,
  clusterDomain: string,
): { probes: GatewayProbeTarget[]; skipped: GatewayProbeSkip[] } {
  const probes: GatewayProbeTarget[] = [];
  const skipped: GatewayProbeSkip[] = [];
  const routes = gw.routes.flatMap((r) => (r.read.state === 'ok' ? r.read.value : []));
  for (const route of routes) {
    const id = `${route.kind} ${routeNs(route)}/${route.metadata.name}`;
    if (!isHttpKind(route.kind)) {
      skipped.push({ route: id, why: `${route.kind} is not probed: the probe tools speak HTTP/1.1 only` });
      continue;
    }
    const rules = [
      ...new Set(
        backendRefsOf(route)
          .filter((b) => isServiceRef(b) && b.namespace === target.namespace && b.name === target.name && b.weight > 0)
          .map((b) => b.ruleIndex),
      ),
    ].slice(0, 2);
    for (const parent of parentRefsOf(route).filter(isGatewayParent)) {
      const read = gw.gateways[`${parent.namespace}/${parent.name}`];
      if (read?.state !== 'ok') continue;
      const att = attachRoute(route, parent, read.value, namespaces);
      // A route that does not attach is still probed on the listener it aimed at: the controller's
      // 404 then confirms the attachment fault with packets.
      const lv = att.attached[0] ?? att.perListener.find((v) => v.selected && v.kindAllowed) ?? att.perListener.find((v) => v.kindAllowed);
      if (!lv) continue;
      const hosts = lv.hostnames.length > 0 ? lv.hostnames : (route.spec.hostnames ?? []);
      const ep = dataPlaneEndpoint(read.value, lv.listener, gw.dataPlanes[`${parent.namespace}/${parent.name}`], clusterDomain);
      if ('why' in ep) {
        skipped.push({ route: id, why: ep.why });
        continue;
      }
      for (const ri of rules) {
        const req = httpProbeRequest(route, ri, hosts, requestedPath);
        if ('why' in req) {
          skipped.push({ route: id, why: `rule ${ri}: ${req.why}` });
          continue;
        }
        probes.push({
          id: `${gatewayProbePrefix(route.kind, routeNs(route), route.metadata.name)}${parent.index}/${lv.listener.name}/${ri}`,
          label: `${req.hostHeader ?? '*'}${req.path} through Gateway ${parent.namespace}/${parent.name} listener ${lv.listener.name} (${ep.via})`,
          host: ep.host,
          port: ep.port,
          ...(req.hostHeader ? { hostHeader: req.hostHeader } : {}),
          path: req.path,
        });
      }
    }
  }
  return { probes: probes.slice(0, MAX_PROBES), skipped };
}
