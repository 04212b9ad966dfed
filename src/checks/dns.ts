// Step 3 "DNS": the Service name resolved from the source pod (FQDN, short name, kube-dns UDP/TCP),
// answers compared with the ClusterIP, and on failure the cluster DNS and the pod's DNS settings.

import { whyNotProbed } from './lib/exec-failure.js';
import type { CoreCode } from '../model/codes.js';
import type { Facts } from '../model/facts.js';
import type { Finding, Status } from '../model/finding.js';
import type { DnsOutcome, ProbeFact } from '../model/probe.js';
import { addressesFromSlices } from './lib/endpoint-addresses.js';
import { make } from './lib/make.js';
import { isPodReady } from '../util/pod.js';
import { notReadyReason } from './lib/pod-state.js';
import { describeNearMiss, nearMisses } from './lib/labels.js';
import { matchesMap, selectorToString } from '../util/selector.js';
import type { Pod } from '../model/k8s.js';
import { dnsOutcome, execForbidden, isNotRun, parseResolvConf, probeEvidence, probesWithPrefix } from './lib/probe-evidence.js';
import { readMessage, unreadableSentence } from './lib/read.js';
import { ephemeralHint, sourceCannotProbe } from './source.js';

const STEP = 'dns' as const;
const KUBE_DNS_CMD = 'kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide';
/** NodeLocal DNSCache listens on this link-local address by default. */
const NODELOCAL_DNS = '169.254.20.10';

const FAIL_CODES: Partial<Record<DnsOutcome['kind'], CoreCode>> = {
  nxdomain: 'dns/nxdomain',
  servfail: 'dns/servfail',
  timeout: 'dns/timeout',
  refused: 'dns/refused',
  'no-answer': 'dns/no-answer',
};

/** The addresses a correct answer must contain: the ClusterIP(s), or ready pod IPs for a headless Service. */
export function expectedAddresses(facts: Facts): string[] | undefined {
  if (facts.service.state !== 'ok') return undefined;
  const spec = facts.service.value.spec;
  if (spec.type === 'ExternalName') return undefined;
  if (spec.clusterIP === 'None') {
    if (facts.endpointSlices.state !== 'ok') return undefined;
    return addressesFromSlices(facts.endpointSlices.value)
      .filter((a) => a.ready)
      .map((a) => a.ip);
  }
  return spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : undefined;
}

function how(p: ProbeFact): string {
  if (p.id.startsWith('dns/short/')) return `short name "${p.target.host}" via the pod's resolver`;
  if (p.id.startsWith('dns/namespaced/')) return `"${p.target.host}" via the pod's resolver`;
  if (p.target.server) return `${p.target.host} via ${p.target.server}/${p.target.transport ?? 'udp'}`;
  return `${p.target.host} via the pod's resolver`;
}

function externalNameTarget(facts: Facts): boolean {
  return facts.service.state === 'ok' && facts.service.value.spec.type === 'ExternalName';
}

/** The address a StatefulSet pod's own name must resolve to: the endpoint with that hostname. */
function podNameAddresses(facts: Facts, p: ProbeFact): string[] | undefined {
  if (facts.endpointSlices.state !== 'ok') return undefined;
  const hostname = p.id.slice('dns/pod/'.length);
  const ips = facts.endpointSlices.value.flatMap((s) => (s.endpoints ?? []).filter((e) => e.hostname === hostname).flatMap((e) => e.addresses));
  return ips.length ? ips : undefined;
}

/**
 * Which names decide: the FQDN and name.namespace must resolve from anywhere; the short name must
 * resolve from the Service's own namespace. From another namespace the short name expands with the
 * SOURCE namespace first (payments-api -> payments-api.orders.svc...), so it is expected to fail —
 * with NXDOMAIN, or SERVFAIL/REFUSED when the last search step goes upstream, whichever tool asked —
 * or to find a same-named Service of the source namespace. That is a warning about the app's config.
 */
