// Diagnosis rules across nodes: a node pair whose pod network is broken, endpoints that fail while
// others answer, MTU black holes, kube-proxy on the source's node, a node that went NotReady, and
// one unreachable CoreDNS replica. Tried before the single-path rules, which would otherwise name
// a partial failure as if every endpoint failed.

import type { Finding } from '../model/finding.js';
import type { Ctx, Rule } from './context.js';

function sourceNode(ctx: Ctx): string | undefined {
  return ctx.facts.source.state === 'ok' ? ctx.facts.source.value.pod.spec.nodeName : undefined;
}

/** node/* findings about these nodes that are not healthy (agent down, NotReady, NetworkUnavailable). */
function nodeTrouble(ctx: Ctx, nodes: string[]): Finding[] {
  return ctx.findings.filter((f) => /^node\//.test(f.code) && f.status !== 'pass' && nodes.includes(String(dv(f).node ?? '')));
}

function agentsOn(ctx: Ctx, nodes: string[]): Finding[] {
  return ctx.findings.filter((f) => f.code === 'node/agent-ok' && nodes.includes(String(dv(f).node ?? '')));
}

/** Some endpoints fail and a NetworkPolicy denies the flow to some pods: name the policy first. */
function policyToo(ctx: Ctx, f: Finding) {
  return {
    layer: 'policy' as const,
    headline: `${f.summary}; NetworkPolicy ${ctx.denyingNames.join(', ') || ''} denies this flow for some of these pods`.replace('  ', ' '),
    evidence: [f, ...ctx.denied.map((d) => d.finding)],
    confirmed: true,
    next: ctx.denyingNames.map((n) => `kubectl describe networkpolicy -n ${n.split('/')[0]} ${n.split('/')[1]}`),
  };
}

/** A finding's data, read loosely (the rules here read several codes' fields). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one reader for the data of several codes; each use converts (String, ??)
type LooseData = Record<string, any>;
function dv(f: Finding | undefined): LooseData {
  return f?.data ?? {};
}

const NODE_NEXT = (node: string) => [`kubectl describe node ${node}`, `kubectl get pods -A -o wide --field-selector spec.nodeName=${node}`];

export const NODE_RULES: Rule[] = [
  {
    name: 'policy-enforcer-stopped',
    why: "A NetworkPolicy denies the flow and the packets pass while the cluster's enforcer (its DaemonSet exists) runs on none or not on these nodes: it stopped. (A CNI that never enforces, e.g. Flannel alone, stays a warning on a working path.)",
    match: (ctx) => {
      const f = ctx.all('crosscheck/not-enforced');
      if (f.length === 0) return undefined;
      const cni = ctx.findings.find((x) => x.code === 'policy/cni-detected');
      const stopped = (dv(cni).cni as { stoppedEnforcer?: string } | undefined)?.stoppedEnforcer;
      const policyMissing = ctx.findings.filter((x) => /^node\/agent-(missing|not-ready)$/.test(x.code) && dv(x).role === 'policy');
      if (!stopped && policyMissing.length === 0) return undefined;
      const why = policyMissing.length
        ? `; ${policyMissing[0].summary}`
        : `; the enforcer's DaemonSet ${stopped} has no ready pod, so only ${cni?.summary.replace(/^CNI: /, '') ?? 'the network plugin'} is left`;
      return {
        layer: 'policy',
        headline: `${f[0].summary}${why}`,
        evidence: [...f, ...ctx.denied.map((d) => d.finding), ...ctx.all('policy/not-enforced'), ...ctx.all('policy/cni-detected'), ...policyMissing],
        confirmed: true,
        next: [...(policyMissing[0]?.next ?? []), 'kubectl get daemonsets -A -o wide', ...(f[0].next ?? [])],
      };
    },
  },
  {
    name: 'mtu-black-hole',
    why: 'Small requests pass and a large one stalls on the same endpoint: full-size packets die on the path (overlay MTU larger than the underlay allows, no ICMP back), the classic MTU black hole.',
    match: (ctx) => {
      const f = ctx.all('mtu/large-packets-dropped', 'fail');
      const back = ctx.all('mtu/large-response-dropped', 'fail');
      if (f.length === 0 && back.length === 0) return undefined;
      const src = sourceNode(ctx) ?? '?';
      const nodesOf = (xs: typeof f | typeof back) => [...new Set(xs.map((x) => String(dv(x).node ?? '?')))];
      const plural = (ns: string[]) => `node${ns.length > 1 ? 's' : ''} ${ns.join(', ')}`;
      const parts: string[] = [];
      if (f.length) parts.push(`from node ${src} to ${plural(nodesOf(f))} (a ${dv(f[0]).bytes ?? 'large'}-byte request stalls)`);
      if (back.length) parts.push(`from ${plural(nodesOf(back))} to node ${src} (the large response from ${dv(back[0]).path} stalls)`);
      const nodes = [...nodesOf(f), ...nodesOf(back)];
      return {
        layer: 'pod-network',
        headline: `Large packets ${parts.join(' and ')} are dropped while small requests to ${ctx.targetName} answer — an MTU mismatch on the path between the nodes`,
        evidence: [...f, ...back, ...ctx.pod('ok'), ...nodeTrouble(ctx, [src, ...nodes])],
        confirmed: true,
        next: (f[0] ?? back[0]).next ?? [],
      };
    },
  },
  {
    name: 'node-pair-pod-network',
    why: 'Endpoints on one node time out from the source while endpoints elsewhere answer: the pod network between the two nodes (overlay tunnel, routes, FDB, the CNI agent on one of them) is broken, not the app.',
    match: (ctx) => {
      const f = ctx.failed('endpoints/node-unreachable');
      if (!f) return undefined;
      const bad = (dv(f).failingNodes as string[] | undefined) ?? [];
      const src = sourceNode(ctx);
      const trouble = nodeTrouble(ctx, [...bad, ...(src ? [src] : [])]);
      const agentDown = trouble.find((t) => t.code === 'node/agent-not-ready' || t.code === 'node/agent-missing');
      if (ctx.denied.length > 0) return policyToo(ctx, f);
      return {
        layer: 'pod-network',
        headline: `${f.summary}${agentDown ? `; ${agentDown.summary}` : ''}`,
        evidence: [
          f,
          ...trouble,
          ...ctx.pod('timeout'),
          ...ctx.pod('no-route'),
          ...ctx.pod('ok'),
          ...ctx.vip('timeout'),
          ...agentsOn(ctx, bad),
          ...ctx.all('dns/replica-unreachable').filter((d) => bad.includes(String(dv(d).node ?? ''))),
          ...ctx.all('mtu/large-packets-dropped'),
        ],
        confirmed: true,
        next: [...(agentDown?.next ?? []), ...NODE_NEXT(bad[0] ?? '?'), ...(f.next ?? [])],
      };
    },
  },
  {
    name: 'some-endpoints-fail',
    why: 'Some endpoints answer and some do not without a node pattern: the failing pods differ (ReplicaSet/revision, readiness, declared ports); the Service fails for about that share of connections.',
    match: (ctx) => {
      const f = ctx.failed('endpoints/partial-failure');
      if (!f) return undefined;
      const failing = (dv(f).failing as { outcome: string }[] | undefined) ?? [];
      if (ctx.denied.length > 0) return policyToo(ctx, f);
      const layer = failing.every((x) => x.outcome === 'timeout' || x.outcome === 'no-route') ? 'pod-network' : 'service';
      return {
        layer,
        headline: f.summary,
        evidence: [f, ...ctx.pod('refused'), ...ctx.pod('timeout'), ...ctx.pod('no-response'), ...ctx.pod('ok')],
        confirmed: true,
        next: f.next ?? [],
      };
    },
  },
  {
    name: 'kube-proxy-on-source-node',
    why: "The ClusterIP fails from the source while every pod IP answers, also on other nodes: the Service translation on the source's node (kube-proxy there) is missing or stale.",
    match: (ctx) => {
      const vip = [...ctx.vip('timeout'), ...ctx.vip('refused'), ...ctx.vip('no-route')];
      const src = sourceNode(ctx);
      if (!src || vip.length === 0 || ctx.vip('ok').length > 0 || ctx.pod('ok').length === 0) return undefined;
      if (ctx.pod('timeout').length + ctx.pod('refused').length + ctx.pod('no-route').length > 0) return undefined;
      const podNodes = [
        ...new Set(
          ctx
            .pod('ok')
            .map((p) => String(dv(p).node ?? ''))
            .filter(Boolean),
        ),
      ];
      // only when a pod on another node answers: then it is the source's node, not the Service everywhere
      if (!podNodes.some((n) => n !== src)) return undefined;
      const proxy = ctx.findings.filter((f) => /^node\/agent/.test(f.code) && dv(f).role === 'kube-proxy' && dv(f).node === src);
      const dnsVip = ctx.findings.filter((f) => f.status === 'fail' && dv(f).probeId && String(dv(f).probeId).startsWith('dns/fqdn/kube-dns'));
      return {
        layer: 'service',
        headline: `ClusterIP of ${ctx.targetName} does not answer from node ${src} (the source's node) while its pod IPs answer${podNodes.length ? ` (on ${podNodes.join(', ')})` : ''}: kube-proxy's rules on node ${src} are missing or stale${dnsVip.length ? '; lookups through the kube-dns ClusterIP fail from there too' : ''}`,
        evidence: [...vip, ...ctx.pod('ok'), ...proxy, ...dnsVip],
        confirmed: true,
        next: [
          `kubectl -n kube-system get pods -o wide --field-selector spec.nodeName=${src}`,
          `iptables-save -t nat | grep -c KUBE-SVC   # on node ${src}`,
          `kubectl -n kube-system logs -l k8s-app=kube-proxy --tail=50`,
        ],
      };
    },
  },
  {
    name: 'endpoint-on-notready-node',
    why: 'The node lifecycle controller marks the pods of a NotReady node not Ready, so they leave the endpoints: the Service runs on the remaining replicas, or on none.',
    match: (ctx) => {
      const f = ctx.all('node/not-ready', 'warn', 'fail').filter((x) => ((dv(x).pods as string[] | undefined) ?? []).length > 0);
      if (f.length === 0) return undefined;
      const others = ctx.pod('ok');
      return {
        layer: 'pod-network',
        headline: `${f.map((x) => x.summary).join('; ')}${others.length ? `; the Service answers from the other ${others.length === 1 ? 'endpoint' : `${others.length} endpoints`}` : ''}`,
        evidence: [...f, ...ctx.all('service/pods-not-ready'), ...others],
        confirmed: true,
        next: [...NODE_NEXT(String(dv(f[0]).node ?? '?')), 'kubectl get nodes'],
      };
    },
  },
];

export const DNS_REPLICA_RULES: Rule[] = [
  {
    name: 'dns-replica-unreachable',
    why: 'kube-proxy spreads lookups over every ready CoreDNS endpoint; a replica the source cannot reach (its node, its pod) fails about 1 lookup in n, intermittently.',
    match: (ctx) => {
      const f = ctx.all('dns/replica-unreachable', 'fail');
      const okRep = ctx.all('dns/replica-ok', 'pass');
      // Intermittent means some replica answers. When none does, DNS fails for every lookup and
      // the rules that explain that (an egress policy without DNS, CoreDNS down) decide.
      if (f.length === 0 || okRep.length === 0) return undefined;
      const src = sourceNode(ctx) ?? '?';
      const nodes = [...new Set(f.map((x) => String(dv(x).node ?? '?')))];
      const names = f.map((x) => `${dv(x).pod ?? dv(x).server} on node ${dv(x).node ?? '?'}`).join(', ');
      return {
        layer: 'dns',
        headline: `CoreDNS replica${f.length > 1 ? 's' : ''} ${names} ${f.length > 1 ? 'do' : 'does'} not answer from node ${src}${okRep.length ? ` while ${okRep.length} other${okRep.length > 1 ? 's' : ''} answer${okRep.length > 1 ? '' : 's'}` : ''}: about ${f.length} in ${f.length + okRep.length} lookups through kube-dns fail (intermittent DNS)`,
        evidence: [...f, ...okRep, ...nodeTrouble(ctx, nodes)],
        confirmed: true,
        next: [...(f[0].next ?? []), ...NODE_NEXT(nodes[0])],
      };
    },
  },
];
