// Parses a container's /etc/resolv.conf into nameservers, search list, ndots and the cluster domain.

/** What the pod's resolver is configured to do. */
export interface ResolvConf {
  nameservers: string[];
  /** The search list in order (the last `search`/`domain` line wins, as in glibc and musl). */
  search: string[];
  /** options ndots:N; 1 when absent (the resolver default; Kubernetes writes 5). */
  ndots: number;
  /** From the search entry `svc.<domain>` (kubelet writes `<ns>.svc.<domain> svc.<domain> <domain>`); null if none. */
  clusterDomain: string | null;
  /** Every option as written (ndots:5, timeout:2, attempts:3, single-request-reopen ...). */
  options: string[];
}

export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], search: [], ndots: 1, clusterDomain: null, options: [] };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.search = rest.filter((s) => s !== '');
    else if (key === 'options') {
      out.options.push(...rest);
      for (const o of rest) {
        const m = /^ndots:(\d+)$/.exec(o);
        if (m) out.ndots = Math.min(Number(m[1]), 15);
      }
    }
  }
  const svc = out.search.find((s) => /^svc\.[^.]/.test(s));
  out.clusterDomain = svc ? svc.slice('svc.'.length).replace(/\.$/, '') : null;
  return out;
}
