// Hostname intersection between a listener and a route (Gateway API spec, Listener.hostname and
// HTTPRoute.hostnames): an absent listener hostname matches every route hostname; "*.example.com"
// matches any name with at least one more label (a.example.com, a.b.example.com), never example.com.

/** Does a wildcard pattern "*.suffix" cover the name? */
function wildcardCovers(pattern: string, name: string): boolean {
  const suffix = pattern.slice(1); // ".example.com"
  return name.endsWith(suffix) && name.length > suffix.length;
}

/** Do a listener hostname (or none) and a route hostname intersect? */
export function hostnamesIntersect(listener: string | undefined, route: string): boolean {
  const l = listener?.toLowerCase();
  const r = route.toLowerCase();
  if (!l) return true;
  if (l === r) return true;
  if (l.startsWith('*.') && !r.startsWith('*.')) return wildcardCovers(l, r);
  if (r.startsWith('*.') && !l.startsWith('*.')) return wildcardCovers(r, l);
  if (l.startsWith('*.') && r.startsWith('*.')) {
    const ls = l.slice(1);
    const rs = r.slice(1);
    return ls.endsWith(rs) || rs.endsWith(ls);
  }
  return false;
}

/**
 * The hostnames a route gets on a listener: the route's hostnames that intersect (the more specific
 * side of each pair), or the listener's hostname when the route names none. Empty: no intersection.
 */
export function effectiveHostnames(listener: string | undefined, routeHosts: string[] | undefined): string[] {
  const hosts = routeHosts ?? [];
  if (hosts.length === 0) return [listener ?? '*'];
  const out: string[] = [];
  for (const h of hosts) {
    if (!hostnamesIntersect(listener, h)) continue;
    // a wildcard route hostname under a concrete listener hostname narrows to the listener's
    out.push(h.startsWith('*.') && listener && !listener.startsWith('*.') ? listener : h);
  }
  return [...new Set(out)];
}

/** A concrete name to send as Host: a non-wildcard hostname, or a wildcard's suffix with a probe label. */
export function probeHostname(hosts: string[]): string | undefined {
  const concrete = hosts.find((h) => h !== '*' && !h.startsWith('*.'));
  if (concrete) return concrete;
  const wild = hosts.find((h) => h.startsWith('*.'));
  return wild ? `k8snet-probe${wild.slice(1)}` : undefined;
}