function probeFinding(facts: Facts, p: ProbeFact): Finding {
  const o = dnsOutcome(p);
  const data = { probeId: p.id, outcome: o.kind, addresses: o.addresses, query: p.target.host, via: how(p) };
  const ev = probeEvidence(p, o.detail);
  const short = p.id.startsWith('dns/short/');
  const srcNs = facts.request.from?.namespace;
  const tgtNs = facts.request.target.namespace;
  const otherNs = short && srcNs !== undefined && srcNs !== tgtNs;
  const better = `${facts.request.target.name}.${tgtNs}`;
  if (o.kind === 'answer') {
    const want = p.id.startsWith('dns/pod/') ? podNameAddresses(facts, p) : expectedAddresses(facts);
    if (want && want.length > 0 && !o.addresses.some((a) => want.includes(a))) {
      if (otherNs) {
        return make(
          'dns/short-name-other-namespace',
          STEP,
          'warn',
          `"${p.target.host}" from namespace ${srcNs} resolves to ${o.addresses.join(', ')}, not to ${facts.request.target.namespace}/${facts.request.target.name} (${want.join(', ')}): a same-named Service in ${srcNs} answers; use ${better} (or the FQDN)`,
          ev,
          { data },
        );
      }
      return make('dns/wrong-answer', STEP, 'fail', `${how(p)} answered ${o.addresses.join(', ')}, expected ${want.join(', ')}`, ev, { data });
    }
    return make('dns/resolves', STEP, 'pass', `${how(p)} -> ${o.addresses.join(', ') || '(answer)'}`, ev, { data });
  }
  // ExternalName: the server answers the alias with its CNAME (CoreDNS does not always add the target's
  // records); the application's resolver follows it, so the CNAME is the answer
  const cname = /^\S+\s+\d+\s+IN\s+CNAME\s+(\S+)/m.exec(p.exec?.stdout ?? '')?.[1] ?? /canonical name = (\S+)/.exec(p.exec?.stdout ?? '')?.[1];
  if (externalNameTarget(facts) && o.kind === 'no-answer' && cname) {
    return make('dns/resolves', STEP, 'pass', `${how(p)} -> CNAME ${cname.replace(/\.$/, '')} (the ExternalName alias; the client's resolver follows it)`, ev, {
      data,
    });
  }
  if (isNotRun(o.kind) || o.kind === 'error') {
    // DNS over TCP needs dig; busybox nslookup has no TCP mode: a coverage note, not an unknown
    const tcpOnlyGap = p.target.transport === 'tcp' && o.kind === 'tool-missing';
    return make(
      'dns/not-probed',
      STEP,
      tcpOnlyGap ? 'info' : 'unknown',
      `${how(p)} could not be checked: ${tcpOnlyGap ? 'no tool in the container can query DNS over TCP (needs dig)' : o.detail}`,
      ev,
      { data, forbidden: execForbidden(p) },
    );
  }
  if (otherNs) {
    return make(
      'dns/short-name-other-namespace',
      STEP,
      'warn',
      `"${p.target.host}" does not resolve from namespace ${srcNs} (${o.kind.toUpperCase()}), as expected: a short name is searched in the client's own namespace first; an app there must use ${better} (or the FQDN)`,
      ev,
      { data },
    );
  }
  const code = FAIL_CODES[o.kind] ?? 'dns/not-probed';
  const status: Status = code === 'dns/not-probed' ? 'unknown' : 'fail';
  return make(code, STEP, status, `${how(p)}: ${o.kind.toUpperCase()}${o.detail ? ` (${o.detail})` : ''}`, ev, { data, next: [KUBE_DNS_CMD] });
}

/** Codes of the cluster-DNS half of the step (about kube-dns itself, not the target Service). */
export const CLUSTER_DNS_CODES: readonly CoreCode[] = [
  'dns/kube-dns-ok',
  'dns/kube-dns-missing',
  'dns/kube-dns-unreadable',
  'dns/kube-dns-no-endpoints',
  'dns/coredns-not-ready',
];

/** kube-dns Service, its endpoints and the CoreDNS pods. */
export function checkClusterDns(facts: Facts): Finding[] {
  return checkKubeDns(facts.dns);
}

/** The same check on the DNS facts alone (sweep runs it once for the whole run). */
export function checkKubeDns(d: Facts['dns']): Finding[] {
  const subject = { kind: 'Service', namespace: 'kube-system', name: 'kube-dns' };
  if (d.service.state === 'not-found') {
    return [
      make('dns/kube-dns-missing', STEP, 'fail', 'Service kube-system/kube-dns does not exist: pods have no cluster DNS', [], {
        subject,
        next: ['kubectl -n kube-system get services'],
      }),
    ];
  }
  if (d.service.state !== 'ok') {
    return [
      make(
        'dns/kube-dns-unreadable',
        STEP,
        'unknown',
        unreadableSentence(d.service, { verb: 'get', resource: 'services', namespace: 'kube-system', name: 'kube-dns' }),
        readMessage(d.service),
        { subject, forbidden: d.service.state === 'forbidden' },
      ),
    ];
  }
  const out: Finding[] = [];
  const ip = d.service.value.spec.clusterIP;
  const pods = d.pods.state === 'ok' ? d.pods.value : undefined;
  const readyPods = pods?.filter(isPodReady) ?? [];
  const podLines = (pods ?? []).map((p) => `${p.metadata.name} ${isPodReady(p) ? 'Ready' : `not Ready: ${notReadyReason(p)?.text ?? ''}`}`);
  if (d.endpointSlices.state === 'ok') {
    const ready = addressesFromSlices(d.endpointSlices.value).filter((a) => a.ready);
    if (ready.length === 0) {
      const why = kubeDnsNoEndpointsWhy(d.service.value.spec.selector, pods, readyPods.length);
      out.push(
        make('dns/kube-dns-no-endpoints', STEP, 'fail', `kube-dns (${ip}) has no ready endpoints: ${why.text}`, [...why.evidence, ...podLines], {
          subject,
          next: why.selectorMismatch
            ? [
                "kubectl -n kube-system get service kube-dns -o jsonpath='{.spec.selector}'",
                'kubectl -n kube-system get pods -l k8s-app=kube-dns --show-labels',
              ]
            : [KUBE_DNS_CMD, 'kubectl -n kube-system logs -l k8s-app=kube-dns --tail=50'],
        }),
      );
    }
  } else if (d.endpointSlices.state !== 'not-found') {
    out.push(
      make(
        'dns/kube-dns-unreadable',
        STEP,
        'unknown',
        unreadableSentence(d.endpointSlices, { verb: 'list', resource: 'endpointslices.discovery.k8s.io', namespace: 'kube-system' }),
        readMessage(d.endpointSlices),
        { subject, forbidden: d.endpointSlices.state === 'forbidden' },
      ),
    );
  }
  if (pods && pods.length > 0 && readyPods.length < pods.length && !out.some((f) => f.code === 'dns/kube-dns-no-endpoints')) {
    out.push(
      make(
        'dns/coredns-not-ready',
        STEP,
        readyPods.length === 0 ? 'fail' : 'warn',
        `${pods.length - readyPods.length} of ${pods.length} CoreDNS pods not Ready`,
        podLines,
        { subject, next: [KUBE_DNS_CMD] },
      ),
    );
  } else if (pods && pods.length === 0 && !out.length) {
    out.push(make('dns/coredns-not-ready', STEP, 'fail', 'No CoreDNS/kube-dns pods (label k8s-app=kube-dns) exist', [], { subject, next: [KUBE_DNS_CMD] }));
  } else if (d.pods.state !== 'ok' && d.pods.state !== 'not-found') {
    out.push(
      make(
        'dns/kube-dns-unreadable',
        STEP,
        'unknown',
        unreadableSentence(d.pods, { verb: 'list', resource: 'pods', namespace: 'kube-system' }),
        readMessage(d.pods),
        { subject, forbidden: d.pods.state === 'forbidden' },
      ),
    );
  }
  if (out.every((f) => f.status !== 'fail')) {
    out.unshift(make('dns/kube-dns-ok', STEP, 'pass', `kube-dns ${ip} has ${readyPods.length} Ready CoreDNS pod(s)`, podLines, { subject }));
  }
  return out;
}

/**
 * Why kube-dns has no ready endpoints, from the objects alone (the same near-miss analysis as a
 * Service's step 1, run on kube-dns): its selector matches none of the CoreDNS pods, none of the
 * matched pods is Ready, no CoreDNS pods exist, or matched Ready pods have no endpoints yet. Says
 * only what the objects show: nothing here probed the pods, so never "no pod answers".
 */
function kubeDnsNoEndpointsWhy(
  selector: Record<string, string> | undefined,
  pods: Pod[] | undefined,
  ready: number,
): { text: string; evidence: string[]; selectorMismatch: boolean } {
  if (!selector || Object.keys(selector).length === 0)
    return { text: 'the Service has no selector and its EndpointSlices list no ready address', evidence: [], selectorMismatch: false };
  const sel = selectorToString({ matchLabels: selector });
  if (pods === undefined)
    return { text: `its selector ${sel} selects no Ready pod (the CoreDNS pods could not be read)`, evidence: [], selectorMismatch: false };
  if (pods.length === 0) return { text: 'no CoreDNS pods (label k8s-app=kube-dns) exist', evidence: [], selectorMismatch: false };
  const matched = pods.filter((p) => matchesMap(selector, p.metadata.labels));
  if (matched.length === 0) {
    const misses = nearMisses(pods, selector);
    const first = misses[0];
    return {
      text: `its selector ${sel} matches none of the ${pods.length} CoreDNS pod(s) (${ready} Ready)${first ? `; ${describeNearMiss(first)}` : ''}`,
      evidence: [`selector ${sel} matches 0 of ${pods.length} CoreDNS pods`, ...misses.map((m) => `selector ${m.key}=${m.want}; ${describeNearMiss(m)}`)],
      selectorMismatch: true,
    };
  }
  const matchedReady = matched.filter(isPodReady).length;
  if (matchedReady === 0)
    return { text: `none of the ${matched.length} CoreDNS pod(s) its selector ${sel} matches is Ready`, evidence: [], selectorMismatch: false };
  return {
    text: `${matchedReady} CoreDNS pod(s) matching ${sel} are Ready but not listed as ready endpoints (EndpointSlices lag or the endpoint controller is not running)`,
    evidence: [],
    selectorMismatch: false,
  };
}

/** The source pod's dnsPolicy and resolv.conf, compared with kube-dns. */
export function checkPodDnsConfig(facts: Facts, failing: boolean): Finding[] {
  if (facts.source.state !== 'ok') return [];
  const s = facts.source.value;
  const subject = { kind: 'Pod', namespace: s.pod.metadata.namespace, name: s.pod.metadata.name };
  const policy = s.pod.spec.dnsPolicy ?? 'ClusterFirst';
  const out: Finding[] = [];
  const status: Status = failing ? 'fail' : 'warn';
  if (policy === 'Default') {
    out.push(
      make(
        'dns/pod-dns-policy',
        STEP,
        status,
        "Source pod has dnsPolicy Default: it uses the node's resolver, which does not know cluster Service names",
        [`dnsPolicy: ${policy}`],
        { subject },
      ),
    );
  } else if (s.pod.spec.hostNetwork && policy !== 'ClusterFirstWithHostNet' && policy !== 'None') {
    // ClusterFirst on a hostNetwork pod silently falls back to the node's resolv.conf.
    out.push(
      make(
        'dns/pod-dns-policy',
        STEP,
        status,
        `Source pod uses hostNetwork with dnsPolicy ${policy}; cluster DNS needs ClusterFirstWithHostNet`,
        [`hostNetwork: true`, `dnsPolicy: ${policy}`],
        { subject },
      ),
    );
  } else if (policy === 'None') {
    const ns = s.pod.spec.dnsConfig?.nameservers ?? [];
    const kubeDns = facts.dns.service.state === 'ok' ? facts.dns.service.value.spec.clusterIP : undefined;
    if (kubeDns && !ns.includes(kubeDns)) {
      out.push(
        make(
          'dns/pod-dns-policy',
          STEP,
          status,
          `Source pod has dnsPolicy None and its dnsConfig does not list kube-dns ${kubeDns}`,
          [`dnsConfig.nameservers: ${ns.join(', ') || '(none)'}`],
          { subject },
        ),
      );
    }
  }
  if (s.resolvConf && facts.dns.service.state === 'ok') {
    const kubeDns = facts.dns.service.value.spec.clusterIP;
    const parsed = parseResolvConf(s.resolvConf);
    const servers = parsed.nameservers;
    if (kubeDns && servers.length > 0 && !servers.includes(kubeDns)) {
      const nodeLocal = servers.includes(NODELOCAL_DNS);
      out.push(
        make(
          'dns/resolv-conf-nameserver',
          STEP,
          nodeLocal ? 'info' : status,
          nodeLocal
            ? `resolv.conf points at NodeLocal DNSCache ${NODELOCAL_DNS}, not kube-dns ${kubeDns} directly`
            : `resolv.conf nameserver ${servers.join(', ')} is not kube-dns ${kubeDns}`,
          [`/etc/resolv.conf: nameserver ${servers.join(', ')}`, `kube-dns ClusterIP: ${kubeDns}`],
          { subject },
        ),
      );
    }
  }
  return out;
}

/** Step 3: DNS probes, then cluster DNS and the pod's DNS configuration. */
export function checkDns(facts: Facts): Finding[] {
  // ExternalName: only the alias's own name is probed (any answer passes: the CNAME target is not ours to judge)
  const externalName = facts.service.state === 'ok' && facts.service.value.spec.type === 'ExternalName';
  if (externalName && !facts.probes.some((p) => p.id.startsWith('dns/'))) return [];
  const out: Finding[] = [];
  if (facts.request.from && facts.source.state === 'ok') {
    if (sourceCannotProbe(facts)) {
      out.push(
        make(
          'dns/not-probed',
          STEP,
          'unknown',
          `Could not resolve ${facts.request.target.name}.${facts.request.target.namespace} from the source pod: the source container has no shell; --ephemeral would add an ephemeral debug container`,
          [],
          { next: [ephemeralHint(facts)] },
        ),
      );
    } else {
      // probes through single CoreDNS replicas are judged per replica (checks/dns-replicas.ts)
      const probes = probesWithPrefix(facts, 'dns/').filter((p) => !p.id.startsWith('dns/replica/'));
      for (const p of probes) out.push(probeFinding(facts, p));
      const why = whyNotProbed(facts, 'DNS was');
      if (probes.length === 0) {
        out.push(
          why
            ? make('dns/not-probed', STEP, 'unknown', why.summary, why.evidence, { next: why.next })
            : make('dns/not-probed', STEP, 'unknown', 'No DNS probe was run', facts.notes.slice(0, 3)),
        );
      }
    }
  }
  const failing = out.some((f) => f.status === 'fail');
  out.push(...checkClusterDns(facts));
  out.push(...checkPodDnsConfig(facts, failing));
  return out;
}
